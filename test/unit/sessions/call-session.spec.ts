import { CALL_END_REASONS, CallEndReason, CallOutcome } from '../../../src/call-journal/call-event.types';
import { decideCallOutcome, orphanedCallEnding, outcomeFactsFrom } from '../../../src/call-journal/call-outcome.rules';
import { factory } from '../../support/factories';
import { FieldLogger, silentLogger } from '../../../src/common/field-logger';
import { harness, TEN_WORDS, waitForCondition } from './call-session.harness';

/** The default departments with the handoff-refused escalation rule off. */
function withoutRefusalEscalation() {
  const agents = factory.departments();
  for (const agent of agents.values()) agent.escalation = { ...agent.escalation, handoffRefused: { action: 'off' } };
  return agents;
}

describe('CallSession', () => {
  it('opens the provider session with the entry agent and only its tools', () => {
    const call = harness();
    const session = call.opened().session;
    expect(session.greeting).toBe('Hello from triage.');
    expect(session.tools!.map((tool) => tool.name)).toEqual([
      'lookup_order',
      'lookup_account_by_email',
      'transfer_to_billing',
      'transfer_to_refund',
      'transfer_to_faq',
      'transfer_to_escalation',
    ]);
  });

  it('relays agent audio to Twilio and caller audio to the provider', () => {
    const call = harness();
    call.session.onAudio('AAAA');
    call.session.callerAudio('BBBB');
    expect(call.leg.sendAudio).toHaveBeenCalledWith('AAAA');
    expect(call.connection.sent).toContainEqual({ type: 'audio' });
  });

  it('answers a tool call only at the next reply.done, as a JSON string', async () => {
    const call = harness();
    call.toolCall('c1', 'lookup_order', { order_id: 'ORD-12345' });
    await call.settle(0, { status: 'shipped' });
    expect(call.connection.results()).toEqual([]);
    call.replyDone();
    expect(call.connection.results()).toEqual([{ type: 'tool.result', callId: 'c1', result: { status: 'shipped' } }]);
  });

  it('sends a slow result as soon as it lands when reply.done came first', async () => {
    const call = harness();
    call.toolCall('c1', 'lookup_order');
    call.replyDone();
    expect(call.connection.results()).toEqual([]);
    await call.settle(0, { status: 'shipped' });
    expect(call.connection.results().map((result) => result.callId)).toEqual(['c1']);
  });

  it('drops pending results and clears Twilio audio when the caller barges in', async () => {
    const call = harness();
    call.toolCall('c1', 'lookup_order');
    call.session.onEvent({ type: 'input.speech.started' });
    expect(call.leg.clearAudio).toHaveBeenCalledTimes(1);
    await call.settle(0, { status: 'shipped' });
    call.replyDone();
    expect(call.connection.results()).toEqual([]);
    expect(call.events.map((event) => event.type)).toEqual(expect.arrayContaining(['interruption', 'tool.result.dropped', 'tool.result']));
  });

  it('clears Twilio audio and drops results on an interrupted reply.done', async () => {
    const call = harness();
    call.toolCall('c1', 'lookup_order');
    await call.settle(0, {});
    call.replyDone('interrupted');
    expect(call.leg.clearAudio).toHaveBeenCalled();
    call.replyDone();
    expect(call.connection.results()).toEqual([]);
  });

  it('refuses a tool the current agent does not have, without running it', () => {
    const call = harness();
    call.toolCall('c1', 'process_refund', { order_id: 'ORD-12345' });
    call.replyDone();
    expect(call.pendingTools).toEqual([]);
    expect(call.connection.results()[0].result).toMatchObject({ error: 'tool_not_available', tool: 'process_refund' });
  });

  it('answers a second tool call with the same call id with its own error, and the first with its result', async () => {
    const call = harness();
    call.toolCall('c1', 'lookup_order', { order_id: 'ORD-12345' });
    call.toolCall('c1', 'lookup_order', { order_id: 'ORD-67890' });
    call.replyDone();
    await call.settle(0, { status: 'shipped' });
    expect(call.pendingTools).toHaveLength(1);
    expect(call.connection.results()).toEqual([
      { type: 'tool.result', callId: 'c1', result: expect.objectContaining({ error: 'duplicate_call_id' }) },
      { type: 'tool.result', callId: 'c1', result: { status: 'shipped' } },
    ]);
  });

  it('answers malformed arguments with an error instead of running the tool', () => {
    const call = harness();
    call.session.onEvent({ type: 'tool.call', call_id: 'c1', name: 'lookup_order', arguments: {}, invalidArguments: { raw: '{oops' } });
    call.replyDone();
    expect(call.pendingTools).toEqual([]);
    expect(call.connection.results()[0].result).toMatchObject({ error: 'invalid_arguments' });
  });

  it('applies a handoff at reply.done: one session.update with the new prompt and tools, then the result', () => {
    const call = harness();
    call.toolCall('t1', 'transfer_to_billing', { reason: 'charge question', summary: 'Caller asks about a charge' });
    expect(call.connection.updates()).toEqual([]);
    call.replyDone();
    const kinds = call.connection.sent.filter((message) => message.type !== 'audio').map((message) => message.type);
    expect(kinds).toEqual(['session.update', 'tool.result']);
    const update = call.connection.updates()[0].update;
    expect(update.system_prompt).toContain('You are the billing agent');
    expect(update.system_prompt).toContain('Reason: charge question');
    expect(update.tools!.map((tool) => tool.name)).toEqual([
      'lookup_account_by_email',
      'check_billing',
      'create_ticket',
      'transfer_to_refund',
      'transfer_to_faq',
      'transfer_to_escalation',
      'transfer_to_triage',
    ]);
    expect(update).not.toHaveProperty('output');
    expect(call.connection.results()[0].result).toMatchObject({ status: 'transferred', department: 'billing' });
    expect(call.session.department).toBe('billing');
    expect(call.handoffs).toEqual([
      expect.objectContaining({ fromAgent: 'triage', toAgent: 'billing', status: 'applied', fromVersion: 1, toVersion: 1 }),
    ]);
    expect(call.handoffs[0].latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('carries verified account and order into the next department', async () => {
    const call = harness();
    call.toolCall('c1', 'lookup_account_by_email', { email: 'jane@example.com', postcode: '94107' });
    await call.settle(
      0,
      { account_id: 'ACC-001' },
      { verifiedAccount: { id: 'ACC-001', name: 'Jane Doe', email: 'jane@example.com' }, orderId: 'ORD-12345' },
    );
    call.replyDone();
    call.toolCall('t1', 'transfer_to_refund', { reason: 'refund', summary: 'wants a refund' });
    call.replyDone();
    const prompt = call.connection.updates()[0].update.system_prompt!;
    expect(prompt).toContain('Verified account: ACC-001');
    expect(prompt).toContain('Order in question: ORD-12345');
  });

  it('cancels a transfer the caller interrupts: no update, no result, logged as cancelled', () => {
    const call = harness();
    call.toolCall('t1', 'transfer_to_billing', { reason: 'r', summary: 's' });
    call.session.onEvent({ type: 'input.speech.started' });
    call.replyDone('interrupted');
    call.replyDone();
    expect(call.connection.updates()).toEqual([]);
    expect(call.connection.results()).toEqual([]);
    expect(call.handoffs).toEqual([expect.objectContaining({ status: 'cancelled', code: 'INTERRUPTED', toAgent: 'billing' })]);
    expect(call.session.department).toBe('triage');
  });

  it('applies a transfer and answers backend calls from the same reply', async () => {
    const call = harness();
    call.toolCall('c1', 'lookup_order', { order_id: 'ORD-12345' });
    call.toolCall('t1', 'transfer_to_refund', { reason: 'refund', summary: 's' });
    await call.settle(0, { status: 'shipped' });
    call.replyDone();
    const kinds = call.connection.sent
      .filter((message) => message.type !== 'audio')
      .map((message) => (message.type === 'tool.result' ? `result:${message.callId}` : message.type));
    expect(kinds).toEqual(['session.update', 'result:c1', 'result:t1']);
  });

  it('applies the first of two transfers in one reply and refuses the second', () => {
    const call = harness();
    call.toolCall('t1', 'transfer_to_billing', { reason: 'a', summary: 'a' });
    call.toolCall('t2', 'transfer_to_refund', { reason: 'b', summary: 'b' });
    call.replyDone();
    expect(call.connection.updates()).toHaveLength(1);
    expect(call.session.department).toBe('billing');
    const results = Object.fromEntries(call.connection.results().map((result) => [result.callId, result.result]));
    expect(results.t1).toMatchObject({ status: 'transferred' });
    expect(results.t2).toMatchObject({ error: 'handoff_refused', code: 'TRANSFER_ALREADY_PENDING' });
    expect(call.handoffs.map((entry) => entry.status)).toEqual(['refused', 'applied']);
  });

  it('refuses ping-pong between two departments', () => {
    // The refusal itself; what the escalation rules then do is in call-session.escalation.spec.ts.
    const call = harness({ agents: withoutRefusalEscalation() });
    for (const [id, tool] of [
      ['t1', 'transfer_to_billing'],
      ['t2', 'transfer_to_triage'],
      ['t3', 'transfer_to_billing'],
    ]) {
      call.toolCall(id, tool, { reason: 'r', summary: 's' });
      call.replyDone();
    }
    expect(call.connection.updates()).toHaveLength(2);
    expect(call.session.department).toBe('triage');
    expect(call.connection.results().at(-1)!.result).toMatchObject({ error: 'handoff_refused', code: 'PING_PONG' });
    expect(call.handoffs.at(-1)).toMatchObject({ status: 'refused', code: 'PING_PONG' });
  });

  it('refuses handoffs past the per-call maximum', () => {
    const call = harness({ maxHandoffs: 1, agents: withoutRefusalEscalation() });
    call.toolCall('t1', 'transfer_to_billing', { reason: 'r', summary: 's' });
    call.replyDone();
    call.toolCall('t2', 'transfer_to_refund', { reason: 'r', summary: 's' });
    call.replyDone();
    expect(call.session.department).toBe('billing');
    expect(call.connection.results().at(-1)!.result).toMatchObject({ code: 'TOO_MANY_HANDOFFS' });
  });

  it('uses the latest config of the target at handoff time', () => {
    const agents = factory.departments();
    const call = harness({ agents });
    agents.set('billing', { ...agents.get('billing')!, version: 2, systemPrompt: 'You are the billing agent, edited.' });
    call.toolCall('t1', 'transfer_to_billing', { reason: 'r', summary: 's' });
    call.replyDone();
    expect(call.connection.updates()[0].update.system_prompt).toContain('edited');
    expect(call.handoffs[0].toVersion).toBe(2);
  });

  it('moves the call to a human at the reply boundary, with no tool result, and ends as escalated', async () => {
    const agents = factory.departments();
    agents.set('triage', { ...agents.get('triage')!, tools: [...agents.get('triage')!.tools, 'transfer_to_human'] });
    const call = harness({ agents });
    call.toolCall('h1', 'transfer_to_human', { reason: 'asked for a person', summary: 'Jane wants a manager' });
    expect(call.leg.transferToHuman).not.toHaveBeenCalled();
    call.replyDone();
    await call.flush();
    await call.flush();
    expect(call.leg.transferToHuman).toHaveBeenCalledWith({ reason: 'asked for a person', summary: 'Jane wants a manager' });
    expect(call.connection.results()).toEqual([]);
    expect(call.connection.sent.at(-1)).toEqual({ type: 'end' });
    expect(call.endings).toEqual([expect.objectContaining({ reason: 'human-transfer', outcome: 'escalated' })]);
    expect(call.events.find((event) => event.type === 'escalation')).toMatchObject({
      cause: 'agent-requested',
      transferred: true,
      reason: 'asked for a person',
    });
    expect(call.telemetry.escalations).toEqual([{ cause: 'agent-requested', result: 'transferred' }]);
  });

  it('fails safely when the provider connection is lost: an apology, then a human, the stream closed', async () => {
    const call = harness();
    call.session.onClosed({ kind: 'lost', message: 'resume failed' });
    await expect(call.session.finished).resolves.toBe('provider-lost');
    expect(call.leg.playPrompt.mock.calls.map(([prompt]) => prompt)).toEqual(['apology']);
    expect(call.leg.playPrompt.mock.invocationCallOrder[0]).toBeLessThan(call.leg.transferToHuman.mock.invocationCallOrder[0]);
    expect(call.endings[0]).toMatchObject({ reason: 'provider-lost', outcome: 'escalated' });
    expect(call.leg.close).toHaveBeenCalledWith('provider-lost');
  });

  it('says goodbye and ends the call as failed when no human can take it after a provider failure', async () => {
    const call = harness({ transfer: { status: 'failed', detail: 'Twilio refused the transfer' } });
    call.session.onClosed({ kind: 'ended' });
    await expect(call.session.finished).resolves.toBe('failure');
    expect(call.leg.playPrompt.mock.calls.map(([prompt]) => prompt)).toEqual(['apology', 'goodbye']);
    expect(call.endings[0]).toMatchObject({ reason: 'failure', outcome: 'failed' });
    expect(call.events.find((event) => event.type === 'escalation')).toMatchObject({
      transferred: false,
      detail: 'Twilio refused the transfer',
    });
    // The stream is closed from our side: Twilio ends the call instead of leaving the caller on an open line.
    expect(call.leg.close).toHaveBeenCalledWith('failure');
  });

  it('keeps the caller with the agent when an agent-requested transfer cannot be placed', async () => {
    const agents = factory.departments();
    agents.set('triage', { ...agents.get('triage')!, tools: [...agents.get('triage')!.tools, 'transfer_to_human'] });
    const call = harness({ agents, transfer: { status: 'failed', detail: 'Twilio refused the transfer' } });
    call.toolCall('h1', 'transfer_to_human', { reason: 'asked for a person', summary: 'wants a manager' });
    call.replyDone();
    await waitForCondition(() => call.connection.results().length > 0);
    expect(call.connection.results()).toEqual([
      { type: 'tool.result', callId: 'h1', result: expect.objectContaining({ error: 'transfer_failed' }) },
    ]);
    expect(call.session.ended).toBe(false);
    expect(call.leg.close).not.toHaveBeenCalled();
    expect(call.events.find((event) => event.type === 'escalation')).toMatchObject({ transferred: false });
    await call.session.end('twilio-stop');
    expect(call.endings[0].outcome).not.toBe('escalated');
  });

  it('tells the caller "one moment" when the provider is slow to come back, once per outage', () => {
    jest.useFakeTimers();
    try {
      const call = harness({ holdPromptAfterMs: 2000 });
      call.session.onEvent({ type: 'session.ready', session_id: 'sess_1' });
      jest.advanceTimersByTime(5000);
      expect(call.leg.playPrompt).not.toHaveBeenCalled();
      call.session.onReconnecting();
      jest.advanceTimersByTime(1999);
      expect(call.leg.playPrompt).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(call.leg.playPrompt).toHaveBeenCalledWith('hold');
      call.session.onResumed({ fresh: false, sessionId: 'sess_1' });
      call.session.onReconnecting();
      call.session.onResumed({ fresh: false, sessionId: 'sess_1' });
      jest.advanceTimersByTime(10_000);
      expect(call.leg.playPrompt).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('settles `finished` however the call ends, so its owner can let it go', async () => {
    const agents = factory.departments();
    agents.set('triage', { ...agents.get('triage')!, tools: [...agents.get('triage')!.tools, 'transfer_to_human'] });
    const call = harness({ agents });
    call.toolCall('h1', 'transfer_to_human', { reason: 'asked for a person', summary: 'wants a manager' });
    call.replyDone();
    await expect(call.session.finished).resolves.toBe('human-transfer');
    expect(call.session.ended).toBe(true);
  });

  it('rebuilds a fresh session from the call so far when resume is refused', async () => {
    const call = harness();
    call.session.onEvent({ type: 'transcript.user', text: 'my order ORD-12345 is late' });
    call.toolCall('c1', 'lookup_order');
    const fresh = call.session.onFreshSessionRequired();
    expect(fresh.system_prompt).toContain('Caller: my order ORD-12345 is late');
    expect(fresh.tools!.length).toBeGreaterThan(0);
    await call.settle(0, { status: 'shipped' });
    call.replyDone();
    expect(call.connection.results()).toEqual([]);
  });

  it('gives a rebuilt session the recent turns as history, and keeps the voice the call started with', () => {
    const call = harness();
    call.callerSays('my order ORD-12345 is late');
    call.agentSays('Let me look that up.');
    const fresh = call.session.onFreshSessionRequired();
    expect(fresh.history).toEqual([
      { role: 'caller', text: 'my order ORD-12345 is late' },
      { role: 'agent', text: 'Let me look that up.' },
    ]);
    expect(fresh.output?.voice).toBe(call.opened().session.output?.voice);
  });

  it("starts with the provider's default voice when the agent's voice is not one this provider has", () => {
    const agents = factory.departments();
    agents.set('triage', { ...agents.get('triage')!, voice: 'marin' });
    const call = harness({ agents });
    expect(call.opened().session.output?.voice).toBe('ivy');
    expect(call.session.onFreshSessionRequired().output?.voice).toBe('ivy');
  });

  it('records the conversation in order and ends once', async () => {
    const call = harness();
    call.session.onEvent({ type: 'transcript.user', text: 'hello' });
    call.session.onEvent({ type: 'transcript.agent', text: 'hi there' });
    call.wait(30);
    await Promise.all([call.session.end('twilio-stop'), call.session.end('hangup')]);
    expect(call.events.map((event) => event.type)).toEqual(['call.started', 'caller.said', 'agent.said', 'call.ended']);
    expect(call.endings).toEqual([expect.objectContaining({ reason: 'twilio-stop', outcome: 'resolved', departments: ['triage'] })]);
  });
});

describe('CallSession: caller turns', () => {
  const turnEvents = (call: Harness) => call.events.filter((event) => event.type === 'turn');

  it('records each turn when the caller speaks again: the wait from end of speech to the first audio sent', () => {
    const call = harness();
    call.session.onEvent({ type: 'input.speech.stopped' });
    call.waitMs(300);
    call.replyStarted();
    call.waitMs(450);
    call.agentAudio(60);
    call.waitMs(500);
    expect(turnEvents(call)).toEqual([]);

    call.session.onEvent({ type: 'input.speech.started' });

    expect(turnEvents(call)).toEqual([
      expect.objectContaining({
        type: 'turn',
        turn: 1,
        department: 'triage',
        provider: 'fake',
        responseLatencyMs: 750,
        answerLatencyMs: 750,
      }),
    ]);
    expect(call.telemetry.turns).toHaveLength(1);
    expect(call.telemetry.interruptions).toEqual(['triage']);
  });

  it("shows a slow tool's share of the answer, and records the open turn before call.ended when the caller hangs up", async () => {
    const call = harness();
    call.session.onEvent({ type: 'input.speech.stopped' });
    call.waitMs(200);
    call.replyStarted();
    call.toolCall('t1', 'lookup_order', { order_id: 'ORD-12345' });
    call.agentAudio(40);
    call.replyDone();
    call.waitMs(1500);
    await call.settle(0, { order_id: 'ORD-12345', status: 'shipped' });
    call.waitMs(300);
    call.replyStarted();
    call.agentAudio(20);

    await call.session.end('hangup');

    const types = call.events.map((event) => event.type);
    expect(types.indexOf('turn')).toBe(types.indexOf('call.ended') - 1);
    expect(turnEvents(call)[0]).toMatchObject({
      responseLatencyMs: 200,
      answerLatencyMs: 2000,
      tools: [{ toolCallId: 't1', name: 'lookup_order', startMs: 200, durationMs: 1500, ok: true }],
      breakdown: { toolsMs: 1500, handoffsMs: 0, otherMs: 500 },
    });
    expect(call.telemetry.endings).toEqual([{ reason: 'hangup', outcome: expect.any(String), department: 'triage' }]);
  });

  it("binds the call's trace id to every line it logs, when tracing is on", () => {
    const bound: Record<string, unknown>[] = [];
    const logger: FieldLogger = { ...silentLogger, child: (fields) => (bound.push(fields), silentLogger) };
    const call = harness({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', logger });
    expect(bound).toEqual([{ callSid: 'CA1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }]);
    expect(call.session.traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    harness({ logger });
    expect(bound[1]).toEqual({ callSid: 'CA1' });
  });

  it('reports a tool run before the caller first spoke on its own, outside any turn', async () => {
    const call = harness();
    call.toolCall('t1', 'lookup_order', { order_id: 'ORD-12345' });
    await call.settle(0, { order_id: 'ORD-12345' });
    expect(call.telemetry.toolsOutsideTurns).toEqual([expect.objectContaining({ toolCallId: 't1', name: 'lookup_order', ok: true })]);
  });

  it('puts a handoff inside the turn that asked for it, answered by the new department', async () => {
    const call = harness();
    call.session.onEvent({ type: 'input.speech.stopped' });
    call.replyStarted();
    call.toolCall('x1', 'transfer_to_billing', { reason: 'invoice question', summary: 'Jane asks about her invoice' });
    call.agentAudio(20);
    call.waitMs(100);
    call.replyDone();
    call.waitMs(50);
    call.replyStarted();
    call.agentAudio(20);
    call.session.onEvent({ type: 'input.speech.started' });

    expect(turnEvents(call)[0]).toMatchObject({
      department: 'billing',
      handoffs: [{ from: 'triage', to: 'billing', status: 'applied', startMs: 0 }],
      answerLatencyMs: 150,
    });
    expect(call.telemetry.handoffs).toEqual([expect.objectContaining({ from: 'triage', to: 'billing', status: 'applied', inTurn: true })]);
  });
});

describe('CallSession: what the caller heard', () => {
  it('follows every chunk of agent audio with a mark, and leaves out a chunk Twilio could not take', () => {
    const call = harness();
    call.replyStarted();
    call.agentAudio(40);
    call.leg.sendAudio.mockReturnValueOnce(false);
    call.agentAudio(20);
    call.agentAudio(20);
    expect(call.leg.mark.mock.calls.map(([name]) => name)).toEqual(['reply-1@20', 'reply-1@40', 'reply-1@60']);
  });

  it('records a reply once all of its audio has played, in full', () => {
    const call = harness();
    call.replyStarted();
    call.agentAudio(200);
    call.agentSays(TEN_WORDS);
    call.replyDone();
    call.twilioPlays(180);
    expect(call.agentTurns()).toEqual([]);
    call.twilioPlays(20);
    expect(call.agentTurns()).toEqual([
      { type: 'agent.said', at: expect.any(String), department: 'triage', text: TEN_WORDS, interrupted: false },
    ]);
  });

  it('AssemblyAI: on a barge-in clears Twilio, tells the provider what was heard, and records one turn of the words heard', () => {
    const call = harness();
    call.replyStarted();
    call.agentSays(TEN_WORDS); // AssemblyAI may send the full text at once...
    call.agentAudio(600);
    call.twilioPlays(400);
    const replyInterrupted = jest.spyOn(call.connection, 'replyInterrupted');
    call.session.onEvent({ type: 'input.speech.started' });
    expect(call.leg.clearAudio).toHaveBeenCalledTimes(1);
    expect(call.leg.clearAudio.mock.invocationCallOrder[0]).toBeLessThan(replyInterrupted.mock.invocationCallOrder[0]);
    expect(call.connection.interruptions).toEqual([400]);
    // ...then the words of the audio it had sent, trimmed, and an interrupted reply.done.
    call.session.onEvent({ type: 'transcript.agent', text: 'one two three four five six', interrupted: true });
    call.twilioEchoesTheRest();
    call.replyDone('interrupted');

    expect(call.agentTurns()).toEqual([
      {
        type: 'agent.said',
        at: expect.any(String),
        department: 'triage',
        text: 'one two three four',
        interrupted: true,
        heardMs: 400,
        generatedText: 'one two three four five six',
      },
    ]);
    expect(call.events.map((event) => event.type)).toEqual(['call.started', 'interruption', 'agent.said']);
    expect(call.connection.interruptions).toEqual([400]);
  });

  it('OpenAI: a reply generated in full but still playing is cut where the caller came in, at once', () => {
    const call = harness();
    call.replyStarted();
    call.agentAudio(1000); // faster than real time
    call.agentSays(TEN_WORDS);
    call.replyDone();
    call.twilioPlays(300);
    expect(call.agentTurns()).toEqual([]);

    call.session.onEvent({ type: 'input.speech.started' });
    expect(call.leg.clearAudio).toHaveBeenCalledTimes(1);
    expect(call.connection.interruptions).toEqual([300]);
    expect(call.agentTurns()).toEqual([expect.objectContaining({ text: 'one two three', interrupted: true, heardMs: 300 })]);
    expect(call.events.map((event) => event.type)).toEqual(['call.started', 'interruption', 'agent.said']);

    // Twilio echoes the dropped audio's marks after the clear: none of it was heard, nothing more is recorded.
    call.twilioEchoesTheRest();
    call.callerSays('wait, I have a question');
    expect(call.agentTurns()).toHaveLength(1);
  });

  it('OpenAI: words that come after the barge-in are cut by what was heard of the audio sent', () => {
    const call = harness();
    call.replyStarted();
    call.agentAudio(500);
    call.twilioPlays(200);
    call.session.onEvent({ type: 'input.speech.started' });
    call.session.onEvent({ type: 'transcript.agent', text: 'one two three four five' });
    call.replyDone('interrupted');
    expect(call.connection.interruptions).toEqual([200]);
    expect(call.agentTurns()).toEqual([expect.objectContaining({ text: 'one two', interrupted: true, heardMs: 200 })]);
  });

  it('measures the next reply from its own start, whatever marks of the cut one come back late', () => {
    const call = harness();
    call.replyStarted();
    call.agentAudio(400);
    call.twilioPlays(100);
    call.session.onEvent({ type: 'input.speech.started' });
    call.replyDone('interrupted');
    const marksOfTheCutReply = call.leg.mark.mock.calls.length;

    call.replyStarted();
    call.agentAudio(300);
    call.twilioEchoesTheRest(); // the cut reply's marks (echoed by the clear) and the new reply's 300 ms
    expect(call.leg.mark.mock.calls.length - marksOfTheCutReply).toBe(15);
    call.session.onEvent({ type: 'input.speech.started' });
    expect(call.connection.interruptions).toEqual([100, 300]);
  });

  it('waits for words that come after reply.done, and cuts them by what was heard', () => {
    const call = harness();
    call.replyStarted();
    call.agentAudio(600);
    call.twilioPlays(300);
    call.session.onEvent({ type: 'input.speech.started' });
    call.replyDone('interrupted');
    expect(call.agentTurns()).toEqual([]);
    call.session.onEvent({ type: 'transcript.agent', text: 'one two three four five six', interrupted: true });
    expect(call.agentTurns()).toEqual([expect.objectContaining({ text: 'one two three', interrupted: true, heardMs: 300 })]);
  });

  it('does not take a reply with no words, once played, for one still playing', () => {
    const call = harness();
    call.replyStarted(); // OpenAI: a reply holding only a function call
    call.replyDone();
    call.session.onEvent({ type: 'input.speech.started' });
    expect(call.connection.interruptions).toEqual([]);
    expect(call.events.map((event) => event.type)).not.toContain('interruption');
    expect(call.agentTurns()).toEqual([]);
  });

  it('tells the provider nothing when the caller speaks while no reply plays', () => {
    const call = harness();
    call.replyStarted();
    call.agentAudio(100);
    call.agentSays('Hello.');
    call.replyDone();
    call.twilioPlays(100);
    call.session.onEvent({ type: 'input.speech.started' });
    expect(call.leg.clearAudio).toHaveBeenCalledTimes(1);
    expect(call.connection.interruptions).toEqual([]);
    expect(call.events.map((event) => event.type)).toEqual(['call.started', 'agent.said']);
  });

  it('records a reply whose marks never come back when the caller next speaks, or the call ends, as generated', async () => {
    const call = harness();
    call.replyStarted();
    call.agentAudio(100);
    call.agentSays('First reply.');
    call.replyDone();
    call.callerSays('ok');
    call.replyStarted();
    call.agentAudio(100);
    call.agentSays('Second reply.');
    call.replyDone();
    await call.session.end('hangup');
    expect(call.events.map((event) => (event.type === 'agent.said' ? `agent: ${event.text}` : event.type))).toEqual([
      'call.started',
      'agent: First reply.',
      'caller.said',
      'agent: Second reply.',
      'call.ended',
    ]);
  });

  it('records the words of a reply in the department that spoke them, even when a handoff applies before it has played', () => {
    const call = harness();
    call.replyStarted();
    call.toolCall('t1', 'transfer_to_billing', { reason: 'r', summary: 's' });
    call.agentAudio(100);
    call.agentSays('Let me transfer you.');
    call.replyDone();
    expect(call.session.department).toBe('billing');
    call.twilioPlays(100);
    expect(call.agentTurns()).toEqual([expect.objectContaining({ department: 'triage', text: 'Let me transfer you.' })]);
  });

  it('gives a rebuilt session the words the caller heard', () => {
    const call = harness();
    call.callerSays('where is my order');
    call.replyStarted();
    call.agentAudio(1000);
    call.agentSays(TEN_WORDS);
    call.replyDone();
    call.twilioPlays(200);
    call.session.onEvent({ type: 'input.speech.started' });
    expect(call.session.onFreshSessionRequired().history).toEqual([
      { role: 'caller', text: 'where is my order' },
      { role: 'agent', text: 'one two' },
    ]);
  });
});

type Harness = ReturnType<typeof harness>;

/** Calls played through a live session; each ends however the test ends it. */
const LIVE_CALLS: Record<string, { play: (call: Harness) => Promise<void>; onHangUp: CallOutcome }> = {
  'a caller who was helped': {
    play: async (call) => {
      call.agentSays('Hi, how can I help?');
      call.callerSays('Where is ORD-12345?');
      call.toolCall('c1', 'lookup_order', { order_id: 'ORD-12345' });
      call.replyDone();
      await call.settle(0, { status: 'shipped' });
      call.wait(20);
      call.agentSays('It has shipped.');
    },
    onHangUp: 'resolved',
  },
  'a wrong number, gone in 5 seconds': {
    play: async (call) => {
      call.agentSays('Hi!');
      call.callerSays('Oops, wrong number');
      call.agentSays('No problem.');
      call.wait(5);
    },
    onHangUp: 'abandoned',
  },
  'a caller who spoke and got no answer': {
    play: async (call) => {
      call.agentSays('Hi!');
      call.callerSays('I need help with my bill');
      call.wait(30);
    },
    onHangUp: 'abandoned',
  },
  'a tool failure never made good': {
    play: async (call) => {
      call.callerSays('Where is ORD-99999?');
      call.toolCall('c1', 'lookup_order', { order_id: 'ORD-99999' });
      call.replyDone();
      await call.settle(0, { error: 'order_not_found' });
      call.agentSays('I cannot find that order.');
      call.wait(30);
    },
    onHangUp: 'failed',
  },
  'a tool failure made good by a later call': {
    play: async (call) => {
      call.callerSays('Where is ORD-99999?');
      call.toolCall('c1', 'lookup_order', { order_id: 'ORD-99999' });
      call.replyDone();
      await call.settle(0, { error: 'order_not_found' });
      call.agentSays('I cannot find that order.');
      call.callerSays('Sorry, ORD-12345');
      call.toolCall('c2', 'lookup_order', { order_id: 'ORD-12345' });
      call.replyDone();
      await call.settle(1, { status: 'shipped' });
      call.agentSays('Found it: shipped.');
      call.wait(30);
    },
    onHangUp: 'resolved',
  },
  'a handoff refused as ping-pong': {
    play: async (call) => {
      call.callerSays('A question about my bill');
      for (const [id, tool] of [
        ['t1', 'transfer_to_billing'],
        ['t2', 'transfer_to_triage'],
        ['t3', 'transfer_to_billing'],
      ]) {
        call.toolCall(id, tool, { reason: 'r', summary: 's' });
        call.replyDone();
      }
      call.agentSays('I can help with that here.');
      call.wait(30);
    },
    onHangUp: 'resolved',
  },
};

describe('CallSession outcome: the live path and the journal agree', () => {
  describe.each(Object.entries(LIVE_CALLS))('%s', (_name, { play, onHangUp }) => {
    it.each(CALL_END_REASONS)('ended by %s: the outcome its journal gives', async (reason: CallEndReason) => {
      const call = harness();
      await play(call);
      await call.session.end(reason);
      const outcome = call.endings[0].outcome;
      expect(call.events.at(-1)).toMatchObject({ type: 'call.ended', reason, outcome });
      expect(decideCallOutcome(outcomeFactsFrom(call.events), reason)).toBe(outcome);
      if (reason === 'hangup') expect(outcome).toBe(onHangUp);
    });

    it('closed as orphaned from its journal: the outcome the live path gives an orphaned call', async () => {
      const live = harness();
      await play(live);
      await live.session.end('orphaned');
      const journal = harness();
      await play(journal);
      const endedAt = journal.events.at(-1)!.at;
      const { outcome, departments } = live.endings[0];
      expect(orphanedCallEnding(journal.events, endedAt)).toMatchObject({ reason: 'orphaned', outcome, departments });
    });
  });

  it('counts a call cut off by shutdown as failed, however well it was going', async () => {
    const call = harness();
    await LIVE_CALLS['a caller who was helped'].play(call);
    await call.session.end('shutdown');
    expect(call.endings[0]).toMatchObject({ reason: 'shutdown', outcome: 'failed' });
    expect(decideCallOutcome(outcomeFactsFrom(call.events), 'shutdown')).toBe('failed');
  });

  it('lets a human transfer placed after a provider failure win, on both paths', async () => {
    const call = harness();
    await LIVE_CALLS['a caller who was helped'].play(call);
    call.session.onClosed({ kind: 'lost', message: 'resume failed' });
    await call.session.finished;
    expect(call.endings[0]).toMatchObject({ reason: 'provider-lost', outcome: 'escalated' });
    expect(decideCallOutcome(outcomeFactsFrom(call.events), 'provider-lost')).toBe('escalated');
    expect(orphanedCallEnding(call.events.slice(0, -1), call.events.at(-1)!.at).outcome).toBe('escalated');
  });

  it('counts a provider failure no person could take as failed, on both paths', async () => {
    const call = harness({ transfer: { status: 'failed', detail: 'Twilio refused the transfer' } });
    await LIVE_CALLS['a caller who was helped'].play(call);
    call.session.onClosed({ kind: 'ended' });
    await call.session.finished;
    expect(call.endings[0]).toMatchObject({ reason: 'failure', outcome: 'failed' });
    expect(decideCallOutcome(outcomeFactsFrom(call.events), 'failure')).toBe('failed');
  });
});
