import request from 'supertest';
import { DataSource } from 'typeorm';
import { indexOfObserved, placeCall, PlacedCall } from '../../support/call-harness';
import { PROVIDERS_UNDER_TEST } from '../../support/providers-under-test';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { summarisedCall } from '../summaries/journaled-call';

type WireMessage = Record<string, unknown>;
type SessionUpdate = { session: { system_prompt?: string; tools?: { name: string }[] } };
interface LoggedHandoff {
  fromAgent: string;
  toAgent: string;
  status: string;
  code: string | null;
  requestedAt: string;
  reason: string;
  latencyMs: number | null;
  fromVersion: number;
}

const toolNames = (message: WireMessage) => ((message as SessionUpdate).session.tools ?? []).map((tool) => tool.name).sort();
const promptOf = (message: WireMessage) => (message as SessionUpdate).session.system_prompt ?? '';
const resultOf = (message: WireMessage) => JSON.parse(message.result as string) as Record<string, unknown>;
const TRANSFER = { reason: 'caller asked for it', summary: 'Caller wants another department' };

describe.each(PROVIDERS_UNDER_TEST)('department handoffs inside one live session ($name)', (provider) => {
  let service: TestApp;
  const calls: PlacedCall[] = [];

  beforeAll(async () => {
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '30', ...provider.env }, `handoffs-${provider.name}`);
  });
  afterEach(async () => {
    if (process.env.DEBUG_CALLS) {
      for (const placed of calls) {
        for (const event of placed.rawObserved()) {
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
  /** The handoff session.updates (the first update opens the session), neutral and as the wire carried them. */
  const updates = (placed: PlacedCall) => placed.fromService('session.update').slice(1);
  const rawUpdates = (placed: PlacedCall) => placed.rawFromService('session.update').slice(1);
  const waitForUpdate = (placed: PlacedCall, count: number) =>
    waitFor(() => (updates(placed).length >= count ? updates(placed)[count - 1] : undefined), {
      what: `handoff session.update #${count}`,
      timeoutMs: 15_000,
    });
  const agentFinished = (placed: PlacedCall, count: number) =>
    waitFor(() => placed.finishedReplies() >= count, { what: `${count} finished replies`, timeoutMs: 15_000 });
  const resultFor = (placed: PlacedCall, toolCall: WireMessage) =>
    placed.waitFromService('tool.result', (message) => message.call_id === toolCall.call_id, 15_000);
  const loggedHandoffs = (placed: PlacedCall, count: number): Promise<LoggedHandoff[]> =>
    waitFor(
      async () => {
        const response = await request(service.baseUrl)
          .get('/handoffs')
          .query({ callId: placed.callSid })
          .set('Authorization', `Bearer ${TEST_SUPERVISOR_TOKEN}`)
          .expect(200);
        if (response.body.total < count) return undefined;
        return [...(response.body.items as LoggedHandoff[])].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
      },
      { what: `${count} logged handoffs` },
    );
  const hopsOf = (log: LoggedHandoff[]) =>
    log.map((hop) => `${hop.fromAgent}->${hop.toAgent}:${hop.status}${hop.code ? `:${hop.code}` : ''}`);

  it('carries a caller triage -> billing -> refund -> escalation -> human, swapping prompt and tools at each hop, and summarises the call', async () => {
    const placed = await call();
    await agentFinished(placed, 1); // greeting

    // Triage verifies the caller and transfers to billing in the same reply: a transfer beside a backend tool.
    await placed.say('I have a question about a charge on my bill. My email is jane@example.com and my zip code is 94107');
    const lookup = await placed.waitToService('tool.call', (message) => message.name === 'lookup_account_by_email');
    const toBillingCall = await placed.waitToService('tool.call', (message) => message.name === 'transfer_to_billing');
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
    // A handoff changes prompt and tools only: never the audio formats or the voice of a call already speaking.
    expect(provider.wire.audioAndVoice(rawUpdates(placed)[0])).toEqual([]);
    // The update goes first, then both results of the reply.
    expect(resultOf(await resultFor(placed, lookup))).toMatchObject({ account_id: 'ACC-001', verified: true });
    expect(resultOf(await resultFor(placed, toBillingCall))).toMatchObject({ status: 'transferred', department: 'billing' });
    const resultAt = (toolCall: WireMessage) =>
      indexOfObserved(placed, 'client-to-provider', (message) => message.type === 'tool.result' && message.call_id === toolCall.call_id);
    const billingUpdateAt = indexOfObserved(
      placed,
      'client-to-provider',
      (message) => message.type === 'session.update' && promptOf(message).startsWith('You are the Billing'),
    );
    expect(billingUpdateAt).toBeLessThan(resultAt(lookup));
    expect(billingUpdateAt).toBeLessThan(resultAt(toBillingCall));

    // Billing already knows the verified account from the handoff and looks at the bill itself.
    const billingCall = await placed.waitToService('tool.call', (message) => message.name === 'check_billing');
    expect(billingCall.arguments).toEqual({ account_id: 'ACC-001' });
    await resultFor(placed, billingCall);
    await placed.replyFinishedAfter(placed.mark());

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
    const refund = resultOf(await resultFor(placed, refundCall));
    expect(refund).toMatchObject({ order_id: 'ORD-12345', amount: 84.99 });
    expect(refund.refund_id).toMatch(/^RF-/);
    await placed.replyFinishedAfter(placed.mark());
    // The caller gave their email once, to triage, and was never asked again.
    expect(placed.toService('transcript.user').filter((message) => String(message.text).includes('@'))).toHaveLength(1);

    await placed.say('I still want to speak to a person about this');
    const toEscalation = await waitForUpdate(placed, 3);
    expect(toolNames(toEscalation)).toEqual(['create_ticket', 'transfer_to_human']);
    expect(promptOf(toEscalation)).toContain(`Refund already issued this call: ${refund.refund_id}`);
    for (const update of rawUpdates(placed)) expect(provider.wire.audioAndVoice(update)).toEqual([]);

    const humanCall = await placed.waitToService('tool.call', (message) => message.name === 'transfer_to_human');
    // The call leaves the agent: the service ends the provider session.
    await placed.provider.waitFor((event) => event.type === 'session-closed' && event.callId === placed.callSid, 10_000);
    for (const type of provider.wire.sessionEndMessages) expect(placed.rawFromService(type)).toHaveLength(1);
    await placed.twilio.waitForClose(10_000);
    expect(placed.twilio.marks.map((mark) => mark.name)).toContain('human-transfer-recorded');
    expect(placed.fromService('tool.result').filter((message) => message.call_id === humanCall.call_id)).toEqual([]);

    // Neither wire refused anything the service sent along the way.
    expect(placed.toService('session.error')).toEqual([]);

    const refunds = await service.app.get(DataSource).query('SELECT id, amount_cents FROM refunds WHERE order_id = $1', ['ORD-12345']);
    expect(refunds).toEqual([{ id: refund.refund_id, amount_cents: 8499 }]);

    const log = await loggedHandoffs(placed, 3);
    expect(hopsOf(log)).toEqual(['triage->billing:applied', 'billing->refund:applied', 'refund->escalation:applied']);
    for (const hop of log) {
      expect(hop.reason.length).toBeGreaterThan(0);
      expect(hop.latencyMs).toBeGreaterThanOrEqual(0);
      expect(hop.fromVersion).toBe(1);
    }

    const { summary } = await summarisedCall(service.baseUrl, placed.callSid);
    expect(summary).toMatchObject({
      outcome: 'escalated',
      endReason: 'human-transfer',
      handoffCount: 3,
      toolErrors: 0,
      actions: {
        lookups: [
          { tool: 'lookup_account_by_email', result: 'ok', subject: '[email]' },
          { tool: 'check_billing', result: 'ok', subject: 'ACC-001' },
        ],
        refunds: [{ refundId: refund.refund_id, orderId: 'ORD-12345', amount: 84.99, currency: 'USD' }],
        sideEffects: [{ tool: 'process_refund', result: 'ok', subject: 'ORD-12345', reference: refund.refund_id }],
        escalation: { target: 'human', reason: 'caller asked for a human', transferred: true },
      },
    });
    expect(summary!.reasonForCall).toMatch(/^I have a question about a charge on my bill\. My email is \[email\]/);
    expect(summary!.departmentsPath.map((visit) => [visit.department, visit.handoffReason])).toEqual([
      ['triage', null],
      ['billing', 'caller asked about a charge'],
      ['refund', 'caller wants a refund'],
      ['escalation', 'caller asked for a human'],
    ]);
  });

  it('cancels a transfer the caller interrupts: no session.update, no result, the caller stays with triage', async () => {
    const placed = await call();
    await agentFinished(placed, 1);
    await placed.say('I have a question about a charge on my bill');
    const transfer = await placed.waitToService('tool.call', (message) => message.name === 'transfer_to_billing');
    await placed.say('Hold on, never mind.');
    await placed.waitToService('reply.done', (message) => message.status === 'interrupted');
    const afterInterruption = placed.mark();
    await placed.replyFinishedAfter(afterInterruption);

    expect(updates(placed)).toEqual([]);
    expect(placed.fromService('tool.result').filter((message) => message.call_id === transfer.call_id)).toEqual([]);
    expect(hopsOf(await loggedHandoffs(placed, 1))).toEqual(['triage->billing:cancelled:INTERRUPTED']);
    // Still triage: a billing tool is not the agent's.
    await placed.provider.forceToolCall(placed.callSid, 'check_billing', { account_id: 'ACC-001' });
    const refused = await placed.waitFromService('tool.result', (message) => resultOf(message).tool === 'check_billing');
    expect(resultOf(refused)).toMatchObject({ error: 'tool_not_available' });
  });

  it('applies a transfer and answers a backend call from the same reply: the update first, then both results', async () => {
    const placed = await call();
    await agentFinished(placed, 1);
    await placed.provider.forceToolCall(
      placed.callSid,
      'lookup_order',
      { order_id: 'ORD-12345' },
      {
        alongside: [{ name: 'transfer_to_refund', arguments: TRANSFER }],
      },
    );
    const lookup = await placed.waitToService('tool.call', (message) => message.name === 'lookup_order');
    const transfer = await placed.waitToService('tool.call', (message) => message.name === 'transfer_to_refund');
    const toRefund = await waitForUpdate(placed, 1);
    expect(promptOf(toRefund)).toMatch(/^You are the Refund/);
    expect(resultOf(await resultFor(placed, lookup))).toMatchObject({ order_id: 'ORD-12345', status: 'shipped' });
    expect(resultOf(await resultFor(placed, transfer))).toMatchObject({ status: 'transferred', department: 'refund' });
    const order = placed
      .observed()
      .filter((event) => event.direction === 'client-to-provider' && ['session.update', 'tool.result'].includes(String(event.message.type)))
      .slice(1)
      .map((event) => (event.message.type === 'tool.result' ? `result:${String(event.message.call_id)}` : String(event.message.type)));
    expect(order).toEqual(['session.update', `result:${String(lookup.call_id)}`, `result:${String(transfer.call_id)}`]);
    expect(hopsOf(await loggedHandoffs(placed, 1))).toEqual(['triage->refund:applied']);
  });

  it('applies the first of two transfers in one reply and refuses the second', async () => {
    const placed = await call();
    await agentFinished(placed, 1);
    await placed.provider.forceToolCall(placed.callSid, 'transfer_to_billing', TRANSFER, {
      alongside: [{ name: 'transfer_to_refund', arguments: TRANSFER }],
    });
    const first = await placed.waitToService('tool.call', (message) => message.name === 'transfer_to_billing');
    const second = await placed.waitToService('tool.call', (message) => message.name === 'transfer_to_refund');
    expect(resultOf(await resultFor(placed, first))).toMatchObject({ status: 'transferred', department: 'billing' });
    expect(resultOf(await resultFor(placed, second))).toMatchObject({ error: 'handoff_refused', code: 'TRANSFER_ALREADY_PENDING' });
    await placed.replyFinishedAfter(placed.mark());
    expect(updates(placed).map(promptOf)).toEqual([expect.stringMatching(/^You are the Billing agent/)]);
    // Both were asked for in the same instant: which row is older says nothing.
    expect(hopsOf(await loggedHandoffs(placed, 2)).sort()).toEqual([
      'triage->billing:applied',
      'triage->refund:refused:TRANSFER_ALREADY_PENDING',
    ]);
  });

  it('refuses ping-pong between two departments, and a tool the department has no longer', async () => {
    const placed = await call();
    await agentFinished(placed, 1);
    const transfer = async (tool: string) => {
      await placed.provider.forceToolCall(placed.callSid, tool, TRANSFER);
      const since = placed.fromService('tool.result').length;
      await waitFor(() => placed.fromService('tool.result').length > since, { what: `the result of ${tool}` });
      return resultOf(placed.fromService('tool.result').at(-1)!);
    };
    expect(await transfer('transfer_to_billing')).toMatchObject({ status: 'transferred', department: 'billing' });
    expect(await transfer('transfer_to_triage')).toMatchObject({ status: 'transferred', department: 'triage' });
    expect(await transfer('transfer_to_billing')).toMatchObject({ error: 'handoff_refused', code: 'PING_PONG' });
    // A refused ping-pong means the agent is stuck: the department's escalation rule moves the caller on by itself.
    const toEscalation = await placed.waitFromService('session.update', (message) => promptOf(message).includes('Reason: escalation rule'));
    expect(promptOf(toEscalation)).toContain('handoff refused: PING_PONG');
    expect(updates(placed)).toHaveLength(3);
    // The refusal and the rule's handoff are requested in the same millisecond: the log may list them either way round.
    expect(hopsOf(await loggedHandoffs(placed, 4)).sort()).toEqual([
      'billing->triage:applied',
      'triage->billing:applied',
      'triage->billing:refused:PING_PONG',
      'triage->escalation:applied',
    ]);
    // With escalation now, whose tools do not include billing's.
    await placed.provider.forceToolCall(placed.callSid, 'check_billing', { account_id: 'ACC-001' });
    const refused = await placed.waitFromService('tool.result', (message) => resultOf(message).tool === 'check_billing');
    expect(resultOf(refused)).toMatchObject({ error: 'tool_not_available' });
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
