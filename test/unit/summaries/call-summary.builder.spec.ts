import { ToolRegistry } from '../../../src/agents/tools/tool.registry';
import { BackendTool, ToolKinds, ToolOutcome } from '../../../src/agents/tools/tool.types';
import { buildCallSummary, historyEntryFromSummary, shortSummaryText } from '../../../src/summaries/call-summary.builder';
import { factory as toolFactory } from '../tools/tool-test.factory';
import { callFactory, CallScript } from './call.factory';

function kindsOf(registry: ToolRegistry): ToolKinds {
  return (name) => registry.kindOf(name);
}

const kindOf = kindsOf(new ToolRegistry(toolFactory.registeredTools()));

describe('buildCallSummary', () => {
  const metadata = callFactory.metadata({ startedAt: '2025-11-18T10:00:00.000Z' });

  function refundSummary() {
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    const ending = script.ending('hangup', 'resolved', ['triage', 'refund']);
    return { script, summary: buildCallSummary(metadata, script.events, ending, [], kindOf) };
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

  it('lists what was done: lookups (redacted), side effects with what they made, refunds with ids and amounts', () => {
    const { summary } = refundSummary();
    expect(summary.actions.lookups).toEqual([
      { tool: 'lookup_account_by_email', subject: '[email]', result: 'ok' },
      { tool: 'lookup_order', subject: 'ORD-12345', result: 'ok' },
    ]);
    expect(summary.actions.sideEffects).toEqual([
      { tool: 'process_refund', subject: 'ORD-12345', result: 'ok', reference: 'RF-1A2B3C4D5E' },
    ]);
    expect(summary.actions.refunds).toEqual([{ refundId: 'RF-1A2B3C4D5E', orderId: 'ORD-12345', amount: 84.99, currency: 'USD' }]);
    expect(summary.actions.tickets).toEqual([]);
    expect(summary.actions.escalation).toBeUndefined();
    expect(summary.actions.unknownTools).toBeUndefined();
  });

  it('carries outcome, duration and counters, and nothing open for a clean call', () => {
    const { script, summary } = refundSummary();
    expect(summary).toMatchObject({ outcome: 'resolved', endReason: 'hangup', interruptions: 0, toolErrors: 0, openItems: [] });
    expect(summary.durationSeconds).toBe((Date.parse(script.now) - Date.parse(metadata.startedAt)) / 1000);
    expect(JSON.stringify(summary)).not.toContain('jane@example.com');
  });

  it('takes the department path from the handoff log when it has entries, merged with the journal', () => {
    const script = new CallScript(new Date(metadata.startedAt)).started('triage').callerSays('billing question');
    const logged = callFactory.handoffEntry({
      fromAgent: 'triage',
      toAgent: 'billing',
      reason: 'billing question',
      appliedAt: script.wait(10).now,
    });
    script.handoff('billing', 'faq', 'general question');
    const handoffs = [logged, callFactory.handoffEntry({ status: 'refused', toAgent: 'refund' })];
    const ending = script.ending('hangup', 'resolved', ['triage', 'billing', 'faq']);
    const summary = buildCallSummary(metadata, script.events, ending, handoffs, kindOf);
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
      .tool(
        'escalation',
        'create_ticket',
        { summary: 'Invoice dispute for jane@example.com' },
        { ticket_id: 'TCK-0A1B2C3D4E', status: 'open' },
      )
      .toolWithoutResult('escalation', 'process_refund', { order_id: 'ORD-12345' })
      .escalation('caller asked for a person', false);
    const summary = buildCallSummary(metadata, script.events, script.ending('hangup', 'failed', ['triage', 'escalation']), [], kindOf);
    expect(summary.actions.tickets).toEqual([{ ticketId: 'TCK-0A1B2C3D4E', summary: 'Invoice dispute for [email]' }]);
    expect(summary.actions.sideEffects).toEqual([
      { tool: 'create_ticket', subject: null, result: 'ok', reference: 'TCK-0A1B2C3D4E' },
      { tool: 'process_refund', subject: 'ORD-12345', result: 'no-result' },
    ]);
    expect(summary.actions.escalation).toEqual({
      reason: 'caller asked for a person',
      summary: 'Escalated: caller asked for a person',
      target: 'support-humans',
      transferred: false,
    });
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
    const summary = buildCallSummary(metadata, script.events, script.ending('orphaned', 'failed', ['triage', 'refund']), [], kindOf);
    expect(summary.openItems).toContain('The call ended unexpectedly (orphaned): follow up with the caller');
  });

  it('lists transfers nowhere in actions: the department path and the escalation say where the call went', () => {
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .callerSays('Billing please, then a person')
      .tool('triage', 'transfer_to_billing', { reason: 'billing', summary: 'billing question' }, { ok: true })
      .handoff('triage', 'billing', 'billing')
      .toolWithoutResult('billing', 'transfer_to_human', { reason: 'wants a person', summary: 'wants a person' })
      .escalation('wants a person');
    const ending = script.ending('human-transfer', 'escalated', ['triage', 'billing']);
    const summary = buildCallSummary(metadata, script.events, ending, [], kindOf);
    expect(summary.actions).toMatchObject({ lookups: [], sideEffects: [], escalation: { reason: 'wants a person', transferred: true } });
    expect(summary.actions.unknownTools).toBeUndefined();
    expect(summary.openItems).toEqual(['A human agent (support-humans) took over: wants a person']);
  });

  it('has no reason for a call in which the caller said nothing', () => {
    const script = new CallScript(new Date(metadata.startedAt)).started().agentSays('triage', 'Hello?');
    expect(buildCallSummary(metadata, script.events, script.ending('hangup', 'abandoned'), [], kindOf).reasonForCall).toBeNull();
  });
});

describe('escalation rules in the summary', () => {
  const metadata = callFactory.metadata({ startedAt: '2025-11-18T10:00:00.000Z' });

  it('lists the rules that fired, in order, and nothing when none did', () => {
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .callerSays('I want a real person')
      .escalationRuleFired('human-request', 'escalation-handoff', 'triage', '"real person"')
      .callerSays('this is fraud')
      .escalationRuleFired('red-flag', 'human-transfer', 'escalation', '"fraud"');
    const summary = buildCallSummary(metadata, script.events, script.ending('human-transfer', 'escalated'), [], kindOf);
    expect(summary.escalationTriggers).toEqual([
      expect.objectContaining({ trigger: 'human-request', action: 'escalation-handoff', department: 'triage', detail: '"real person"' }),
      expect.objectContaining({ trigger: 'red-flag', action: 'human-transfer', department: 'escalation' }),
    ]);
    const quiet = new CallScript(new Date(metadata.startedAt)).started('triage').callerSays('hello');
    expect(buildCallSummary(metadata, quiet.events, quiet.ending('hangup', 'abandoned'), [], kindOf)).not.toHaveProperty(
      'escalationTriggers',
    );
  });
});

describe('response latency in the summary', () => {
  const metadata = callFactory.metadata({ startedAt: '2025-11-18T10:00:00.000Z' });
  const summarise = (script: CallScript) => buildCallSummary(metadata, script.events, script.ending('hangup', 'resolved'), [], kindOf);

  it('gives the median, the maximum and the slow turns over the answered ones, counting the unanswered apart', () => {
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .turn('triage', 'openai', 900)
      .turn('triage', 'openai', 2600)
      .turn('triage', 'openai', null)
      .turn('billing', 'openai', 1500)
      .turn('billing', 'openai', 2000)
      .turn('billing', 'openai', 3100);
    expect(summarise(script).responseLatency).toEqual({ turns: 5, unanswered: 1, medianMs: 2000, maxMs: 3100, slowTurns: 2 });
  });

  it('takes the mean of the middle two for an even count, rounded to whole ms', () => {
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .turn('triage', 'assemblyai', 801)
      .turn('triage', 'assemblyai', 1200)
      .turn('triage', 'assemblyai', 400)
      .turn('triage', 'assemblyai', 1500);
    expect(summarise(script).responseLatency).toEqual({ turns: 4, unanswered: 0, medianMs: 1001, maxMs: 1500, slowTurns: 0 });
  });

  it('leaves malformed turns out', () => {
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .turn('triage', 'openai', 700)
      .malformedTurn({ responseLatencyMs: 'slow' })
      .malformedTurn({ department: undefined, responseLatencyMs: 9000 });
    expect(summarise(script).responseLatency).toEqual({ turns: 1, unanswered: 0, medianMs: 700, maxMs: 700, slowTurns: 0 });
  });

  it('has nulls when no turn was answered, and zeros without turns', () => {
    const unanswered = new CallScript(new Date(metadata.startedAt)).started('triage').turn('triage', 'openai', null);
    expect(summarise(unanswered).responseLatency).toEqual({ turns: 0, unanswered: 1, medianMs: null, maxMs: null, slowTurns: 0 });
    expect(summarise(callFactory.refundCall(new CallScript(new Date(metadata.startedAt)))).responseLatency).toEqual({
      turns: 0,
      unanswered: 0,
      medianMs: null,
      maxMs: null,
      slowTurns: 0,
    });
  });
});

describe('history entry and short summary', () => {
  const metadata = callFactory.metadata({ startedAt: '2025-11-18T10:00:00.000Z' });

  it('turns a refund call into a history entry with its references', () => {
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    const summary = buildCallSummary(metadata, script.events, script.ending('hangup', 'resolved', ['triage', 'refund']), [], kindOf);
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
    const lookup = new CallScript()
      .started()
      .callerSays('Where is my parcel?')
      .tool('triage', 'lookup_order', { order_id: 'ORD-67890' }, { order_id: 'ORD-67890' })
      .agentSays('triage', 'On its way.');
    expect(shortSummaryText(buildCallSummary(metadata, lookup.events, lookup.ending('hangup', 'resolved'), [], kindOf))).toBe(
      'asked about ORD-67890',
    );
    const chat = new CallScript().started().callerSays('What are your opening hours?').agentSays('triage', '9 to 5.');
    expect(shortSummaryText(buildCallSummary(metadata, chat.events, chat.ending('hangup', 'resolved'), [], kindOf))).toBe(
      'said: "What are your opening hours?"',
    );
  });
});

/** A tool as a new one is written: its class, registered beside the others, and nothing anywhere else. */
class UpdateAddressTool implements BackendTool {
  readonly name = 'update_address';
  readonly kind = 'side-effect';
  readonly description = 'Change the delivery address of an order that has not shipped yet.';
  readonly parameters = {
    type: 'object',
    properties: { order_id: { type: 'string' }, address: { type: 'string' } },
    required: ['order_id', 'address'],
  };

  async execute(): Promise<ToolOutcome> {
    return { result: { address_id: 'ADR-7', order_id: 'ORD-12345' } };
  }
}

class TrackParcelTool implements BackendTool {
  readonly name = 'track_parcel';
  readonly kind = 'lookup';
  readonly description = "Where an order's parcel is now, from the carrier.";
  readonly parameters = { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] };

  async execute(): Promise<ToolOutcome> {
    return { result: { order_id: 'ORD-12345', location: 'Oakland depot' } };
  }
}

describe('a newly registered tool in the summary', () => {
  const metadata = callFactory.metadata({ startedAt: '2025-11-18T10:00:00.000Z' });
  const withNewTools = kindsOf(new ToolRegistry([...toolFactory.registeredTools(), new UpdateAddressTool(), new TrackParcelTool()]));

  function addressChangeCall(): CallScript {
    return new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .callerSays('Where is ORD-12345? And please send ORD-12345 and ORD-67890 to 1 High Street instead.')
      .tool('triage', 'track_parcel', { order_id: 'ORD-12345' }, { order_id: 'ORD-12345', location: 'Oakland depot' })
      .tool('triage', 'update_address', { order_id: 'ORD-12345', address: '1 High Street' }, { address_id: 'ADR-7', order_id: 'ORD-12345' })
      .tool('triage', 'update_address', { order_id: 'ORD-67890', address: '1 High Street' }, { error: 'order_shipped', message: 'Shipped' })
      .agentSays('triage', 'ORD-12345 will go to 1 High Street; ORD-67890 has already shipped.');
  }

  it('lists a new side-effect tool call by its kind, with what it made, and leaves its failure open', () => {
    const script = addressChangeCall();
    const summary = buildCallSummary(metadata, script.events, script.ending('hangup', 'failed'), [], withNewTools);
    expect(summary.actions.sideEffects).toEqual([
      { tool: 'update_address', subject: 'ORD-12345', result: 'ok', reference: 'ADR-7' },
      { tool: 'update_address', subject: 'ORD-67890', result: 'error', error: 'order_shipped' },
    ]);
    expect(summary.openItems).toEqual(['update_address failed (order_shipped) and was not retried successfully']);
    expect(summary.actions.unknownTools).toBeUndefined();
  });

  it('flags a new side effect that has no recorded result', () => {
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .callerSays('Send ORD-12345 to 1 High Street.')
      .toolWithoutResult('triage', 'update_address', { order_id: 'ORD-12345', address: '1 High Street' });
    const summary = buildCallSummary(metadata, script.events, script.ending('provider-lost', 'failed'), [], withNewTools);
    expect(summary.actions.sideEffects).toEqual([{ tool: 'update_address', subject: 'ORD-12345', result: 'no-result' }]);
    expect(summary.openItems).toContain('update_address has no recorded result: check whether it happened');
  });

  it('lists a new lookup tool call among the lookups', () => {
    const script = addressChangeCall();
    const summary = buildCallSummary(metadata, script.events, script.ending('hangup', 'failed'), [], withNewTools);
    expect(summary.actions.lookups).toEqual([{ tool: 'track_parcel', subject: 'ORD-12345', result: 'ok' }]);
  });

  it('keeps the calls of a tool the catalogue does not know, as they were, under unknownTools', () => {
    const script = addressChangeCall().toolWithoutResult('triage', 'update_address', { order_id: 'ORD-24680', address: '1 High Street' });
    const summary = buildCallSummary(metadata, script.events, script.ending('hangup', 'failed'), [], kindOf);
    expect(summary.actions.lookups).toEqual([]);
    expect(summary.actions.sideEffects).toEqual([]);
    expect(summary.actions.unknownTools).toEqual([
      { tool: 'track_parcel', subject: 'ORD-12345', result: 'ok' },
      { tool: 'update_address', subject: 'ORD-12345', result: 'ok' },
      { tool: 'update_address', subject: 'ORD-67890', result: 'error', error: 'order_shipped' },
      { tool: 'update_address', subject: 'ORD-24680', result: 'no-result' },
    ]);
    // Nothing says an unknown tool changed nothing: a call without a result is checked like a side effect's.
    expect(summary.openItems).toEqual([
      'update_address failed (order_shipped) and was not retried successfully',
      'update_address has no recorded result: check whether it happened',
    ]);
  });

  it('loses nothing, refunds and history included, when the catalogue knows no tool at all', () => {
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    const knowsNoTool = () => undefined;
    const summary = buildCallSummary(metadata, script.events, script.ending('hangup', 'resolved', ['triage', 'refund']), [], knowsNoTool);
    expect(summary.actions.unknownTools?.map((call) => call.tool)).toEqual(['lookup_account_by_email', 'lookup_order', 'process_refund']);
    expect(summary.actions.unknownTools?.[0].subject).toBe('[email]');
    expect(historyEntryFromSummary(summary).summary).toBe('refund for ORD-12345 (RF-1A2B3C4D5E, 84.99 USD)');
  });
});
