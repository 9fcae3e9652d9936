import { Column, Entity, PrimaryColumn } from 'typeorm';

export const ORDER_STATUSES = ['processing', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderItem {
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
}

@Entity({ name: 'orders' })
export class OrderEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId: string;

  @Column({ type: 'text' })
  status: OrderStatus;

  /** Calendar date (YYYY-MM-DD) the carrier promises. */
  @Column({ type: 'date', nullable: true })
  eta: string | null;

  @Column({ name: 'tracking_number', type: 'text', nullable: true })
  trackingNumber: string | null;

  @Column({ name: 'total_cents', type: 'integer' })
  totalCents: number;

  @Column({ type: 'text' })
  currency: string;

  @Column({ type: 'jsonb' })
  items: OrderItem[];

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt: Date;
}
