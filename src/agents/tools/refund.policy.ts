import { isoDate } from './tool-result.format';

export const REFUND_WINDOW_DAYS = 30;
export const REFUND_EXPECTED_TIMING = '5-7 business days';
export const REFUND_METHOD = 'original payment method';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RefundableOrder {
  id: string;
  accountId: string;
  status: string;
  placedAt: Date;
  totalCents: number;
  currency: string;
}

export type RefundRefusal =
  'account_not_verified' | 'order_not_on_account' | 'outside_refund_window' | 'order_cancelled' | 'nothing_to_refund';

export type RefundDecision =
  | { eligible: true; amountCents: number; currency: string }
  | { eligible: false; error: RefundRefusal; message: string; details: Record<string, unknown> };

/** Whether this order may be refunded now for this caller. The amount is always the order's. */
export function refundDecision(order: RefundableOrder, verifiedAccountId: string | undefined, now: Date): RefundDecision {
  if (!verifiedAccountId) {
    return refuse('account_not_verified', "Verify the caller's account (lookup_account_by_email) before refunding.");
  }
  if (order.accountId !== verifiedAccountId) {
    return refuse('order_not_on_account', `Order ${order.id} is not on the verified account.`, { order_id: order.id });
  }
  if (order.status === 'cancelled') {
    return refuse('order_cancelled', `Order ${order.id} was cancelled and was never charged.`, { order_id: order.id });
  }
  if (now.getTime() - order.placedAt.getTime() > REFUND_WINDOW_DAYS * DAY_MS) {
    const orderDate = isoDate(order.placedAt);
    return refuse(
      'outside_refund_window',
      `Order ${order.id} was placed on ${orderDate}, more than ${REFUND_WINDOW_DAYS} days ago; it is outside the refund window.`,
      { order_id: order.id, order_date: orderDate, window_days: REFUND_WINDOW_DAYS },
    );
  }
  if (order.totalCents <= 0) {
    return refuse('nothing_to_refund', `Order ${order.id} has no amount to refund.`, { order_id: order.id });
  }
  return { eligible: true, amountCents: order.totalCents, currency: order.currency };
}

function refuse(error: RefundRefusal, message: string, details: Record<string, unknown> = {}): RefundDecision {
  return { eligible: false, error, message, details };
}
