import { DataSource } from 'typeorm';
import { KnownFacts } from '../../../src/agents/tools/known-facts';
import { RefundEntity } from '../../../src/persistence/entities/refund.entity';
import { TicketEntity } from '../../../src/persistence/entities/ticket.entity';
import { FaqEntryEntity } from '../../../src/persistence/entities/faq-entry.entity';
import { OrderEntity } from '../../../src/persistence/entities/order.entity';
import { demoCommerceData, seedDemoCommerceData } from '../../../src/persistence/seed/demo-data.seed';
import { openTestDataSource } from '../../support/test-database';
import { factory, ToolSet, toolsOver } from './tool-test.factory';

describe('backend tools on Postgres demo data', () => {
  let dataSource: DataSource;
  let tools: ToolSet;
  const demo = demoCommerceData(new Date());
  const jane = demo.accounts.find((account) => account.id === 'ACC-001')!;
  const sam = demo.accounts.find((account) => account.id === 'ACC-002')!;
  const samsOrder = demo.orders.find((order) => order.accountId === sam.id)!;
  const janeVerified = () => factory.verifiedFacts(jane);
  const refundRows = (orderId: string) => dataSource.getRepository(RefundEntity).findBy({ orderId });

  beforeAll(async () => {
    ({ dataSource } = await openTestDataSource('tools'));
    await seedDemoCommerceData(dataSource);
    tools = toolsOver(dataSource);
  });
  afterAll(() => dataSource?.destroy());

  describe('lookup_account_by_email', () => {
    it.each([
      ['jane@example.com', '94107'],
      ['  JANE@Example.com ', ' 94107 '],
      ['jane at example dot com', 'nine four one oh seven'],
      ['jane@example.com', 'zip code 94107-1234'],
    ])('verifies Jane from %p with postcode %p', async (email, postcode) => {
      const outcome = await tools.lookupAccountByEmail.execute({ email, postcode }, factory.context());
      expect(outcome.result).toEqual({ account_id: 'ACC-001', name: 'Jane Doe', email: 'jane@example.com', verified: true });
      expect(outcome.facts).toEqual({ verifiedAccount: { id: 'ACC-001', name: 'Jane Doe', email: 'jane@example.com' } });
    });

    it('matches a stored UK-style postcode however it is spaced or cased', async () => {
      const account = await factory.account(dataSource, { postcode: 'SW1A1AA' });
      const outcome = await tools.lookupAccountByEmail.execute({ email: account.email, postcode: 'sw1a 1aa' }, factory.context());
      expect(outcome.result).toMatchObject({ account_id: account.id, verified: true });
    });

    it('answers an unknown email and a wrong postcode with the same error, and verifies nothing', async () => {
      const unknownEmail = await tools.lookupAccountByEmail.execute({ email: 'nobody@example.com', postcode: '94107' }, factory.context());
      const wrongPostcode = await tools.lookupAccountByEmail.execute({ email: 'jane@example.com', postcode: '10001' }, factory.context());
      expect(wrongPostcode).toEqual(unknownEmail);
      expect(wrongPostcode.result).toMatchObject({ error: 'verification_failed', attempts_remaining: 2 });
      expect(wrongPostcode.facts).toEqual({ verificationFailed: true });
    });

    it('does not verify Jane from her email alone', async () => {
      expect((await tools.lookupAccountByEmail.execute({ email: 'jane@example.com' }, factory.context())).result).toEqual({
        error: 'invalid_arguments',
        message: 'postcode is required',
      });
    });

    it('locks verification after three failed attempts in a call, even for the right details', async () => {
      const call = factory.call(tools);
      const attempts = [];
      for (const postcode of ['10001', '10002', '10003'])
        attempts.push(await call.run('lookup_account_by_email', { email: 'jane@example.com', postcode }));
      expect(attempts.map((attempt) => [attempt.result.error, attempt.result.attempts_remaining])).toEqual([
        ['verification_failed', 2],
        ['verification_failed', 1],
        ['verification_failed', 0],
      ]);
      const right = await call.run('lookup_account_by_email', { email: 'jane@example.com', postcode: '94107' });
      expect(right).toMatchObject({ ok: false, result: { error: 'verification_locked' } });
      expect(call.facts().verifiedAccount).toBeUndefined();
      expect((await call.run('check_billing', { account_id: 'ACC-001' })).result).toMatchObject({ error: 'account_not_verified' });
    });

    it.each([
      [{}, 'email is required'],
      [{ email: 42, postcode: '94107' }, 'email must be a string'],
      [{ email: 'not an email', postcode: '94107' }, 'email must be an email address such as name@example.com'],
      [{ email: 'jane@example.com', postcode: 94107 }, 'postcode must be a string'],
      [{ email: 'jane@example.com', postcode: 'no idea' }, "postcode must be a postcode or ZIP code such as '94107'"],
    ])('refuses %p as invalid_arguments', async (args, message) => {
      expect((await tools.lookupAccountByEmail.execute(args, factory.context())).result).toEqual({ error: 'invalid_arguments', message });
    });
  });

  describe('one verified account per call', () => {
    it("refuses to switch to another holder's account, and refuses that account's data and refund", async () => {
      const call = factory.call(tools);
      expect(await call.run('lookup_account_by_email', { email: 'jane@example.com', postcode: '94107' })).toMatchObject({
        ok: true,
        result: { account_id: 'ACC-001' },
      });

      // Sam's real email and postcode, said within Jane's call.
      const switched = await call.run('lookup_account_by_email', { email: sam.email, postcode: sam.postcode });
      expect(switched).toMatchObject({ ok: false, result: { error: 'another_account_verified', verified_account_id: 'ACC-001' } });
      expect(JSON.stringify(switched.result)).not.toContain(sam.name);
      expect(call.facts().verifiedAccount).toEqual({ id: 'ACC-001', name: 'Jane Doe', email: 'jane@example.com' });

      const refund = await call.run('process_refund', { order_id: samsOrder.id, reason: 'arrived damaged' });
      expect(refund).toMatchObject({ ok: false, result: { error: 'order_not_on_account' } });
      expect(await refundRows(samsOrder.id)).toHaveLength(0);
      expect((await call.run('list_recent_orders', { account_id: sam.id })).result).toMatchObject({ error: 'account_not_verified' });

      // Jane saying her own details again is fine.
      expect(await call.run('lookup_account_by_email', { email: 'Jane@Example.com', postcode: '94107' })).toMatchObject({
        ok: true,
        result: { account_id: 'ACC-001' },
      });
    });
  });

  describe('lookup_order', () => {
    it('tells anyone the status, ETA and tracking of a spoken order number, but no amounts or items', async () => {
      const outcome = await tools.lookupOrder.execute({ order_id: 'order number 12345' }, factory.context());
      expect(outcome.result).toMatchObject({
        order_id: 'ORD-12345',
        status: 'shipped',
        eta: '2026-05-09',
        tracking_number: '1Z999AA10123456784',
      });
      expect(outcome.result).not.toHaveProperty('total');
      expect(outcome.result).not.toHaveProperty('items');
      expect(outcome.facts).toEqual({ orderId: 'ORD-12345', orderLookedUp: 'ORD-12345' });
    });

    it('adds amounts and items when the order is on the verified account', async () => {
      const outcome = await tools.lookupOrder.execute({ order_id: 'ord 12345' }, factory.context({ facts: janeVerified() }));
      expect(outcome.result).toMatchObject({
        order_id: 'ORD-12345',
        total: 84.99,
        total_cents: 8499,
        currency: 'USD',
        items: [{ name: 'Wireless headphones', quantity: 1, unit_price: 84.99 }],
      });
    });

    it('withholds amounts from a caller verified as another account', async () => {
      const outcome = await tools.lookupOrder.execute({ order_id: 'ORD-12345' }, factory.context({ facts: factory.verifiedFacts(sam) }));
      expect(outcome.result).toMatchObject({ order_id: 'ORD-12345', status: 'shipped' });
      expect(outcome.result).not.toHaveProperty('total_cents');
    });

    it('reports a processing order without tracking', async () => {
      const outcome = await tools.lookupOrder.execute({ order_id: 'ORD-67890' }, factory.context());
      expect(outcome.result).toMatchObject({ order_id: 'ORD-67890', status: 'processing', eta: '2026-05-12', tracking_number: null });
    });

    it.each(['ORD-99999', 'banana'])('answers order_not_found for %p', async (orderId) => {
      const outcome = await tools.lookupOrder.execute({ order_id: orderId }, factory.context());
      expect(outcome.result).toMatchObject({ error: 'order_not_found' });
      expect(outcome.facts).toBeUndefined();
    });

    it.each([
      [{}, 'order_id is required'],
      [{ order_id: 12345 }, 'order_id must be a string'],
    ])('refuses %p as invalid_arguments', async (args, message) => {
      expect((await tools.lookupOrder.execute(args, factory.context())).result).toEqual({ error: 'invalid_arguments', message });
    });
  });

  describe('account data needs a verified account', () => {
    it.each([
      ['list_recent_orders', () => tools.listRecentOrders],
      ['check_billing', () => tools.checkBilling],
    ])('%s refuses before verification and for another account', async (_name, tool) => {
      const unverified = await tool().execute({ account_id: 'ACC-001' }, factory.context());
      expect(unverified.result).toMatchObject({ error: 'account_not_verified' });
      const otherAccount = await tool().execute({ account_id: sam.id }, factory.context({ facts: janeVerified() }));
      expect(otherAccount.result).toMatchObject({ error: 'account_not_verified' });
      expect(JSON.stringify([unverified, otherAccount])).not.toMatch(/ORD-|INV-|balance/);
    });

    it('verification through lookup_account_by_email opens the account data', async () => {
      const verification = await tools.lookupAccountByEmail.execute({ email: 'jane@example.com', postcode: '94107' }, factory.context());
      const facts: KnownFacts = { ...factory.context().facts, ...verification.facts };
      const outcome = await tools.checkBilling.execute({ account_id: verification.result.account_id }, factory.context({ facts }));
      expect(outcome.result).toMatchObject({ account_id: 'ACC-001', balance: 19.99 });
    });

    it('list_recent_orders lists the verified account orders newest first, up to the limit', async () => {
      const all = await tools.listRecentOrders.execute({ account_id: 'acc 001' }, factory.context({ facts: janeVerified() }));
      const ids = (all.result.orders as { order_id: string }[]).map((order) => order.order_id);
      expect(ids).toEqual(['ORD-67890', 'ORD-12345', 'ORD-12100']);
      expect((all.result.orders as unknown[])[1]).toMatchObject({
        order_id: 'ORD-12345',
        status: 'shipped',
        total: 84.99,
        currency: 'USD',
        item_count: 1,
      });
      const limited = await tools.listRecentOrders.execute({ account_id: 'ACC-001', limit: 2 }, factory.context({ facts: janeVerified() }));
      expect(limited.result.orders).toHaveLength(2);
    });

    it('list_recent_orders refuses a limit that is not an integer', async () => {
      const outcome = await tools.listRecentOrders.execute(
        { account_id: 'ACC-001', limit: 'five' },
        factory.context({ facts: janeVerified() }),
      );
      expect(outcome.result).toEqual({ error: 'invalid_arguments', message: 'limit must be an integer' });
    });

    it('check_billing gives the balance and recent invoices, newest first', async () => {
      const outcome = await tools.checkBilling.execute({ account_id: 'ACC-001' }, factory.context({ facts: janeVerified() }));
      expect(outcome.result).toMatchObject({ account_id: 'ACC-001', balance: 19.99, balance_cents: 1999, currency: 'USD' });
      const invoices = outcome.result.invoices as { invoice_id: string; status: string; amount: number }[];
      expect(invoices[0]).toMatchObject({ invoice_id: 'INV-2004', status: 'open', amount: 19.99 });
      expect(invoices.map((invoice) => invoice.invoice_id)).not.toContain('INV-3001');
    });
  });

  describe('process_refund', () => {
    it('refuses before the account is verified and creates nothing', async () => {
      const order = await factory.order(dataSource, { accountId: jane.id });
      const outcome = await tools.processRefund.execute({ order_id: order.id, reason: 'changed my mind' }, factory.context());
      expect(outcome.result).toMatchObject({ error: 'account_not_verified' });
      expect(await refundRows(order.id)).toHaveLength(0);
    });

    it('refunds the order total to the original payment method, ignoring any amount argument', async () => {
      const order = await factory.order(dataSource, { accountId: jane.id, totalCents: 8499 });
      const context = factory.context({ facts: janeVerified() });
      const outcome = await tools.processRefund.execute(
        { order_id: order.id, reason: 'arrived damaged', amount: 5000, amount_cents: 999999 },
        context,
      );
      expect(outcome.result).toMatchObject({
        order_id: order.id,
        amount: 84.99,
        amount_cents: 8499,
        currency: 'USD',
        expected: '5-7 business days',
        refund_method: 'original payment method',
        already_refunded: false,
      });
      expect(outcome.result.refund_id).toMatch(/^RF-[0-9A-F]+$/);
      expect(outcome.facts).toEqual({
        orderId: order.id,
        refund: { refundId: outcome.result.refund_id, orderId: order.id, amountCents: 8499, currency: 'USD' },
      });
      const rows = await refundRows(order.id);
      expect(rows).toEqual([
        expect.objectContaining({
          id: outcome.result.refund_id,
          amountCents: 8499,
          accountId: jane.id,
          callId: context.callId,
          reason: 'arrived damaged',
        }),
      ]);
    });

    it('refunds the demo order ORD-12345 for $84.99 when asked in spoken form', async () => {
      const outcome = await tools.processRefund.execute(
        { order_id: 'order 12345', reason: 'late' },
        factory.context({ facts: janeVerified() }),
      );
      expect(outcome.result).toMatchObject({ order_id: 'ORD-12345', amount: 84.99 });
    });

    it('refunds an order only once: asking again returns the same refund', async () => {
      const order = await factory.order(dataSource, { accountId: jane.id });
      const first = await tools.processRefund.execute({ order_id: order.id, reason: 'first' }, factory.context({ facts: janeVerified() }));
      const second = await tools.processRefund.execute(
        { order_id: order.id, reason: 'second' },
        factory.context({ facts: janeVerified() }),
      );
      expect(second.result).toMatchObject({ refund_id: first.result.refund_id, already_refunded: true, amount_cents: order.totalCents });
      expect(second.facts?.refund?.refundId).toBe(first.result.refund_id);
      expect(await refundRows(order.id)).toHaveLength(1);
    });

    it('creates exactly one refund when the same order is refunded concurrently', async () => {
      const order = await factory.order(dataSource, { accountId: jane.id });
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, () =>
          tools.processRefund.execute({ order_id: order.id, reason: 'race' }, factory.context({ facts: janeVerified() })),
        ),
      );
      expect(outcomes.every((outcome) => outcome.result.error === undefined)).toBe(true);
      expect(new Set(outcomes.map((outcome) => outcome.result.refund_id)).size).toBe(1);
      expect(outcomes.filter((outcome) => outcome.result.already_refunded === false)).toHaveLength(1);
      expect(await refundRows(order.id)).toHaveLength(1);
    });

    it('refuses ORD-12100, placed 45 days ago, naming the order date', async () => {
      const outcome = await tools.processRefund.execute(
        { order_id: 'ORD-12100', reason: 'too late' },
        factory.context({ facts: janeVerified() }),
      );
      const placed = demo.orders.find((order) => order.id === 'ORD-12100')!.placedAt;
      expect(outcome.result).toMatchObject({
        error: 'outside_refund_window',
        order_id: 'ORD-12100',
        order_date: placed.toISOString().slice(0, 10),
      });
      expect(await refundRows('ORD-12100')).toHaveLength(0);
    });

    it("refuses another account's order and creates nothing", async () => {
      const outcome = await tools.processRefund.execute(
        { order_id: samsOrder.id, reason: 'not mine' },
        factory.context({ facts: janeVerified() }),
      );
      expect(outcome.result).toMatchObject({ error: 'order_not_on_account' });
      expect(await refundRows(samsOrder.id)).toHaveLength(0);
    });

    it('refuses a cancelled order', async () => {
      const order = await factory.order(dataSource, { accountId: jane.id, status: 'cancelled' });
      const outcome = await tools.processRefund.execute(
        { order_id: order.id, reason: 'cancelled' },
        factory.context({ facts: janeVerified() }),
      );
      expect(outcome.result).toMatchObject({ error: 'order_cancelled' });
      expect(await refundRows(order.id)).toHaveLength(0);
    });

    it('still reports an existing refund once the order has left the window', async () => {
      const order = await factory.order(dataSource, { accountId: jane.id, placedAt: factory.daysAgo(10) });
      const first = await tools.processRefund.execute({ order_id: order.id, reason: 'first' }, factory.context({ facts: janeVerified() }));
      await dataSource.getRepository(OrderEntity).update({ id: order.id }, { placedAt: factory.daysAgo(60) });
      const again = await tools.processRefund.execute({ order_id: order.id, reason: 'again' }, factory.context({ facts: janeVerified() }));
      expect(again.result).toMatchObject({ refund_id: first.result.refund_id, already_refunded: true });
    });

    it('does not start a refund once the call has given up on the tool', async () => {
      const order = await factory.order(dataSource, { accountId: jane.id });
      const controller = new AbortController();
      controller.abort();
      const outcome = await tools.processRefund.execute(
        { order_id: order.id, reason: 'slow' },
        factory.context({ facts: janeVerified(), signal: controller.signal }),
      );
      expect(outcome.result).toMatchObject({ error: 'tool_cancelled' });
      expect(await refundRows(order.id)).toHaveLength(0);
    });

    it.each([
      [{ reason: 'x' }, 'order_id is required'],
      [{ order_id: 'ORD-12345' }, 'reason is required'],
      [{ order_id: 'ORD-12345', reason: { text: 'x' } }, 'reason must be a string'],
    ])('refuses %p as invalid_arguments', async (args, message) => {
      const outcome = await tools.processRefund.execute(args, factory.context({ facts: janeVerified() }));
      expect(outcome.result).toEqual({ error: 'invalid_arguments', message });
    });

    it('answers order_not_found for an unknown order', async () => {
      const outcome = await tools.processRefund.execute({ order_id: 'ORD-00000', reason: 'x' }, factory.context({ facts: janeVerified() }));
      expect(outcome.result).toMatchObject({ error: 'order_not_found' });
    });
  });

  describe('search_faq', () => {
    it('finds the refund policy: 30 days, to the original payment method', async () => {
      const outcome = await tools.searchFaq.execute({ query: 'What is your refund policy?' }, factory.context());
      const results = outcome.result.results as { question: string; answer: string }[];
      expect(results[0].question).toBe('What is your refund policy?');
      expect(results[0].answer).toMatch(/30 days/);
      expect(results[0].answer).toMatch(/original payment method/);
      expect(results.length).toBeLessThanOrEqual(3);
      expect(outcome.result.error).toBeUndefined();
    });

    it.each([
      ['how long until I get my money back', /5-7 business days/],
      ['do you ship to other countries internationally', /40 countries/],
      ['my package arrived broken', /replacement/],
      ['forgot my password', /reset link/],
    ])('answers %p', async (query, expected) => {
      const outcome = await tools.searchFaq.execute({ query }, factory.context());
      const answers = (outcome.result.results as { answer: string }[]).map((result) => result.answer);
      expect(answers.some((answer) => expected.test(answer))).toBe(true);
    });

    it('never returns more than three entries', async () => {
      const outcome = await tools.searchFaq.execute({ query: 'order refund shipping return payment tracking' }, factory.context());
      expect(outcome.result.results).toHaveLength(3);
    });

    it.each(['xylophone quantum', 'the of and', '?!'])('answers no_match for %p', async (query) => {
      expect((await tools.searchFaq.execute({ query }, factory.context())).result).toMatchObject({ results: [], error: 'no_match' });
    });

    it('refuses a missing query', async () => {
      expect((await tools.searchFaq.execute({}, factory.context())).result).toEqual({
        error: 'invalid_arguments',
        message: 'query is required',
      });
    });
  });

  describe('create_ticket', () => {
    it('opens a ticket for the call with default category and priority', async () => {
      const context = factory.context();
      const outcome = await tools.createTicket.execute({ summary: 'Caller wants a callback about a missing parcel' }, context);
      expect(outcome.result).toMatchObject({ status: 'open', category: 'general', priority: 'normal' });
      expect(outcome.result.ticket_id).toMatch(/^TCK-[0-9A-F]+$/);
      expect(outcome.facts).toEqual({
        ticket: { ticketId: outcome.result.ticket_id, summary: 'Caller wants a callback about a missing parcel' },
      });
      const row = await dataSource.getRepository(TicketEntity).findOneByOrFail({ id: outcome.result.ticket_id as string });
      expect(row).toMatchObject({
        callId: context.callId,
        accountId: null,
        status: 'open',
        summary: 'Caller wants a callback about a missing parcel',
      });
    });

    it('records the verified account, category and priority', async () => {
      const outcome = await tools.createTicket.execute(
        { summary: 'Double charge', category: 'Billing', priority: 'HIGH' },
        factory.context({ facts: janeVerified() }),
      );
      const row = await dataSource.getRepository(TicketEntity).findOneByOrFail({ id: outcome.result.ticket_id as string });
      expect(row).toMatchObject({ accountId: 'ACC-001', category: 'billing', priority: 'high' });
    });

    it.each([
      [{ summary: 'x', priority: 'critical' }, 'priority must be one of low, normal, high, urgent'],
      [{ priority: 'high' }, 'summary is required'],
      [{ summary: 'x', category: 7 }, 'category must be a string'],
    ])('refuses %p as invalid_arguments and stores nothing', async (args, message) => {
      const context = factory.context();
      expect((await tools.createTicket.execute(args, context)).result).toEqual({ error: 'invalid_arguments', message });
      expect(await dataSource.getRepository(TicketEntity).countBy({ callId: context.callId })).toBe(0);
    });
  });

  describe('demo data seed', () => {
    it('can run again without duplicating anything or touching refunds and tickets', async () => {
      const counts = async () => ({
        faq: await dataSource.getRepository(FaqEntryEntity).count(),
        orders: await dataSource.getRepository(OrderEntity).count(),
        refunds: await dataSource.getRepository(RefundEntity).count(),
        tickets: await dataSource.getRepository(TicketEntity).count(),
      });
      const before = await counts();
      await seedDemoCommerceData(dataSource);
      await seedDemoCommerceData(dataSource);
      expect(await counts()).toEqual(before);
      expect(before.faq).toBe(demo.faqEntries.length);
    });

    it('moves order dates with the day it runs, keeping the refund window meaningful', async () => {
      const later = new Date(Date.now() + 100 * 24 * 60 * 60 * 1000);
      await seedDemoCommerceData(dataSource, later);
      const order = await dataSource.getRepository(OrderEntity).findOneByOrFail({ id: 'ORD-12100' });
      expect(later.getTime() - order.placedAt.getTime()).toBe(45 * 24 * 60 * 60 * 1000);
      await seedDemoCommerceData(dataSource);
    });
  });
});
