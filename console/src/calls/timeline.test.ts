import { Stint, TimelineItem, timelineOf } from './timeline';
import type { CallEventView, HandoffLogRow } from './types';

const START = '2025-11-17T09:30:00.000Z';

/** An event as written, before the journal numbers and times it. */
type Written = { type: string; truncated?: { originalChars: number }; [field: string]: unknown };

/** Events numbered from 1, a second apart, as the journal gives them. */
function journal(...events: Written[]): CallEventView[] {
  return events.map((event, index) => ({ seq: index + 1, at: new Date(Date.parse(START) + index * 1000).toISOString(), ...event }));
}

function logRow(row: Partial<HandoffLogRow> & Pick<HandoffLogRow, 'id' | 'fromAgent' | 'toAgent'>): HandoffLogRow {
  return {
    callId: 'CA1',
    reason: '',
    summary: '',
    status: 'applied',
    code: null,
    requestedAt: START,
    appliedAt: START,
    latencyMs: null,
    fromVersion: 1,
    toVersion: 1,
    ...row,
  };
}

const started = (department: string, returningCaller = false) => ({ type: 'call.started', department, agentVersion: 1, returningCaller });
const callerSaid = (text: string) => ({ type: 'caller.said', text });
const agentSaid = (department: string, text: string) => ({ type: 'agent.said', department, text, interrupted: false });
const toolCalled = (toolCallId: string, name: string, args: Record<string, unknown> = {}) => ({
  type: 'tool.called',
  department: 'any',
  toolCallId,
  name,
  arguments: args,
});
const toolResult = (toolCallId: string, name: string, result: Record<string, unknown>, ok = true, durationMs = 120) => ({
  type: 'tool.result',
  department: 'any',
  toolCallId,
  name,
  result,
  ok,
  durationMs,
});
const handoff = (handoffId: string, from: string, to: string, status = 'applied', code?: string) => ({
  type: 'handoff',
  handoffId,
  from,
  to,
  reason: `to ${to}`,
  summary: `caller moved from ${from}`,
  status,
  ...(code ? { code } : {}),
});

const kinds = (stint: Stint) => stint.items.map((item) => item.kind);
const departments = (stints: Stint[]) => stints.map((stint) => stint.department);
const tools = (stints: Stint[]) =>
  stints.flatMap((stint) => stint.items).filter((item): item is Extract<TimelineItem, { kind: 'tool' }> => item.kind === 'tool');
const onlyItem = (stints: Stint[]) => {
  expect(stints).toHaveLength(1);
  expect(stints[0].items).toHaveLength(1);
  return stints[0].items[0];
};

describe('timelineOf', () => {
  it('is empty for a call with no events', () => {
    expect(timelineOf([], [], START)).toEqual([]);
  });

  it('puts a call that never changed department in one stint, in order', () => {
    const events = journal(started('triage', true), agentSaid('triage', 'Hello, how can I help?'), callerSaid('What is my balance?'), {
      type: 'call.ended',
      reason: 'caller-hangup',
      outcome: 'resolved',
    });
    const stints = timelineOf(events, [], START);
    expect(stints).toHaveLength(1);
    expect(stints[0]).toMatchObject({ department: 'triage', startedAt: events[0].at, handedFrom: null });
    expect(stints[0].items).toEqual([
      { seq: 1, at: events[0].at, kind: 'started', department: 'triage', returningCaller: true },
      {
        seq: 2,
        at: events[1].at,
        kind: 'agent',
        text: 'Hello, how can I help?',
        department: 'triage',
        interrupted: false,
        heardMs: null,
        generatedText: null,
      },
      { seq: 3, at: events[2].at, kind: 'caller', text: 'What is my balance?' },
      { seq: 4, at: events[3].at, kind: 'ended', reason: 'caller-hangup', outcome: 'resolved' },
    ]);
  });

  describe('departments', () => {
    it('starts a stint at each applied handoff, the handoff closing the stint it left', () => {
      const events = journal(
        started('triage'),
        callerSaid('I was charged twice'),
        handoff('h1', 'triage', 'billing'),
        agentSaid('billing', 'Billing here.'),
        handoff('h2', 'billing', 'refund'),
        agentSaid('refund', 'Refunds here.'),
        { type: 'call.ended', reason: 'caller-hangup', outcome: 'resolved' },
      );
      const stints = timelineOf(events, [], START);
      expect(departments(stints)).toEqual(['triage', 'billing', 'refund']);
      expect(stints.map((stint) => [stint.startedAt, stint.handedFrom])).toEqual([
        [events[0].at, null],
        [events[2].at, 'triage'],
        [events[4].at, 'billing'],
      ]);
      expect(stints.map(kinds)).toEqual([
        ['started', 'caller', 'handoff'],
        ['agent', 'handoff'],
        ['agent', 'ended'],
      ]);
    });

    it('starts a new stint for a department the caller comes back to', () => {
      const events = journal(
        started('triage'),
        handoff('h1', 'triage', 'billing'),
        agentSaid('billing', 'Billing here.'),
        handoff('h2', 'billing', 'triage'),
        agentSaid('triage', 'Back in triage.'),
      );
      const stints = timelineOf(events, [], START);
      expect(departments(stints)).toEqual(['triage', 'billing', 'triage']);
      expect(stints[2].handedFrom).toBe('billing');
    });

    it.each(['refused', 'cancelled'])('keeps the department after a %s handoff', (status) => {
      const events = journal(
        started('triage'),
        handoff('h1', 'triage', 'refund', status, status === 'refused' ? 'NOT_A_TARGET' : 'INTERRUPTED'),
        agentSaid('triage', 'I cannot move you there.'),
      );
      const stints = timelineOf(events, [], START);
      expect(departments(stints)).toEqual(['triage']);
      expect(kinds(stints[0])).toEqual(['started', 'handoff', 'agent']);
      expect(stints[0].items[1]).toMatchObject({
        kind: 'handoff',
        status,
        code: status === 'refused' ? 'NOT_A_TARGET' : 'INTERRUPTED',
      });
    });

    it('gives a handoff without a code a null code', () => {
      const [stint] = timelineOf(journal(started('triage'), handoff('h1', 'triage', 'billing')), [], START);
      expect(stint.items[1]).toMatchObject({
        kind: 'handoff',
        handoffId: 'h1',
        from: 'triage',
        to: 'billing',
        reason: 'to billing',
        summary: 'caller moved from triage',
        status: 'applied',
        code: null,
      });
    });

    it('does not start a stint for an applied handoff that names no department', () => {
      const stints = timelineOf(journal(started('triage'), handoff('h1', 'triage', ''), callerSaid('hello?')), [], START);
      expect(departments(stints)).toEqual(['triage']);
    });

    it('opens the first stint at the call start when events come before call.started', () => {
      const events = journal(agentSaid('faq', 'Hi there'), callerSaid('Opening hours?'));
      const stints = timelineOf(events, [], START);
      expect(stints).toHaveLength(1);
      expect(stints[0]).toMatchObject({ department: 'faq', startedAt: START, handedFrom: null });
      expect(kinds(stints[0])).toEqual(['agent', 'caller']);
    });

    it("calls the first stint 'unknown' when nothing before call.started names a department", () => {
      const events = journal(callerSaid('Hello?'), started('triage'), agentSaid('triage', 'Hi'));
      const stints = timelineOf(events, [], START);
      expect(departments(stints)).toEqual(['unknown', 'triage']);
      expect(stints[1].startedAt).toBe(events[1].at);
    });

    it("names a call.started without a department 'unknown'", () => {
      const item = onlyItem(timelineOf(journal({ type: 'call.started' }), [], START));
      expect(item).toMatchObject({ kind: 'started', department: 'unknown', returningCaller: false });
    });

    it('keeps a call.started in the stint a handoff just opened for the same department', () => {
      const events = journal(started('triage'), handoff('h1', 'triage', 'billing'), started('billing'), agentSaid('billing', 'Hi'));
      const stints = timelineOf(events, [], START);
      expect(departments(stints)).toEqual(['triage', 'billing']);
      expect(kinds(stints[1])).toEqual(['started', 'agent']);
      expect(stints[1].handedFrom).toBe('triage');
    });

    it('starts a new stint for a second call.started once the first has items', () => {
      const events = journal(started('triage'), callerSaid('hi'), started('triage'));
      expect(timelineOf(events, [], START).map(kinds)).toEqual([['started', 'caller'], ['started']]);
    });
  });

  describe('tools', () => {
    it('joins a result to its call by tool call id, whatever comes between', () => {
      const events = journal(
        started('billing'),
        toolCalled('t1', 'lookup_account', { email: 'a@example.com' }),
        toolCalled('t2', 'lookup_invoice', { invoice: 'INV-1' }),
        callerSaid('still there?'),
        toolResult('t2', 'lookup_invoice', { total: 42 }, true, 300),
        toolResult('t1', 'lookup_account', { error: 'not_found' }, false, 80),
      );
      const stints = timelineOf(events, [], START);
      expect(kinds(stints[0])).toEqual(['started', 'tool', 'tool', 'caller']);
      expect(tools(stints)).toEqual([
        {
          seq: 2,
          at: events[1].at,
          kind: 'tool',
          toolCallId: 't1',
          name: 'lookup_account',
          arguments: { email: 'a@example.com' },
          result: { ok: false, value: { error: 'not_found' }, durationMs: 80, at: events[5].at },
          dropped: null,
          answeredBy: null,
        },
        {
          seq: 3,
          at: events[2].at,
          kind: 'tool',
          toolCallId: 't2',
          name: 'lookup_invoice',
          arguments: { invoice: 'INV-1' },
          result: { ok: true, value: { total: 42 }, durationMs: 300, at: events[4].at },
          dropped: null,
          answeredBy: null,
        },
      ]);
    });

    it('joins a result to its call across a handoff', () => {
      const events = journal(
        started('triage'),
        toolCalled('t1', 'lookup_account'),
        handoff('h1', 'triage', 'billing'),
        toolResult('t1', 'lookup_account', { id: 'acc-1' }),
      );
      const stints = timelineOf(events, [], START);
      expect(kinds(stints[0])).toEqual(['started', 'tool', 'handoff']);
      expect(stints[1].items).toEqual([]);
      expect(tools(stints)[0].result).toMatchObject({ ok: true, value: { id: 'acc-1' } });
    });

    it('shows a result whose call is not in the journal on its own', () => {
      const events = journal(started('billing'), toolResult('t9', 'lookup_invoice', { total: 1 }));
      expect(tools(timelineOf(events, [], START))).toEqual([
        {
          seq: 2,
          at: events[1].at,
          kind: 'tool',
          toolCallId: 't9',
          name: 'lookup_invoice',
          arguments: undefined,
          result: { ok: true, value: { total: 1 }, durationMs: 120, at: events[1].at },
          dropped: null,
          answeredBy: null,
        },
      ]);
    });

    it('reads a result that is not ok, or has no duration', () => {
      const events = journal(started('billing'), toolCalled('t1', 'issue_refund'), { type: 'tool.result', toolCallId: 't1', result: null });
      expect(tools(timelineOf(events, [], START))[0].result).toEqual({ ok: false, value: null, durationMs: null, at: events[2].at });
    });

    it('marks a call whose result was dropped, with the reason', () => {
      const events = journal(
        started('billing'),
        toolCalled('t1', 'lookup_invoice'),
        { type: 'interruption' },
        { type: 'tool.result.dropped', toolCallId: 't1', name: 'lookup_invoice', reason: 'interrupted' },
        toolCalled('t2', 'lookup_account'),
        { type: 'tool.result.dropped', toolCallId: 't2', name: 'lookup_account' },
      );
      const stints = timelineOf(events, [], START);
      expect(kinds(stints[0])).toEqual(['started', 'tool', 'interruption', 'tool']);
      expect(tools(stints).map((tool) => [tool.toolCallId, tool.dropped, tool.result])).toEqual([
        ['t1', 'interrupted', null],
        ['t2', 'dropped', null],
      ]);
    });

    it('shows a dropped result whose call is not in the journal on its own', () => {
      const item = onlyItem(
        timelineOf(journal({ type: 'tool.result.dropped', toolCallId: 't1', name: 'lookup_invoice', reason: 'session-ended' }), [], START),
      );
      expect(item).toMatchObject({
        kind: 'tool',
        toolCallId: 't1',
        name: 'lookup_invoice',
        arguments: undefined,
        result: null,
        dropped: 'session-ended',
      });
    });

    it('names a call without a name, and keeps a call without an id (never joined)', () => {
      const events = journal(
        started('billing'),
        { type: 'tool.called', department: 'billing' },
        { type: 'tool.result', toolCallId: '', name: 'x', ok: true, result: {} },
      );
      const [called, result] = tools(timelineOf(events, [], START));
      expect(called).toMatchObject({ toolCallId: '', name: 'unknown tool', arguments: {}, result: null });
      expect(result).toMatchObject({ seq: 3, toolCallId: '', name: 'x', arguments: undefined });
    });

    it('marks the transfer a handoff answered', () => {
      const events = journal(
        started('triage'),
        toolCalled('t1', 'transfer_to_billing', { reason: 'billing question' }),
        handoff('h1', 'triage', 'billing'),
      );
      expect(tools(timelineOf(events, [], START))[0].answeredBy).toBe('handoff');
    });

    it('marks the transfer a refused handoff answered too', () => {
      const events = journal(
        started('triage'),
        toolCalled('t1', 'transfer_to_refund'),
        handoff('h1', 'triage', 'refund', 'refused', 'NOT_A_TARGET'),
      );
      expect(tools(timelineOf(events, [], START))[0].answeredBy).toBe('handoff');
    });

    it('prefers the open call that names where the caller went over a later one', () => {
      const events = journal(
        started('triage'),
        toolCalled('t1', 'transfer_to_billing'),
        toolCalled('t2', 'lookup_account'),
        handoff('h1', 'triage', 'billing'),
      );
      expect(tools(timelineOf(events, [], START)).map((tool) => tool.answeredBy)).toEqual(['handoff', null]);
    });

    it('marks the latest open call when none names the department', () => {
      const events = journal(
        started('triage'),
        toolCalled('t1', 'lookup_account'),
        toolCalled('t2', 'move_caller'),
        handoff('h1', 'triage', 'billing'),
      );
      expect(tools(timelineOf(events, [], START)).map((tool) => tool.answeredBy)).toEqual([null, 'handoff']);
    });

    it('never marks a call that has a result or was dropped', () => {
      const events = journal(
        started('triage'),
        toolCalled('t1', 'transfer_to_billing'),
        toolResult('t1', 'transfer_to_billing', {}),
        toolCalled('t2', 'transfer_to_billing'),
        { type: 'tool.result.dropped', toolCallId: 't2', reason: 'interrupted' },
        handoff('h1', 'triage', 'billing'),
      );
      expect(tools(timelineOf(events, [], START)).map((tool) => tool.answeredBy)).toEqual([null, null]);
    });

    it('marks each transfer once, one per handoff', () => {
      const events = journal(
        started('triage'),
        toolCalled('t1', 'transfer_to_billing'),
        handoff('h1', 'triage', 'billing'),
        toolCalled('t2', 'transfer_to_refund'),
        handoff('h2', 'billing', 'refund'),
        handoff('h3', 'refund', 'triage'),
      );
      expect(tools(timelineOf(events, [], START)).map((tool) => tool.answeredBy)).toEqual(['handoff', 'handoff']);
    });

    it('marks the transfer to a person that an escalation answered', () => {
      const events = journal(started('escalation'), toolCalled('t1', 'transfer_to_human'), toolCalled('t2', 'create_ticket'), {
        type: 'escalation',
        cause: 'caller-request',
        reason: 'Caller asked for a person',
        summary: 'Refund dispute',
        target: '+15550000000',
        transferred: true,
      });
      const stints = timelineOf(events, [], START);
      expect(tools(stints).map((tool) => tool.answeredBy)).toEqual(['escalation', null]);
      expect(stints[0].items[3]).toEqual({
        seq: 4,
        at: events[3].at,
        kind: 'escalation',
        cause: 'caller-request',
        reason: 'Caller asked for a person',
        summary: 'Refund dispute',
        target: '+15550000000',
        transferred: true,
        detail: null,
      });
    });

    it('reads an older escalation without a cause, and a failed transfer with its detail', () => {
      const events = journal(started('escalation'), {
        type: 'escalation',
        reason: 'r',
        summary: 's',
        target: 't',
        transferred: false,
        detail: 'busy',
      });
      expect(timelineOf(events, [], START)[0].items[1]).toMatchObject({
        kind: 'escalation',
        cause: null,
        transferred: false,
        detail: 'busy',
      });
    });
  });

  describe('interruptions', () => {
    it('shows an interruption and what the caller heard of the cut reply', () => {
      const events = journal(
        started('billing'),
        {
          type: 'agent.said',
          department: 'billing',
          text: 'Your balance is',
          interrupted: true,
          heardMs: 1400,
          generatedText: 'Your balance is forty two dollars.',
        },
        { type: 'interruption' },
        callerSaid('Wait, which account?'),
      );
      const stints = timelineOf(events, [], START);
      expect(kinds(stints[0])).toEqual(['started', 'agent', 'interruption', 'caller']);
      expect(stints[0].items[1]).toMatchObject({
        kind: 'agent',
        interrupted: true,
        heardMs: 1400,
        generatedText: 'Your balance is forty two dollars.',
      });
      expect(stints[0].items[2]).toEqual({ seq: 3, at: events[2].at, kind: 'interruption' });
    });

    it('reads an agent reply without a department as null', () => {
      const item = onlyItem(timelineOf(journal({ type: 'agent.said', text: 'Hi' }), [], START));
      expect(item).toMatchObject({ kind: 'agent', department: null, interrupted: false, heardMs: null, generatedText: null });
    });
  });

  describe('other events', () => {
    it('shows provider, Twilio, keypad and reclaim events', () => {
      const events = journal(
        started('triage'),
        { type: 'provider.error', code: 'timeout', message: 'no audio' },
        { type: 'provider.reconnected', fresh: true },
        { type: 'dtmf', digit: 5 },
        { type: 'twilio.status', status: 'in-progress' },
        { type: 'call.reclaimed', closedAsOrphanAt: START, instanceId: 'instance-b' },
      );
      expect(timelineOf(events, [], START)[0].items.slice(1)).toEqual([
        { seq: 2, at: events[1].at, kind: 'provider-error', code: 'timeout', message: 'no audio' },
        { seq: 3, at: events[2].at, kind: 'reconnected', fresh: true },
        { seq: 4, at: events[3].at, kind: 'dtmf', digit: '5' },
        { seq: 5, at: events[4].at, kind: 'twilio-status', status: 'in-progress' },
        { seq: 6, at: events[5].at, kind: 'reclaimed', instanceId: 'instance-b' },
      ]);
    });

    it('shows an escalation rule that fired and what the call guards did', () => {
      const events = journal(
        started('triage'),
        {
          type: 'escalation.triggered',
          trigger: 'human-request',
          action: 'escalation-handoff',
          department: 'triage',
          detail: '"real person"',
        },
        { type: 'call.guard', guard: 'silence-prompt' },
      );
      expect(timelineOf(events, [], START)[0].items.slice(1)).toEqual([
        {
          seq: 2,
          at: events[1].at,
          kind: 'escalation-rule',
          trigger: 'human-request',
          action: 'escalation-handoff',
          department: 'triage',
          detail: '"real person"',
        },
        { seq: 3, at: events[2].at, kind: 'guard', guard: 'silence-prompt' },
      ]);
    });

    it('shows a warm transfer: the dial, its result and the caller coming back', () => {
      const events = journal(
        started('escalation'),
        { type: 'transfer.dialing', cause: 'agent-requested', target: 'human', reason: 'asked for a person', summary: 'wants a person' },
        { type: 'transfer.result', status: 'no-answer' },
        { type: 'call.rejoined', streamSid: 'MZ2' },
      );
      expect(timelineOf(events, [], START)[0].items.slice(1)).toEqual([
        { seq: 2, at: events[1].at, kind: 'transfer-dialing', reason: 'asked for a person', summary: 'wants a person' },
        { seq: 3, at: events[2].at, kind: 'transfer-result', status: 'no-answer' },
        { seq: 4, at: events[3].at, kind: 'rejoined', streamSid: 'MZ2' },
      ]);
    });

    it('leaves turn events out (the latency table shows them)', () => {
      const events = journal(started('triage'), { type: 'turn', responseLatencyMs: 900 }, callerSaid('hi'));
      expect(kinds(timelineOf(events, [], START)[0])).toEqual(['started', 'caller']);
    });

    it('shows an event type it does not know with its own fields', () => {
      const events = journal(started('triage'), { type: 'sentiment', score: -0.4, truncated: { originalChars: 9000 } });
      expect(timelineOf(events, [], START)[0].items[1]).toEqual({
        seq: 2,
        at: events[1].at,
        truncatedFrom: 9000,
        kind: 'other',
        type: 'sentiment',
        fields: { score: -0.4 },
      });
    });

    it('says how long a field the journal cut was', () => {
      const events = journal(started('triage'), { type: 'caller.said', text: 'a very long…', truncated: { originalChars: 12000 } });
      const [first, second] = timelineOf(events, [], START)[0].items;
      expect(first).not.toHaveProperty('truncatedFrom');
      expect(second).toMatchObject({ kind: 'caller', truncatedFrom: 12000 });
    });

    it('reads missing or non-string text as empty', () => {
      const events = journal(
        started('triage'),
        { type: 'caller.said' },
        { type: 'caller.said', text: null },
        { type: 'caller.said', text: 42 },
      );
      expect(
        timelineOf(events, [], START)[0]
          .items.slice(1)
          .map((item) => item.kind === 'caller' && item.text),
      ).toEqual(['', '', '42']);
    });
  });

  describe('supervision', () => {
    const dana = { role: 'supervisor', name: 'Dana' };
    const root = { role: 'admin', name: 'Ravi' };

    it('shows who listened, whispered, withdrew, and when the notes reached the agent', () => {
      const events = journal(
        started('billing'),
        { type: 'supervision.listen', by: dana, listenerId: 'L1', state: 'started' },
        { type: 'supervision.whisper', by: dana, noteId: 'n1', text: 'Offer the 10% goodwill credit' },
        { type: 'supervision.whisper', by: root, noteId: 'n2', text: 'Ask for the order number again' },
        { type: 'supervision.notes.applied', department: 'billing', noteIds: ['n1', 'n2'] },
        { type: 'supervision.whisper.withdrawn', by: root, noteId: 'n1' },
        { type: 'supervision.notes.applied', department: 'billing', noteIds: ['n2'] },
        { type: 'supervision.listen', by: dana, listenerId: 'L1', state: 'stopped' },
      );
      const [stint] = timelineOf(events, [], START);
      expect(stint.items.slice(1)).toEqual([
        { seq: 2, at: events[1].at, kind: 'supervision-listen', by: dana, listenerId: 'L1', state: 'started' },
        { seq: 3, at: events[2].at, kind: 'whisper', by: dana, noteId: 'n1', text: 'Offer the 10% goodwill credit' },
        { seq: 4, at: events[3].at, kind: 'whisper', by: root, noteId: 'n2', text: 'Ask for the order number again' },
        {
          seq: 5,
          at: events[4].at,
          kind: 'notes-applied',
          department: 'billing',
          notes: [
            { noteId: 'n1', text: 'Offer the 10% goodwill credit' },
            { noteId: 'n2', text: 'Ask for the order number again' },
          ],
        },
        { seq: 6, at: events[5].at, kind: 'whisper-withdrawn', by: root, note: { noteId: 'n1', text: 'Offer the 10% goodwill credit' } },
        {
          seq: 7,
          at: events[6].at,
          kind: 'notes-applied',
          department: 'billing',
          notes: [{ noteId: 'n2', text: 'Ask for the order number again' }],
        },
        { seq: 8, at: events[7].at, kind: 'supervision-listen', by: dana, listenerId: 'L1', state: 'stopped' },
      ]);
    });

    it('reads notes applied with none in force (all withdrawn), and notes whose whisper is not among the events', () => {
      const events = journal(
        started('triage'),
        { type: 'supervision.notes.applied', department: 'triage', noteIds: [] },
        { type: 'supervision.whisper.withdrawn', by: dana, noteId: 'gone' },
        { type: 'supervision.notes.applied', department: 'triage', noteIds: ['gone'] },
      );
      expect(timelineOf(events, [], START)[0].items.slice(1)).toMatchObject([
        { kind: 'notes-applied', department: 'triage', notes: [] },
        { kind: 'whisper-withdrawn', note: { noteId: 'gone', text: null } },
        { kind: 'notes-applied', notes: [{ noteId: 'gone', text: null }] },
      ]);
    });

    it('shows a takeover to a department, the handoff it made opening the next stint', () => {
      const events = journal(
        started('triage'),
        { type: 'supervision.takeover', by: dana, to: 'billing' },
        { ...handoff('h1', 'triage', 'billing'), reason: 'supervisor takeover' },
        agentSaid('billing', 'Billing here.'),
      );
      const stints = timelineOf(events, [], START);
      expect(departments(stints)).toEqual(['triage', 'billing']);
      expect(stints[0].items[1]).toEqual({ seq: 2, at: events[1].at, kind: 'takeover', by: dana, to: 'billing' });
      expect(stints[0].items[2]).toMatchObject({ kind: 'handoff', reason: 'supervisor takeover', status: 'applied' });
    });

    it('shows a takeover to a person, with the escalation that carried it out', () => {
      const events = journal(
        started('billing'),
        { type: 'supervision.takeover', by: root, to: 'human' },
        {
          type: 'escalation',
          cause: 'supervisor-takeover',
          reason: 'supervisor takeover',
          summary: 'Disputed charge',
          target: '+15550000000',
          transferred: true,
        },
      );
      expect(kinds(timelineOf(events, [], START)[0])).toEqual(['started', 'takeover', 'escalation']);
      expect(timelineOf(events, [], START)[0].items[2]).toMatchObject({ kind: 'escalation', cause: 'supervisor-takeover' });
    });

    it('shows a supervisor ending the call, politely or at once, before the call ends', () => {
      const polite = journal(
        started('faq'),
        { type: 'supervision.end', by: dana, mode: 'polite' },
        agentSaid('faq', 'Thank you for calling, goodbye.'),
        { type: 'call.ended', reason: 'supervisor-ended', outcome: 'abandoned' },
      );
      expect(timelineOf(polite, [], START)[0].items.slice(1)).toMatchObject([
        { kind: 'supervisor-end', by: dana, mode: 'polite' },
        { kind: 'agent' },
        { kind: 'ended', reason: 'supervisor-ended' },
      ]);
      const now = journal(started('faq'), { type: 'supervision.end', by: root, mode: 'now' });
      expect(timelineOf(now, [], START)[0].items[1]).toEqual({ seq: 2, at: now[1].at, kind: 'supervisor-end', by: root, mode: 'now' });
    });

    it('reads a supervision event without a supervisor, or with odd fields, without failing', () => {
      const events = journal(
        started('triage'),
        { type: 'supervision.listen', listenerId: 'L9', state: 'paused' },
        { type: 'supervision.whisper', by: 'Dana', noteId: 'n1', text: 42 },
        { type: 'supervision.end', by: { name: 'Dana' }, mode: 'whenever' },
        { type: 'supervision.notes.applied', department: 'triage' },
      );
      expect(timelineOf(events, [], START)[0].items.slice(1)).toMatchObject([
        { kind: 'supervision-listen', by: { name: 'unknown', role: '' }, state: 'started' },
        { kind: 'whisper', by: { name: 'unknown', role: '' }, text: '42' },
        { kind: 'supervisor-end', by: { name: 'Dana', role: '' }, mode: 'polite' },
        { kind: 'notes-applied', notes: [] },
      ]);
    });

    it('keeps the whisper text cut by the journal, saying by how much', () => {
      const events = journal(started('triage'), {
        type: 'supervision.whisper',
        by: dana,
        noteId: 'n1',
        text: 'Offer…',
        truncated: { originalChars: 600 },
      });
      expect(timelineOf(events, [], START)[0].items[1]).toMatchObject({ kind: 'whisper', text: 'Offer…', truncatedFrom: 600 });
    });
  });

  describe('handoff latencies', () => {
    const latencyOf = (stints: Stint[]) =>
      stints.flatMap((stint) => stint.items).flatMap((item) => (item.kind === 'handoff' ? [[item.handoffId, item.latencyMs]] : []));

    it("takes each handoff's latency from its log row, by id", () => {
      const events = journal(started('triage'), handoff('h1', 'triage', 'billing'), handoff('h2', 'billing', 'refund'));
      const log = [
        logRow({ id: 'h2', fromAgent: 'billing', toAgent: 'refund', latencyMs: 610 }),
        logRow({ id: 'h1', fromAgent: 'triage', toAgent: 'billing', latencyMs: 420 }),
      ];
      expect(latencyOf(timelineOf(events, log, START))).toEqual([
        ['h1', 420],
        ['h2', 610],
      ]);
    });

    it('is null when the log row has no latency, undefined when no row matches', () => {
      const events = journal(started('triage'), handoff('h1', 'triage', 'billing', 'refused'), handoff('h2', 'triage', 'faq'));
      const log = [logRow({ id: 'h1', fromAgent: 'triage', toAgent: 'billing', status: 'refused', latencyMs: null })];
      expect(latencyOf(timelineOf(events, log, START))).toEqual([
        ['h1', null],
        ['h2', undefined],
      ]);
    });

    it('matches handoffs the log knows by another id to its rows of the same move, in order of request', () => {
      const events = journal(
        started('triage'),
        handoff('e1', 'triage', 'billing'),
        handoff('e2', 'billing', 'triage'),
        handoff('e3', 'triage', 'billing'),
        handoff('e4', 'billing', 'faq'),
      );
      const log = [
        logRow({ id: 'r3', fromAgent: 'triage', toAgent: 'billing', requestedAt: '2025-11-17T09:30:03.000Z', latencyMs: 300 }),
        logRow({ id: 'r1', fromAgent: 'triage', toAgent: 'billing', requestedAt: '2025-11-17T09:30:01.000Z', latencyMs: 100 }),
        logRow({ id: 'r2', fromAgent: 'billing', toAgent: 'triage', requestedAt: '2025-11-17T09:30:02.000Z', latencyMs: 200 }),
      ];
      expect(latencyOf(timelineOf(events, log, START))).toEqual([
        ['e1', 100],
        ['e2', 200],
        ['e3', 300],
        ['e4', undefined],
      ]);
    });

    it('does not give a row matched by id to another handoff by order', () => {
      const events = journal(started('triage'), handoff('x', 'triage', 'billing'), handoff('h2', 'triage', 'billing'));
      const log = [logRow({ id: 'h2', fromAgent: 'triage', toAgent: 'billing', latencyMs: 250 })];
      expect(latencyOf(timelineOf(events, log, START))).toEqual([
        ['x', undefined],
        ['h2', 250],
      ]);
    });
  });
});
