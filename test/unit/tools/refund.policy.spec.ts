import { REFUND_WINDOW_DAYS, refundDecision } from '../../../src/agents/tools/refund.policy';
import { factory, NOW } from './tool-test.factory';

describe('refundDecision', () => {
  it('allows an order of the verified account inside the window, for the order total', () => {
    expect(refundDecision(factory.order({ totalCents: 8499, currency: 'USD' }), 'ACC-001', NOW)).toEqual({
      eligible: true,
      amountCents: 8499,
      currency: 'USD',
    });
  });

  it('refuses when no account is verified', () => {
    expect(refundDecision(factory.order(), undefined, NOW)).toMatchObject({ eligible: false, error: 'account_not_verified' });
  });

  it('refuses an order of another account', () => {
    expect(refundDecision(factory.order({ accountId: 'ACC-002' }), 'ACC-001', NOW)).toMatchObject({
      eligible: false,
      error: 'order_not_on_account',
      details: { order_id: 'ORD-12345' },
    });
  });

  it('allows an order placed exactly at the edge of the window and refuses one a minute older', () => {
    const edge = factory.daysBefore(REFUND_WINDOW_DAYS);
    expect(refundDecision(factory.order({ placedAt: edge }), 'ACC-001', NOW).eligible).toBe(true);
    const older = new Date(edge.getTime() - 60_000);
    expect(refundDecision(factory.order({ placedAt: older }), 'ACC-001', NOW)).toMatchObject({
      eligible: false,
      error: 'outside_refund_window',
      details: { order_date: '2026-10-22', window_days: 30 },
    });
  });

  it('names the order date when the order is 45 days old', () => {
    const decision = refundDecision(factory.order({ id: 'ORD-12100', placedAt: factory.daysBefore(45) }), 'ACC-001', NOW);
    expect(decision).toMatchObject({
      eligible: false,
      error: 'outside_refund_window',
      details: { order_id: 'ORD-12100', order_date: '2026-10-07' },
    });
    expect(!decision.eligible && decision.message).toContain('2026-10-07');
  });

  it('refuses a cancelled order', () => {
    expect(refundDecision(factory.order({ status: 'cancelled' }), 'ACC-001', NOW)).toMatchObject({
      eligible: false,
      error: 'order_cancelled',
    });
  });

  it('checks ownership before the window, so another account learns nothing about the order date', () => {
    const decision = refundDecision(factory.order({ accountId: 'ACC-002', placedAt: factory.daysBefore(90) }), 'ACC-001', NOW);
    expect(decision).toMatchObject({ eligible: false, error: 'order_not_on_account' });
    expect(!decision.eligible && decision.details.order_date).toBeUndefined();
  });

  it('refuses an order with nothing to refund', () => {
    expect(refundDecision(factory.order({ totalCents: 0 }), 'ACC-001', NOW)).toMatchObject({ eligible: false, error: 'nothing_to_refund' });
  });
});
