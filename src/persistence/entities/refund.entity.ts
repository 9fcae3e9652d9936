import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A refund issued by process_refund. order_id is unique: an order is refunded at most once. */
@Entity({ name: 'refunds' })
export class RefundEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'order_id', type: 'text', unique: true })
  orderId: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId: string;

  @Column({ name: 'amount_cents', type: 'integer' })
  amountCents: number;

  @Column({ type: 'text' })
  currency: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'call_id', type: 'text' })
  callId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
