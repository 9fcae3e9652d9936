/**
 * What the call has established so far. Travels with the call across handoffs (and into a
 * fresh provider session) so the caller never has to repeat it. Written only by tools.
 */
export interface KnownFacts {
  /** Set by lookup_account_by_email when the caller's account is found: the account is verified for this call. */
  verifiedAccount?: { id: string; name: string; email: string };
  /** The order the call is about (last order looked up or refunded). */
  orderId?: string;
  ordersLookedUp: string[];
  refunds: { refundId: string; orderId: string; amountCents: number; currency: string }[];
  tickets: { ticketId: string; summary: string }[];
}

export function emptyFacts(): KnownFacts {
  return { ordersLookedUp: [], refunds: [], tickets: [] };
}

export type FactsPatch = Partial<Pick<KnownFacts, 'verifiedAccount' | 'orderId'>> & {
  orderLookedUp?: string;
  refund?: KnownFacts['refunds'][number];
  ticket?: KnownFacts['tickets'][number];
};

export function applyFactsPatch(facts: KnownFacts, patch: FactsPatch | undefined): KnownFacts {
  if (!patch) return facts;
  const next: KnownFacts = { ...facts };
  if (patch.verifiedAccount) next.verifiedAccount = patch.verifiedAccount;
  if (patch.orderId) next.orderId = patch.orderId;
  if (patch.orderLookedUp && !facts.ordersLookedUp.includes(patch.orderLookedUp)) next.ordersLookedUp = [...facts.ordersLookedUp, patch.orderLookedUp];
  if (patch.refund && !facts.refunds.some((refund) => refund.refundId === patch.refund!.refundId)) next.refunds = [...facts.refunds, patch.refund];
  if (patch.ticket && !facts.tickets.some((ticket) => ticket.ticketId === patch.ticket!.ticketId)) next.tickets = [...facts.tickets, patch.ticket];
  return next;
}
