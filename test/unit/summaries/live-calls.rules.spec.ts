import { CallEvent } from '../../../src/call-journal/call-event.types';
import { LiveCallWithRecentEvents } from '../../../src/call-journal/call-journal.reader';
import { liveCallActivity, liveCallFrom } from '../../../src/summaries/live-calls.rules';
import { CallScript } from './call.factory';

const dropped = (toolCallId: string, name: string): CallEvent => ({
  type: 'tool.result.dropped',
  at: '2025-11-18T10:05:00.000Z',
  toolCallId,
  name,
  reason: 'interrupted',
});

describe('liveCallActivity', () => {
  it('is empty for a call that has only started', () => {
    expect(liveCallActivity(new CallScript().started('triage').events)).toEqual({
      lastSaid: null,
      pending: { tools: [], handoffTo: null },
      turns: 0,
      lastResponseLatencyMs: null,
    });
  });

  it('takes the latest words said, by the caller or the agent', () => {
    const script = new CallScript().started().agentSays('triage', 'Hi, how can I help?').callerSays('My email is [email]');
    expect(liveCallActivity(script.events).lastSaid).toEqual({ speaker: 'caller', text: 'My email is [email]', at: script.events[2].at });

    script.agentSays('triage', 'Thanks, let me look.', true);
    expect(liveCallActivity(script.events).lastSaid).toEqual({ speaker: 'agent', text: 'Thanks, let me look.', at: script.now });
  });

  it('lists the backend tools called and not answered yet, in call order', () => {
    const script = new CallScript()
      .started()
      .tool('triage', 'lookup_account_by_email', { email: '[email]' }, { account_id: 'ACC-001' })
      .toolWithoutResult('triage', 'lookup_order', { order_id: 'ORD-1' })
      .toolWithoutResult('triage', 'list_recent_orders', {})
      .toolWithoutResult('triage', 'lookup_order', { order_id: 'ORD-2' });
    expect(liveCallActivity(script.events).pending).toEqual({
      tools: ['lookup_order', 'list_recent_orders', 'lookup_order'],
      handoffTo: null,
    });
  });

  it('counts a dropped result as answered', () => {
    const script = new CallScript().started().toolWithoutResult('triage', 'lookup_order', { order_id: 'ORD-1' });
    expect(liveCallActivity([...script.events, dropped('tc-1', 'lookup_order')]).pending.tools).toEqual([]);
  });

  it('shows a transfer to a department until its handoff event', () => {
    const script = new CallScript().started().toolWithoutResult('triage', 'transfer_to_refund', { reason: 'refund', summary: '' });
    expect(liveCallActivity(script.events).pending).toEqual({ tools: [], handoffTo: 'refund' });

    script.handoff('triage', 'refund', 'refund');
    expect(liveCallActivity(script.events).pending).toEqual({ tools: [], handoffTo: null });
  });

  it('keeps a transfer pending while a handoff to another department is logged', () => {
    const script = new CallScript()
      .started()
      .toolWithoutResult('triage', 'transfer_to_billing', { reason: 'invoice', summary: '' })
      .handoff('triage', 'refund', 'second transfer in the same reply', 'refused');
    expect(liveCallActivity(script.events).pending.handoffTo).toBe('billing');
  });

  it('settles a transfer refused at once (tool.result) or cancelled by an interruption (handoff cancelled)', () => {
    const refused = new CallScript()
      .started()
      .tool('triage', 'transfer_to_faq', { reason: 'faq', summary: '' }, { error: 'handoff_refused', code: 'PING_PONG' });
    expect(liveCallActivity(refused.events).pending.handoffTo).toBeNull();

    const cancelled = new CallScript()
      .started()
      .toolWithoutResult('triage', 'transfer_to_faq', { reason: 'faq', summary: '' })
      .interruption()
      .handoff('triage', 'faq', 'faq', 'cancelled');
    expect(liveCallActivity(cancelled.events).pending.handoffTo).toBeNull();
  });

  it("shows a transfer to a person as 'human' until the escalation or a failed result", () => {
    const script = new CallScript().started().toolWithoutResult('triage', 'transfer_to_human', { reason: 'asked', summary: '' });
    expect(liveCallActivity(script.events).pending).toEqual({ tools: [], handoffTo: 'human' });

    script.escalation('caller asked for a person');
    expect(liveCallActivity(script.events).pending.handoffTo).toBeNull();

    const failed = new CallScript()
      .started()
      .tool('triage', 'transfer_to_human', { reason: 'asked', summary: '' }, { error: 'transfer_failed' });
    expect(liveCallActivity(failed.events).pending.handoffTo).toBeNull();
  });

  it('sees only what the events read show: a result whose call is older is ignored', () => {
    const script = new CallScript()
      .started()
      .tool('triage', 'lookup_order', { order_id: 'ORD-1' }, { status: 'shipped' })
      .toolWithoutResult('triage', 'check_billing', {});
    // The tail starts after lookup_order's call: its result alone is nothing to settle.
    expect(liveCallActivity(script.events.slice(2)).pending.tools).toEqual(['check_billing']);
  });

  it("counts the turns by the latest turn's number (older turns may be before the events read) and takes its latency", () => {
    const script = new CallScript()
      .started()
      .callerSays('one')
      .turn('triage', 'openai', 820)
      .callerSays('two')
      .turn('triage', 'openai', 1430);
    expect(liveCallActivity(script.events)).toMatchObject({ turns: 2, lastResponseLatencyMs: 1430 });
    // The tail holds only the second turn event: it is turn 2 of the call.
    expect(liveCallActivity(script.events.slice(4))).toMatchObject({ turns: 2, lastResponseLatencyMs: 1430 });

    script.callerSays('three').turn('triage', 'openai', null);
    expect(liveCallActivity(script.events)).toMatchObject({ turns: 3, lastResponseLatencyMs: null });
  });

  it('reads events as Redis gave them: malformed fields are skipped, not trusted', () => {
    const at = '2025-11-18T10:00:00.000Z';
    const malformed = [
      { type: 'caller.said', at, text: 42 },
      { type: 'tool.called', at, toolCallId: 'tc-x' },
      { type: 'turn', at, turn: 'seven', responseLatencyMs: 'fast' },
    ] as unknown as CallEvent[];
    expect(liveCallActivity(malformed)).toEqual({
      lastSaid: null,
      pending: { tools: [], handoffTo: null },
      turns: 1,
      lastResponseLatencyMs: null,
    });
  });
});

describe('liveCallFrom', () => {
  it('keeps the registry fields, adds the activity and leaves the events out', () => {
    const script = new CallScript().started('billing').callerSays('Why was I charged twice?');
    const call: LiveCallWithRecentEvents = {
      callSid: 'CA1',
      fromMasked: '+1555***4567',
      startedAt: script.startedAt.toISOString(),
      instanceId: 'instance-a',
      lastHeartbeatAt: '2025-11-18T10:00:09.000Z',
      department: 'billing',
      recentEvents: script.events,
    };
    expect(liveCallFrom(call)).toEqual({
      callSid: 'CA1',
      fromMasked: '+1555***4567',
      startedAt: script.startedAt.toISOString(),
      instanceId: 'instance-a',
      lastHeartbeatAt: '2025-11-18T10:00:09.000Z',
      department: 'billing',
      lastSaid: { speaker: 'caller', text: 'Why was I charged twice?', at: script.now },
      pending: { tools: [], handoffTo: null },
      turns: 0,
      lastResponseLatencyMs: null,
    });
  });
});
