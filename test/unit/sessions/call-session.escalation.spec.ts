import { harness } from './call-session.harness';
import { eventsOfType } from '../../support/call-events';

describe('CallSession: escalation the service enforces', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] }));
  afterEach(() => jest.useRealTimers());

  it('moves a caller who asks for a person to escalation after the reply under way, with no tool call from the model', () => {
    const call = harness();
    call.callerSays('I want to talk to a real person');
    call.replyStarted();
    call.agentSays('Sure, let me look at your order.');
    expect(call.session.department).toBe('triage');
    call.replyDone();

    expect(call.session.department).toBe('escalation');
    expect(eventsOfType(call.events, 'escalation.triggered')).toEqual([
      expect.objectContaining({ trigger: 'human-request', action: 'escalation-handoff', department: 'triage', detail: '"real person"' }),
    ]);
    expect(call.handoffs).toEqual([
      expect.objectContaining({
        fromAgent: 'triage',
        toAgent: 'escalation',
        status: 'applied',
        reason: expect.stringContaining('asked for a person'),
      }),
    ]);
    expect(call.connection.updates()[0].update.system_prompt).toContain('Reason: escalation rule: the caller asked for a person');
    expect(call.connection.replyRequests).toEqual([expect.stringContaining('Escalation agent')]);
    expect(call.telemetry.escalationTriggers).toEqual([{ trigger: 'human-request', action: 'escalation-handoff' }]);
  });

  it('applies the handoff after a short grace when no reply follows the caller’s words', () => {
    const call = harness();
    call.callerSays('get me a representative');
    jest.advanceTimersByTime(1499);
    expect(call.session.department).toBe('triage');
    jest.advanceTimersByTime(1);
    expect(call.session.department).toBe('escalation');
  });

  it('sends a red flag to a person at once, cutting the agent off', async () => {
    const call = harness();
    call.replyStarted();
    call.agentAudio(200);
    call.callerSays('someone stole my card and used it, this is fraud');
    await call.flush();

    expect(call.leg.clearAudio).toHaveBeenCalled();
    const [request] = call.leg.transferToHuman.mock.calls[0] as unknown as [{ reason: string; summary: string }];
    expect(request.reason).toContain('must reach a person');
    expect(eventsOfType(call.events, 'escalation')).toEqual([
      expect.objectContaining({ cause: 'escalation-rule', trigger: 'red-flag', transferred: true }),
    ]);
    expect(await call.session.finished).toBe('human-transfer');
    expect(call.endings[0].outcome).toBe('escalated');
  });

  it('when no person can be reached after a red flag, hands the caller to escalation, which knows the transfer failed', async () => {
    const call = harness({ transfer: { status: 'failed', detail: 'no one free' } });
    call.callerSays('this is an emergency');
    await call.flush();
    jest.advanceTimersByTime(1500);
    expect(call.session.department).toBe('escalation');
    expect(call.handoffs[0].reason).toBe('transfer to a person failed');
    expect(call.connection.replyRequests.at(-1)).toContain('could not be placed');
  });

  it('hands off to escalation after three failed tool calls in a row', async () => {
    const call = harness();
    for (const id of ['t1', 't2', 't3']) {
      call.toolCall(id, 'lookup_order', { order_id: 'ORD-404' });
      await call.settle(call.pendingTools.length - 1, { error: 'order_not_found' });
    }
    expect(eventsOfType(call.events, 'escalation.triggered')).toEqual([expect.objectContaining({ trigger: 'failed-tools' })]);
    call.replyStarted();
    call.replyDone();
    expect(call.session.department).toBe('escalation');
  });

  it('escalates when the model keeps bouncing the caller and its handoff is refused', () => {
    const call = harness();
    call.toolCall('h1', 'transfer_to_billing', { reason: 'billing', summary: 's' });
    call.replyDone();
    call.toolCall('h2', 'transfer_to_triage', { reason: 'back', summary: 's' });
    call.replyDone();
    call.toolCall('h3', 'transfer_to_billing', { reason: 'again', summary: 's' });
    expect(eventsOfType(call.events, 'escalation.triggered')).toEqual([
      expect.objectContaining({ trigger: 'handoff-refused', detail: 'handoff refused: PING_PONG' }),
    ]);
  });
});

describe('CallSession: call guards', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] }));
  afterEach(() => jest.useRealTimers());

  it('asks a silent caller whether they are still there, then ends the call politely as abandoned', async () => {
    const call = harness({ silencePromptMs: 8000, silenceEndMs: 5000 });
    call.session.onEvent({ type: 'session.ready', session_id: 's1' });
    jest.advanceTimersByTime(7999);
    expect(call.connection.replyRequests).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(call.connection.replyRequests).toEqual([expect.stringContaining('still there')]);

    call.replyStarted();
    call.agentSays('Are you still there?');
    call.replyDone();
    jest.advanceTimersByTime(5000);
    expect(call.connection.replyRequests.at(-1)).toContain('goodbye');
    call.replyStarted();
    call.agentSays('I cannot hear you, so I will end the call. Goodbye.');
    call.replyDone();
    expect(await call.session.finished).toBe('caller-silent');
    expect(call.endings[0].outcome).toBe('abandoned');
    expect(eventsOfType(call.events, 'call.guard').map((event) => event.guard)).toEqual(['silence-prompt', 'silence-end']);
  });

  it('does not count silence while the agent speaks or a tool runs, and starts again when the caller speaks', () => {
    const call = harness({ silencePromptMs: 8000, silenceEndMs: 5000 });
    call.session.onEvent({ type: 'session.ready', session_id: 's1' });
    jest.advanceTimersByTime(6000);
    call.session.onEvent({ type: 'input.speech.started' });
    call.callerSays('Where is my order ORD-1?');
    call.replyStarted();
    jest.advanceTimersByTime(20_000);
    call.toolCall('t1', 'lookup_order', { order_id: 'ORD-1' });
    call.replyDone();
    jest.advanceTimersByTime(20_000);
    expect(call.connection.replyRequests).toEqual([]);
  });

  it('ends a call that reaches its time limit after a closing line', async () => {
    const call = harness({ maxCallMs: 60_000 });
    jest.advanceTimersByTime(60_000);
    expect(call.connection.replyRequests).toEqual([expect.stringContaining('time limit')]);
    call.replyStarted();
    call.agentSays('We have to end here, sorry. Goodbye.');
    call.replyDone();
    expect(await call.session.finished).toBe('max-duration');
    expect(call.endings[0].outcome).toBe('failed');
  });
});
