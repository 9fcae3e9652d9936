/**
 * What the call has established so far. Travels with the call across handoffs (and into a
 * fresh provider session) so the caller never has to repeat it. Written only by tools.
 */
export interface KnownFacts {
  /**
   * Set by lookup_account_by_email when the caller proves the account (email and billing postcode):
   * the account is verified for this call. The first account verified in a call stays the only one.
   */
  verifiedAccount?: { id: string; name: string; email: string };
  /** Failed lookup_account_by_email attempts in this call; verification locks at a limit. */
  failedVerifications: number;
  /** The order the call is about (last order looked up or refunded). */
  orderId?: string;
  ordersLookedUp: string[];
  refunds: { refundId: string; orderId: string; amountCents: number; currency: string }[];
  tickets: { ticketId: string; summary: string }[];
}

export function emptyFacts(): KnownFacts {
  return { failedVerifications: 0, ordersLookedUp: [], refunds: [], tickets: [] };
}

export type FactsPatch = Partial<Pick<KnownFacts, 'verifiedAccount' | 'orderId'>> & {
  /** One more failed verification attempt. */
  verificationFailed?: true;
  orderLookedUp?: string;
  refund?: KnownFacts['refunds'][number];
  ticket?: KnownFacts['tickets'][number];
};

export function applyFactsPatch(facts: KnownFacts, patch: FactsPatch | undefined): KnownFacts {
  if (!patch) return facts;
  const next: KnownFacts = { ...facts };
  // Tools run concurrently on the same snapshot: two verifications started in one reply must not
  // let the later one replace the account the call was verified for.
  if (patch.verifiedAccount && (!facts.verifiedAccount || facts.verifiedAccount.id === patch.verifiedAccount.id))
    next.verifiedAccount = patch.verifiedAccount;
  if (patch.verificationFailed) next.failedVerifications = (facts.failedVerifications ?? 0) + 1;
  if (patch.orderId) next.orderId = patch.orderId;
  if (patch.orderLookedUp && !facts.ordersLookedUp.includes(patch.orderLookedUp))
    next.ordersLookedUp = [...facts.ordersLookedUp, patch.orderLookedUp];
  if (patch.refund && !facts.refunds.some((refund) => refund.refundId === patch.refund!.refundId))
    next.refunds = [...facts.refunds, patch.refund];
  if (patch.ticket && !facts.tickets.some((ticket) => ticket.ticketId === patch.ticket!.ticketId))
    next.tickets = [...facts.tickets, patch.ticket];
  return next;
}

/**
 * The part of a patch that still applies when the tool answered an error: only the record of a
 * failed attempt (an error must never verify an account or name an order).
 */
export function factsKeptOnError(patch: FactsPatch | undefined): FactsPatch | undefined {
  return patch?.verificationFailed ? { verificationFailed: true } : undefined;
}
