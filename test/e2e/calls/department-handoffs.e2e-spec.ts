import request from 'supertest';
import { DataSource } from 'typeorm';
import { placeCall, PlacedCall } from '../../support/call-harness';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';

type SessionUpdate = { session: { system_prompt?: string; tools?: { name: string }[]; output?: unknown } };

const toolNames = (message: Record<string, unknown>) => ((message as SessionUpdate).session.tools ?? []).map((tool) => tool.name).sort();
const promptOf = (message: Record<string, unknown>) => (message as SessionUpdate).session.system_prompt ?? '';

describe('department handoffs inside one live session', () => {
  let service: TestApp;
  const calls: PlacedCall[] = [];

  beforeAll(async () => {
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '30' }, 'handoffs');
  });
  afterEach(async () => {
    if (process.env.DEBUG_CALLS) {
      for (const placed of calls) {
        for (const event of placed.provider.observed(placed.callSid)) {
          const message = event.message as Record<string, unknown>;
          process.stdout.write(
            `${event.direction === 'client-to-provider' ? 'svc->prov' : 'prov->svc'} ${String(message.type)} ${JSON.stringify({ ...message, session: undefined }).slice(0, 200)}\n`,
          );
        }
      }
    }
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(() => service.close());

  const call = async () => {
    const placed = await placeCall(service);
    calls.push(placed);
    return placed;
  };
  const updates = (placed: PlacedCall) => placed.fromService('session.update').slice(1);
  const waitForUpdate = (placed: PlacedCall, count: number) =>
    waitFor(() => (updates(placed).length >= count ? updates(placed)[count - 1] : undefined), {
      what: `handoff session.update #${count}`,
      timeoutMs: 15_000,
    });
  const agentSpeaksAfter = (placed: PlacedCall, since: number) =>
    placed.provider.waitFor(
      (event) =>
        event.type === 'observed' &&
        event.callId === placed.callSid &&
        event.direction === 'provider-to-client' &&
        event.message.type === 'reply.done' &&
        event.message.status !== 'interrupted',
      15_000,
      since,
    );
  const agentFinished = (placed: PlacedCall, count: number) =>
    waitFor(() => placed.toService('reply.done').filter((message) => message.status !== 'interrupted').length >= count, {
      what: `${count} finished replies`,
      timeoutMs: 15_000,
    });

  it('carries a caller triage -> billing -> refund -> escalation -> human, swapping prompt and tools at each hop', async () => {
    const placed = await call();
    await agentFinished(placed, 1); // greeting

    await placed.say('I have a question about a charge on my bill. My email is jane@example.com and my zip code is 94107');
    const toBilling = await waitForUpdate(placed, 1);
    expect(promptOf(toBilling)).toMatch(/^You are the Billing agent/);
    expect(promptOf(toBilling)).toContain('Handed over by: Triage');
    expect(promptOf(toBilling)).toContain('Verified account: ACC-001');
    expect(toolNames(toBilling)).toEqual([
      'check_billing',
      'create_ticket',
      'list_recent_orders',
      'lookup_account_by_email',
      'lookup_order',
      'transfer_to_escalation',
      'transfer_to_faq',
      'transfer_to_refund',
      'transfer_to_triage',
    ]);
    expect(toBilling.session).not.toHaveProperty('output');
    // Billing already knows the verified account from the handoff and looks at the bill itself.
    const billingCall = await placed.waitToService('tool.call', (message) => message.name === 'check_billing');
    expect(billingCall.arguments).toEqual({ account_id: 'ACC-001' });
    await placed.waitFromService('tool.result', (message) => message.call_id === billingCall.call_id);
    await agentSpeaksAfter(placed, placed.provider.mark());

    await placed.say('Actually I want a refund for order ORD-12345');
    const toRefund = await waitForUpdate(placed, 2);
    expect(promptOf(toRefund)).toMatch(/^You are the Refund/);
    expect(promptOf(toRefund)).toContain('Verified account: ACC-001');
    expect(toolNames(toRefund)).toEqual([
      'create_ticket',
      'list_recent_orders',
      'lookup_account_by_email',
      'lookup_order',
      'process_refund',
      'transfer_to_billing',
      'transfer_to_escalation',
      'transfer_to_triage',
    ]);

    // Refunds has account and order from the handoff: it issues the refund without asking again.
    const refundCall = await placed.waitToService('tool.call', (message) => message.name === 'process_refund');
    const refundResult = await placed.waitFromService('tool.result', (message) => message.call_id === refundCall.call_id);
    const refund = JSON.parse(refundResult.result as string);
    expect(refund).toMatchObject({ order_id: 'ORD-12345', amount: 84.99 });
    expect(refund.refund_id).toMatch(/^RF-/);
    await agentSpeaksAfter(placed, placed.provider.mark());
    // The caller gave their email once, to triage, and was never asked again.
    expect(placed.toService('transcript.user').filter((message) => String(message.text).includes('@'))).toHaveLength(1);

    await placed.say('I still want to speak to a person about this');
    const toEscalation = await waitForUpdate(placed, 3);
    expect(toolNames(toEscalation)).toEqual(['create_ticket', 'transfer_to_human']);
    expect(promptOf(toEscalation)).toContain(`Refund already issued this call: ${refund.refund_id}`);

    const humanCall = await placed.waitToService('tool.call', (message) => message.name === 'transfer_to_human');
    await placed.waitFromService('session.end');
    await placed.twilio.waitForClose(10_000);
    expect(placed.twilio.marks.map((mark) => mark.name)).toContain('human-transfer-recorded');
    expect(placed.fromService('tool.result').filter((message) => message.call_id === humanCall.call_id)).toEqual([]);

    const refunds = await service.app.get(DataSource).query('SELECT id, amount_cents FROM refunds WHERE order_id = $1', ['ORD-12345']);
    expect(refunds).toEqual([{ id: refund.refund_id, amount_cents: 8499 }]);

    const log = await waitFor(
      async () => {
        const response = await request(service.baseUrl)
          .get('/handoffs')
          .query({ callId: placed.callSid })
          .set('Authorization', `Bearer ${TEST_SUPERVISOR_TOKEN}`)
          .expect(200);
        return response.body.total >= 3 ? response.body : undefined;
      },
      { what: 'three logged handoffs' },
    );
    const hops = [...log.items].sort((a: { requestedAt: string }, b: { requestedAt: string }) =>
      a.requestedAt.localeCompare(b.requestedAt),
    );
    expect(
      hops.map((hop: { fromAgent: string; toAgent: string; status: string }) => `${hop.fromAgent}->${hop.toAgent}:${hop.status}`),
    ).toEqual(['triage->billing:applied', 'billing->refund:applied', 'refund->escalation:applied']);
    for (const hop of hops) {
      expect(hop.reason).toEqual(expect.any(String));
      expect(hop.reason.length).toBeGreaterThan(0);
      expect(hop.latencyMs).toBeGreaterThanOrEqual(0);
      expect(hop.fromVersion).toBe(1);
    }
  });

  it('uses an admin edit in the very next handoff, and a rollback undoes it', async () => {
    const admin = (method: 'get' | 'put' | 'post', path: string) =>
      request(service.baseUrl)[method](path).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    const billing = (await admin('get', '/agents/billing').expect(200)).body;
    const edited = `${billing.systemPrompt}\nAlways mention the autumn promotion code FALL-2026.`;
    const saved = await admin('put', '/agents/billing')
      .send({
        displayName: billing.displayName,
        systemPrompt: edited,
        greeting: billing.greeting,
        voice: billing.voice.value ?? billing.voice,
        tools: billing.tools,
        handoffTargets: billing.handoffTargets,
        note: 'promotion',
      })
      .expect(200);

    const first = await call();
    await first.say('I have a question about a charge on my bill');
    const update = await waitForUpdate(first, 1);
    expect(promptOf(update)).toContain('FALL-2026');

    await admin('post', '/agents/billing/rollback')
      .send({ version: saved.body.version - 1, note: 'promotion over' })
      .expect((response) => expect([200, 201]).toContain(response.status));
    const second = await call();
    await second.say('I have a question about a charge on my bill');
    const afterRollback = await waitForUpdate(second, 1);
    expect(promptOf(afterRollback)).not.toContain('FALL-2026');
    expect(promptOf(afterRollback)).toMatch(/^You are the Billing agent/);
  });
});
