import { refundDecision } from '../../../src/agents/tools/refund.policy';
import { normalizePostcode } from '../../../src/agents/tools/spoken-reference.normalizer';
import { demoCommerceData } from '../../../src/persistence/seed/demo-data.seed';
import { NOW } from './tool-test.factory';

describe('demoCommerceData', () => {
  const data = demoCommerceData(NOW);
  const order = (id: string) => {
    const found = data.orders.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no demo order ${id}`);
    return found;
  };

  it('holds the orders of the source material', () => {
    expect(order('ORD-12345')).toMatchObject({
      status: 'shipped',
      eta: '2026-05-09',
      trackingNumber: '1Z999AA10123456784',
      totalCents: 8499,
      accountId: 'ACC-001',
    });
    expect(order('ORD-67890')).toMatchObject({ status: 'processing', eta: '2026-05-12', trackingNumber: null, accountId: 'ACC-001' });
    expect(order('ORD-12100')).toMatchObject({ totalCents: 4200, accountId: 'ACC-001' });
  });

  it('keeps the refund window meaningful whenever it is seeded', () => {
    expect(refundDecision(order('ORD-12345'), 'ACC-001', NOW).eligible).toBe(true);
    expect(refundDecision(order('ORD-67890'), 'ACC-001', NOW).eligible).toBe(true);
    expect(refundDecision(order('ORD-12100'), 'ACC-001', NOW)).toMatchObject({ error: 'outside_refund_window' });
  });

  it('order totals match their items', () => {
    for (const demoOrder of data.orders) {
      expect(demoOrder.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0)).toBe(demoOrder.totalCents);
    }
  });

  it('stores emails lowercase and unique, and has a second account for cross-account checks', () => {
    const emails = data.accounts.map((account) => account.email);
    expect(emails).toEqual(emails.map((email) => email.toLowerCase()));
    expect(new Set(emails).size).toBe(emails.length);
    expect(data.orders.some((demoOrder) => demoOrder.accountId === 'ACC-002')).toBe(true);
  });

  it('gives every account a billing postcode in the stored form, Jane 94107', () => {
    expect(data.accounts.find((account) => account.id === 'ACC-001')).toMatchObject({ email: 'jane@example.com', postcode: '94107' });
    for (const account of data.accounts) expect(normalizePostcode(account.postcode ?? '')).toBe(account.postcode);
  });

  it('gives ACC-001 an open invoice and a dozen FAQ entries with unique slugs', () => {
    expect(data.invoices.filter((invoice) => invoice.accountId === 'ACC-001' && invoice.status === 'open')).toHaveLength(1);
    expect(data.faqEntries.length).toBeGreaterThanOrEqual(12);
    expect(new Set(data.faqEntries.map((entry) => entry.slug)).size).toBe(data.faqEntries.length);
  });
});
