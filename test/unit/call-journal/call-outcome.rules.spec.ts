import { CALL_END_REASONS, CallEndReason, CallOutcome } from '../../../src/call-journal/call-event.types';
import {
  CallOutcomeFacts,
  decideCallOutcome,
  departmentsVisited,
  EMPTY_OUTCOME_TALLY,
  orphanedCallEnding,
  outcomeFactsFrom,
  tallyOutcome,
  UNKNOWN_DEPARTMENT,
} from '../../../src/call-journal/call-outcome.rules';
import { callFactory, CallScript } from '../summaries/call.factory';

const ENDED_AT = '2025-11-18T10:05:00.000Z';

const facts = (overrides: Partial<CallOutcomeFacts> = {}): CallOutcomeFacts => ({
  escalated: false,
  callerAnswered: true,
  durationMs: 60_000,
  unresolvedToolFailures: 0,
  ...overrides,
});

/** The same kinds of call, ended for every reason there is. */
const CALLS = {
  helped: facts(),
  quick: facts({ durationMs: 5_000 }),
  unanswered: facts({ callerAnswered: false }),
  toolFailureLeft: facts({ unresolvedToolFailures: 1 }),
  escalated: facts({ escalated: true, callerAnswered: false, durationMs: 3_000, unresolvedToolFailures: 2 }),
};

type Row = Record<keyof typeof CALLS, CallOutcome>;
const CALLER_ENDED: Row = {
  helped: 'resolved',
  quick: 'abandoned',
  unanswered: 'abandoned',
  toolFailureLeft: 'failed',
  escalated: 'escalated',
};
const SERVICE_ENDED: Row = { helped: 'failed', quick: 'failed', unanswered: 'failed', toolFailureLeft: 'failed', escalated: 'escalated' };

const OUTCOME_TABLE: Record<CallEndReason, Row> = {
  'twilio-stop': CALLER_ENDED,
  hangup: CALLER_ENDED,
  'stream-lost': CALLER_ENDED,
  'human-transfer': {
    helped: 'escalated',
    quick: 'escalated',
    unanswered: 'escalated',
    toolFailureLeft: 'escalated',
    escalated: 'escalated',
  },
  'provider-lost': SERVICE_ENDED,
  failure: SERVICE_ENDED,
  shutdown: SERVICE_ENDED,
  orphaned: SERVICE_ENDED,
  // A supervisor ended it: a person stepped in, so the agent did not contain the call.
  'max-duration': SERVICE_ENDED,
  'caller-silent': {
    helped: 'abandoned',
    quick: 'abandoned',
    unanswered: 'abandoned',
    toolFailureLeft: 'abandoned',
    escalated: 'escalated',
  },
  'supervisor-ended': {
    helped: 'escalated',
    quick: 'escalated',
    unanswered: 'escalated',
    toolFailureLeft: 'escalated',
    escalated: 'escalated',
  },
};

describe('decideCallOutcome: the outcome table', () => {
  it('has a row for every end reason, and no other', () => {
    expect(Object.keys(OUTCOME_TABLE).sort()).toEqual([...CALL_END_REASONS].sort());
  });

  it.each(CALL_END_REASONS)('decides a call ended by %s as its row says', (reason) => {
    const row = OUTCOME_TABLE[reason];
    expect(row).toBeDefined();
    const decided = Object.fromEntries(Object.entries(CALLS).map(([name, callFacts]) => [name, decideCallOutcome(callFacts, reason)]));
    expect(decided).toEqual(row);
  });
});

describe('decideCallOutcome on journaled calls', () => {
  const answeredCall = () =>
    new CallScript().started().agentSays('triage', 'Hi!').callerSays('Where is my order?').agentSays('triage', 'Let me check.');
  const outcomeOf = (script: CallScript, reason: CallEndReason) => decideCallOutcome(outcomeFactsFrom(script.events), reason);

  it('is resolved when the caller ends the call after being answered', () => {
    for (const reason of ['hangup', 'twilio-stop', 'stream-lost'] as const) {
      expect(outcomeOf(callFactory.refundCall(), reason)).toBe('resolved');
    }
  });

  it('is abandoned when the caller leaves within 10 seconds, answered or not', () => {
    const quick = new CallScript(undefined, 2)
      .started()
      .agentSays('triage', 'Hi!')
      .callerSays('Oops, wrong number')
      .agentSays('triage', 'No problem.');
    expect(outcomeOf(quick, 'hangup')).toBe('abandoned');
    const justUnder = new CallScript(undefined, 0).started().callerSays('Hi').agentSays('triage', 'Hello').wait(9.9).callerSays('bye');
    expect(outcomeOf(justUnder, 'hangup')).toBe('abandoned');
    const tenSeconds = new CallScript(undefined, 0).started().callerSays('Hi').agentSays('triage', 'Hello').wait(10).callerSays('bye');
    expect(outcomeOf(tenSeconds, 'hangup')).toBe('resolved');
  });

  it('is abandoned when the caller spoke but never got an answer, or never spoke', () => {
    const unanswered = new CallScript().started().agentSays('triage', 'Hi!').callerSays('I need help with my bill').wait(20);
    expect(outcomeOf(unanswered, 'hangup')).toBe('abandoned');
    const silent = new CallScript().started().agentSays('triage', 'Hi!').wait(30).agentSays('triage', 'Are you there?');
    expect(outcomeOf(silent, 'hangup')).toBe('abandoned');
    expect(decideCallOutcome(outcomeFactsFrom([]), 'hangup')).toBe('abandoned');
  });

  it('is failed when a tool failure was never made good, resolved once a later call of that tool succeeded', () => {
    const failing = answeredCall()
      .tool('triage', 'lookup_order', { order_id: 'ORD-99999' }, { error: 'order_not_found' })
      .agentSays('triage', 'I cannot find that order.');
    expect(outcomeOf(failing, 'hangup')).toBe('failed');
    failing
      .callerSays('Sorry, ORD-12345')
      .tool('triage', 'lookup_order', { order_id: 'ORD-12345' }, { order_id: 'ORD-12345' })
      .agentSays('triage', 'Found it.');
    expect(outcomeOf(failing, 'hangup')).toBe('resolved');
  });

  it('is failed when the person the caller asked for could not be reached', () => {
    const script = answeredCall()
      .escalation('caller asked for a person', false)
      .tool('escalation', 'transfer_to_human', {}, { error: 'transfer_failed' })
      .agentSays('escalation', 'I could not reach anyone; I have opened a ticket.');
    expect(outcomeOf(script, 'hangup')).toBe('failed');
  });

  it('does not count a refused department handoff as a failure of the call', () => {
    const script = answeredCall()
      .tool('triage', 'transfer_to_billing', { reason: 'bill' }, { error: 'handoff_refused', code: 'PING_PONG' })
      .agentSays('triage', 'I can help with that here.');
    expect(outcomeFactsFrom(script.events).unresolvedToolFailures).toBe(0);
    expect(outcomeOf(script, 'hangup')).toBe('resolved');
  });

  it('is escalated once a human transfer was placed, whatever ended the call after', () => {
    const script = callFactory.refundCall().escalation('caller asked for a person');
    for (const reason of CALL_END_REASONS) expect(outcomeOf(script, reason)).toBe('escalated');
    expect(outcomeOf(callFactory.refundCall(), 'human-transfer')).toBe('escalated');
  });

  it('lets an escalation placed before a provider failure win over the failure', () => {
    const escalatedThenLost = answeredCall().escalation('voice agent unavailable', true);
    expect(outcomeOf(escalatedThenLost, 'provider-lost')).toBe('escalated');
    const notPlaced = answeredCall().escalation('voice agent unavailable', false);
    expect(outcomeOf(notPlaced, 'provider-lost')).toBe('failed');
    expect(outcomeOf(notPlaced, 'hangup')).not.toBe('escalated');
  });

  it('is failed when the service ended a call the caller was happy with: provider loss, failure, shutdown, orphan', () => {
    for (const reason of ['provider-lost', 'failure', 'shutdown', 'orphaned'] as const) {
      expect(outcomeOf(callFactory.refundCall(), reason)).toBe('failed');
    }
  });
});

describe('outcomeFactsFrom', () => {
  it('times the call from call.started to the given end, else to call.ended, else to the last event', () => {
    const script = new CallScript(undefined, 0).wait(1).started().wait(20).callerSays('hi').wait(5);
    expect(outcomeFactsFrom(script.events, '2025-11-18T10:01:01.000Z').durationMs).toBe(60_000);
    expect(outcomeFactsFrom(script.events).durationMs).toBe(20_000);
    script.ended('hangup', 'resolved');
    expect(outcomeFactsFrom(script.events).durationMs).toBe(25_000);
  });

  it('times a journal without call.started from its first event', () => {
    const script = new CallScript(undefined, 0).callerSays('hello?').wait(30).agentSays('triage', 'Hi');
    expect(outcomeFactsFrom(script.events).durationMs).toBe(30_000);
  });

  it('leaves the tally as it was for events that change nothing, so folding them live costs no allocation', () => {
    const started = tallyOutcome(EMPTY_OUTCOME_TALLY, new CallScript().started().events[0]);
    const script = new CallScript().interruption().agentSays('triage', 'Hi').toolWithoutResult('triage', 'lookup_order', {});
    expect(script.events.reduce(tallyOutcome, started)).toBe(started);
  });
});

describe('departmentsVisited', () => {
  it('follows call.started and applied handoffs only', () => {
    const script = new CallScript()
      .started('triage')
      .handoff('triage', 'billing', 'bill')
      .handoff('billing', 'refund', 'refund', 'refused')
      .handoff('billing', 'refund', 'refund');
    expect(departmentsVisited(script.events)).toEqual(['triage', 'billing', 'refund']);
  });
});

describe('orphanedCallEnding', () => {
  it('closes the call as orphaned and failed, in the department it was in', () => {
    const script = callFactory.refundCall();
    expect(orphanedCallEnding(script.events, ENDED_AT)).toEqual({
      endedAt: ENDED_AT,
      reason: 'orphaned',
      outcome: 'failed',
      finalDepartment: 'refund',
      departments: ['triage', 'refund'],
    });
  });

  it('keeps an escalation that happened before the crash', () => {
    expect(orphanedCallEnding(callFactory.refundCall().escalation('wants a person').events, ENDED_AT).outcome).toBe('escalated');
  });

  it('prefers the departments in the events to the one the journal stored beside them', () => {
    expect(orphanedCallEnding(callFactory.refundCall().events, ENDED_AT, 'billing')).toMatchObject({
      finalDepartment: 'refund',
      departments: ['triage', 'refund'],
    });
  });

  it('takes the department the journal stored when no event says where the call was', () => {
    const withoutStart = new CallScript().callerSays('hello?').events;
    expect(orphanedCallEnding(withoutStart, ENDED_AT, 'billing')).toMatchObject({
      finalDepartment: 'billing',
      departments: ['billing'],
      outcome: 'failed',
    });
  });

  it('records the department as unknown, not a guess, when nothing was journaled', () => {
    expect(orphanedCallEnding([], ENDED_AT)).toMatchObject({
      finalDepartment: UNKNOWN_DEPARTMENT,
      departments: [UNKNOWN_DEPARTMENT],
      outcome: 'failed',
    });
    expect(orphanedCallEnding([], ENDED_AT, null)).toMatchObject({ finalDepartment: 'unknown', departments: ['unknown'] });
  });
});
