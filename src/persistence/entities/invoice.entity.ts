import { Column, Entity, PrimaryColumn } from 'typeorm';

export const INVOICE_STATUSES = ['paid', 'open', 'overdue'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

@Entity({ name: 'invoices' })
export class InvoiceEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId: string;

  @Column({ name: 'amount_cents', type: 'integer' })
  amountCents: number;

  @Column({ type: 'text' })
  currency: string;

  @Column({ type: 'text' })
  status: InvoiceStatus;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt: Date;
}
