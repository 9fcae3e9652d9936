import { buildCallSummary, historyEntryFromSummary, shortSummaryText } from '../../../src/summaries/call-summary.builder';
import { callFactory, CallScript } from './call.factory';

describe('buildCallSummary', () => {
  const metadata = callFactory.metadata({ startedAt: '2025-11-18T10:00:00.000Z' });

  function refundSummary() {
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    const ending = script.ending('hangup', 'resolved', ['triage', 'refund']);
    return { script, summary: buildCallSummary(metadata, script.events, ending, []) };
  }

  it('says why they called, redacted, from the first caller utterances', () => {
    const { summary } = refundSummary();
    expect(summary.reasonForCall).toBe('Hi, I want a refund for order ORD-12345, my email is [email] Yes please.');
  });

  it('follows the departments with the handoff reasons and times', () => {
    const { script, summary } = refundSummary();
    const handoff = script.events.find((event) => event.type === 'handoff')!;
    expect(summary.departmentsPath).toEqual([
      { department: 'triage', enteredAt: script.events[0].at, handoffReason: null },
      { department: 'refund', enteredAt: handoff.at, handoffReason: 'caller wants a refund for ORD-12345' },
    ]);
    expect(summary.handoffCount).toBe(1);
  });

  it('lists what was done: lookups (redacted), refunds with ids and amounts', () => {
    const { summary } = refundSummary();
    expect(summary.actions.lookups).toEqual([
      { tool: 'lookup_account_by_email', subject: '[email]', result: 'ok' },
      { tool: 'lookup_order', subject: 'ORD-12345', result: 'ok' },
    ]);
    expect(summary.actions.refunds).toEqual([{ refundId: 'RF-1A2B3C4D5E', orderId: 'ORD-12345', amount: 84.99, currency: 'USD' }]);
    expect(summary.actions.tickets).toEqual([]);
    expect(summary.actions.escalation).toBeUndefined();
  });

  it('carries outcome, duration and counters, and nothing open for a clean call', () => {
    const { script, summary } = refundSummary();
    expect(summary).toMatchObject({ outcome: 'resolved', endReason: 'hangup', interruptions: 0, toolErrors: 0, openItems: [] });
    expect(summary.durationSeconds).toBe((Date.parse(script.now) - Date.parse(metadata.startedAt)) / 1000);
    expect(JSON.stringify(summary)).not.toContain('jane@example.com');
  });

  it('takes the department path from the handoff log when it has entries, merged with the journal', () => {
    const script = new CallScript(new Date(metadata.startedAt)).started('triage').callerSays('billing question');
    const logged = callFactory.handoffEntry({ fromAgent: 'triage', toAgent: 'billing', reason: 'billing question', appliedAt: script.wait(10).now });
    script.handoff('billing', 'faq', 'general question');
    const summary = buildCallSummary(metadata, script.events, script.ending('hangup', 'resolved', ['triage', 'billing', 'faq']), [logged, callFactory.handoffEntry({ status: 'refused', toAgent: 'refund' })]);
    expect(summary.departmentsPath.map((visit) => [visit.department, visit.handoffReason])).toEqual([
      ['triage', null],
      ['billing', 'billing question'],
      ['faq', 'general question'],
    ]);
  });

  it('records tickets, the escalation and what is left open', () => {
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .callerSays('My invoice is wrong and I want a person, call me at +1 555 123 4567')
      .tool('triage', 'lookup_order', { order_id: 'ORD-99999' }, { error: 'order_not_found' })
      .interruption()
      .handoff('triage', 'escalation', 'wants a human')
      .tool('escalation', 'create_ticket', { summary: 'Invoice dispute for jane@example.com' }, { ticket_id: 'TCK-0A1B2C3D4E', status: 'open' })
      .toolWithoutResult('escalation', 'process_refund', { order_id: 'ORD-12345' })
      .escalation('caller asked for a person', false);
    const summary = buildCallSummary(metadata, script.events, script.ending('hangup', 'failed', ['triage', 'escalation']), []);
    expect(summary.actions.tickets).toEqual([{ ticketId: 'TCK-0A1B2C3D4E', summary: 'Invoice dispute for [email]' }]);
    expect(summary.actions.escalation).toEqual({ reason: 'caller asked for a person', summary: 'Escalated: caller asked for a person', target: 'support-humans', transferred: false });
    expect(summary.actions.lookups).toEqual([{ tool: 'lookup_order', subject: 'ORD-99999', result: 'error', error: 'order_not_found' }]);
    expect(summary).toMatchObject({ interruptions: 1, toolErrors: 1 });
    expect(summary.reasonForCall).toBe('My invoice is wrong and I want a person, call me at [phone]');
    expect(summary.openItems).toEqual([
      'lookup_order failed (order_not_found) and was not retried successfully',
      'process_refund has no recorded result: check whether it happened',
      'Escalation to a human did not go through: call the customer back (caller asked for a person)',
      'The caller\'s last words got no answer: "My invoice is wrong and I want a person, call me at [phone]"',
    ]);
  });

  it('flags an orphaned call for follow-up', () => {
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    const summary = buildCallSummary(metadata, script.events, script.ending('orphaned', 'failed', ['triage', 'refund']), []);
    expect(summary.openItems).toContain('The call ended unexpectedly (orphaned): follow up with the caller');
  });

  it('has no reason for a call in which the caller said nothing', () => {
    const script = new CallScript(new Date(metadata.startedAt)).started().agentSays('triage', 'Hello?');
    expect(buildCallSummary(metadata, script.events, script.ending('hangup', 'abandoned'), []).reasonForCall).toBeNull();
  });
});

describe('history entry and short summary', () => {
  const metadata = callFactory.metadata({ startedAt: '2025-11-18T10:00:00.000Z' });

  it('turns a refund call into a history entry with its references', () => {
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    const summary = buildCallSummary(metadata, script.events, script.ending('hangup', 'resolved', ['triage', 'refund']), []);
    expect(historyEntryFromSummary(summary)).toEqual({
      callId: metadata.callSid,
      at: metadata.startedAt,
      departments: ['triage', 'refund'],
      outcome: 'resolved',
      summary: 'refund for ORD-12345 (RF-1A2B3C4D5E, 84.99 USD)',
      references: { orders: ['ORD-12345'], refunds: ['RF-1A2B3C4D5E'], tickets: [] },
    });
  });

  it('falls back to the orders asked about, then to what the caller said', () => {
    const lookup = new CallScript().started().callerSays('Where is my parcel?').tool('triage', 'lookup_order', { order_id: 'ORD-67890' }, { order_id: 'ORD-67890' }).agentSays('triage', 'On its way.');
    expect(shortSummaryText(buildCallSummary(metadata, lookup.events, lookup.ending('hangup', 'resolved'), []))).toBe('asked about ORD-67890');
    const chat = new CallScript().started().callerSays('What are your opening hours?').agentSays('triage', '9 to 5.');
    expect(shortSummaryText(buildCallSummary(metadata, chat.events, chat.ending('hangup', 'resolved'), []))).toBe('said: "What are your opening hours?"');
  });
});
