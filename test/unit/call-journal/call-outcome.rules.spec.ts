import { departmentsVisited, deriveOutcome, orphanedCallEnding } from '../../../src/call-journal/call-outcome.rules';
import { callFactory, CallScript } from '../summaries/call.factory';

describe('deriveOutcome', () => {
  it('is resolved when the call ends normally after the caller was answered', () => {
    expect(deriveOutcome(callFactory.refundCall().events, 'hangup')).toBe('resolved');
    expect(deriveOutcome(callFactory.refundCall().events, 'twilio-stop')).toBe('resolved');
  });

  it('is escalated when the call went to a human, whatever ended it', () => {
    const script = callFactory.refundCall().escalation('caller asked for a person');
    expect(deriveOutcome(script.events, 'twilio-stop')).toBe('escalated');
    expect(deriveOutcome(script.events, 'orphaned')).toBe('escalated');
    expect(deriveOutcome(callFactory.refundCall().events, 'human-transfer')).toBe('escalated');
  });

  it('is not escalated when the transfer did not go through', () => {
    const script = callFactory.refundCall().escalation('caller asked for a person', false);
    expect(deriveOutcome(script.events, 'hangup')).toBe('resolved');
  });

  it('is abandoned when the caller hangs up within 10 seconds', () => {
    const script = new CallScript(undefined, 2).started().agentSays('triage', 'Hi!').callerSays('Oops, wrong number').agentSays('triage', 'No problem.');
    expect(deriveOutcome(script.events, 'hangup')).toBe('abandoned');
  });

  it('is abandoned when the caller never got an answer or never spoke', () => {
    const unanswered = new CallScript().started().agentSays('triage', 'Hi!').callerSays('I need help with my bill').wait(20);
    expect(deriveOutcome(unanswered.events, 'hangup')).toBe('abandoned');
    const silent = new CallScript().started().agentSays('triage', 'Hi!').wait(30).agentSays('triage', 'Are you there?');
    expect(deriveOutcome(silent.events, 'hangup')).toBe('abandoned');
    expect(deriveOutcome([], 'hangup')).toBe('abandoned');
  });

  it('is failed when the service lost the call', () => {
    for (const reason of ['provider-lost', 'failure', 'orphaned', 'shutdown'] as const) {
      expect(deriveOutcome(callFactory.refundCall().events, reason)).toBe('failed');
    }
  });

  it('is failed when a tool failure was never made good, resolved when a later call succeeded', () => {
    const failing = new CallScript().started().agentSays('triage', 'Hi!').callerSays('Where is ORD-99999?')
      .tool('triage', 'lookup_order', { order_id: 'ORD-99999' }, { error: 'order_not_found' })
      .agentSays('triage', 'I cannot find that order.');
    expect(deriveOutcome(failing.events, 'hangup')).toBe('failed');
    failing.callerSays('Sorry, ORD-12345').tool('triage', 'lookup_order', { order_id: 'ORD-12345' }, { order_id: 'ORD-12345' }).agentSays('triage', 'Found it.');
    expect(deriveOutcome(failing.events, 'hangup')).toBe('resolved');
  });
});

describe('departmentsVisited', () => {
  it('follows call.started and applied handoffs only', () => {
    const script = new CallScript().started('triage').handoff('triage', 'billing', 'bill').handoff('billing', 'refund', 'refund', 'refused').handoff('billing', 'refund', 'refund');
    expect(departmentsVisited(script.events)).toEqual(['triage', 'billing', 'refund']);
  });
});

describe('orphanedCallEnding', () => {
  it('closes the call as orphaned and failed, in the department it was in', () => {
    const script = callFactory.refundCall();
    expect(orphanedCallEnding(script.events, '2025-11-18T10:05:00.000Z')).toEqual({
      endedAt: '2025-11-18T10:05:00.000Z',
      reason: 'orphaned',
      outcome: 'failed',
      finalDepartment: 'refund',
      departments: ['triage', 'refund'],
    });
  });

  it('keeps an escalation that happened before the crash', () => {
    expect(orphanedCallEnding(callFactory.refundCall().escalation('wants a person').events, '2025-11-18T10:05:00.000Z').outcome).toBe('escalated');
  });

  it('falls back to triage when nothing was recorded', () => {
    expect(orphanedCallEnding([], '2025-11-18T10:05:00.000Z')).toMatchObject({ finalDepartment: 'triage', departments: ['triage'] });
  });
});
