import { Column, Entity, PrimaryColumn } from 'typeorm';

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** A follow-up ticket opened by create_ticket during a call. */
@Entity({ name: 'tickets' })
export class TicketEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'call_id', type: 'text' })
  callId: string;

  /** The verified account of the call, when there was one. */
  @Column({ name: 'account_id', type: 'text', nullable: true })
  accountId: string | null;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'text' })
  category: string;

  @Column({ type: 'text' })
  priority: TicketPriority;

  @Column({ type: 'text' })
  status: TicketStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
