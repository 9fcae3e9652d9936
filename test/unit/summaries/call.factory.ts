import { randomBytes, randomUUID } from 'node:crypto';
import { HandoffLogEntry } from '../../../src/handoff/handoff.types';
import { CallEndReason, CallEnding, CallerTurn, CallEvent, CallMetadata, CallOutcome } from '../../../src/call-journal/call-event.types';
import { CallerHistoryEntry } from '../../../src/caller-history/caller-history.types';

export function newCallSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

/** A call's events on a clock that moves stepSeconds per event, in the order a session records them. */
export class CallScript {
  readonly events: CallEvent[] = [];
  private clock: number;
  private toolCalls = 0;
  private turns = 0;

  constructor(
    readonly startedAt: Date = new Date('2025-11-18T10:00:00.000Z'),
    private readonly stepSeconds = 5,
  ) {
    this.clock = startedAt.getTime();
  }

  get now(): string {
    return new Date(this.clock).toISOString();
  }

  wait(seconds: number): this {
    this.clock += seconds * 1000;
    return this;
  }

  started(department = 'triage', returningCaller = false): this {
    return this.push({ type: 'call.started', department, agentVersion: 1, returningCaller }, 0);
  }

  callerSays(text: string): this {
    return this.push({ type: 'caller.said', text });
  }

  agentSays(department: string, text: string, interrupted = false): this {
    return this.push({ type: 'agent.said', department, text, interrupted });
  }

  tool(department: string, name: string, args: Record<string, unknown>, result: Record<string, unknown>, ok = !('error' in result)): this {
    const toolCallId = `tc-${++this.toolCalls}`;
    this.push({ type: 'tool.called', department, toolCallId, name, arguments: args });
    return this.push({ type: 'tool.result', department, toolCallId, name, result, ok, durationMs: 40 }, 1);
  }

  toolWithoutResult(department: string, name: string, args: Record<string, unknown>): this {
    return this.push({ type: 'tool.called', department, toolCallId: `tc-${++this.toolCalls}`, name, arguments: args });
  }

  handoff(
    from: string,
    to: string,
    reason: string,
    status: 'applied' | 'refused' | 'cancelled' = 'applied',
    handoffId: string = randomUUID(),
  ): this {
    return this.push({ type: 'handoff', handoffId, from, to, reason, summary: `Caller moved from ${from} to ${to}: ${reason}`, status });
  }

  escalation(reason: string, transferred = true): this {
    return this.push({ type: 'escalation', reason, summary: `Escalated: ${reason}`, target: 'support-humans', transferred });
  }

  /**
   * A caller turn as the session records it once the turn is over: the caller stopped speaking
   * at the script's current time, the agent answered responseLatencyMs later (null: never).
   */
  turn(department: string, provider: string, responseLatencyMs: number | null, overrides: Partial<CallerTurn> = {}): this {
    const turn: CallerTurn = {
      turn: ++this.turns,
      department,
      provider,
      callerStoppedAt: this.now,
      measuredFrom: 'speech-end',
      responseLatencyMs,
      answerLatencyMs: responseLatencyMs,
      ...(responseLatencyMs === null ? {} : { breakdown: { toolsMs: 0, handoffsMs: 0, otherMs: responseLatencyMs } }),
      tools: [],
      handoffs: [],
      ...overrides,
    };
    return this.push({ type: 'turn', ...turn });
  }

  /** A turn event whose payload does not fit the vocabulary (an older or broken writer): the fields of a good turn, overridden. */
  malformedTurn(fields: Record<string, unknown>): this {
    const good: CallerTurn = {
      turn: ++this.turns,
      department: 'triage',
      provider: 'openai',
      callerStoppedAt: this.now,
      measuredFrom: 'speech-end',
      responseLatencyMs: 500,
      answerLatencyMs: 500,
      tools: [],
      handoffs: [],
    };
    return this.push({ type: 'turn', ...good, ...fields } as DistributiveOmit<CallEvent, 'at'>);
  }

  interruption(): this {
    return this.push({ type: 'interruption' }, 1);
  }

  escalationRuleFired(
    trigger: Extract<CallEvent, { type: 'escalation.triggered' }>['trigger'],
    action: 'escalation-handoff' | 'human-transfer',
    department = 'triage',
    detail = 'detail',
  ): this {
    return this.push({ type: 'escalation.triggered', trigger, action, department, detail });
  }

  ended(reason: CallEndReason, outcome: CallOutcome): this {
    return this.push({ type: 'call.ended', reason, outcome });
  }

  /** The ending a session would pass to finish(), at the script's current time. */
  ending(reason: CallEndReason, outcome: CallOutcome, departments = ['triage']): CallEnding {
    return { endedAt: this.now, reason, outcome, finalDepartment: departments[departments.length - 1], departments };
  }

  private push(event: DistributiveOmit<CallEvent, 'at'>, stepSeconds = this.stepSeconds): this {
    this.clock += stepSeconds * 1000;
    this.events.push({ ...event, at: this.now } as CallEvent);
    return this;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export const callFactory = {
  metadata(overrides: Partial<CallMetadata> = {}): CallMetadata {
    return {
      callSid: newCallSid(),
      streamSid: `MZ${randomBytes(16).toString('hex')}`,
      fromMasked: '+1555***4567',
      toMasked: '+1800***0100',
      callerHash: randomBytes(32).toString('hex'),
      startedAt: '2025-11-18T10:00:00.000Z',
      instanceId: 'instance-test',
      ...overrides,
    };
  },

  handoffEntry(overrides: Partial<HandoffLogEntry> = {}): HandoffLogEntry {
    return {
      id: randomUUID(),
      callId: newCallSid(),
      fromAgent: 'triage',
      toAgent: 'refund',
      reason: 'caller wants a refund',
      summary: 'Verified Jane Doe; wants a refund for ORD-12345',
      status: 'applied',
      code: null,
      requestedAt: '2025-11-18T10:00:30.000Z',
      appliedAt: '2025-11-18T10:00:30.020Z',
      latencyMs: 20,
      fromVersion: 1,
      toVersion: 1,
      ...overrides,
    };
  },

  historyEntry(overrides: Partial<CallerHistoryEntry> = {}): CallerHistoryEntry {
    return {
      callId: newCallSid(),
      at: '2025-11-18T10:00:00.000Z',
      departments: ['triage', 'refund'],
      outcome: 'resolved',
      summary: 'refund for ORD-12345 (RF-1A2B3C4D5E, 84.99 USD)',
      references: { orders: ['ORD-12345'], refunds: ['RF-1A2B3C4D5E'], tickets: [] },
      ...overrides,
    };
  },

  /** A refund call: verified by email, order looked up, handed to refund, refund processed. */
  refundCall(script = new CallScript()): CallScript {
    return script
      .started('triage')
      .agentSays('triage', 'Hi, this is Avery from Acme support. How can I help?')
      .callerSays('Hi, I want a refund for order ORD-12345, my email is jane@example.com')
      .tool('triage', 'lookup_account_by_email', { email: 'jane@example.com' }, { account_id: 'ACC-001', name: 'Jane Doe' })
      .tool('triage', 'lookup_order', { order_id: 'ORD-12345' }, { order_id: 'ORD-12345', status: 'shipped', total: 84.99 })
      .agentSays('triage', 'Let me get you to our refunds team.')
      .handoff('triage', 'refund', 'caller wants a refund for ORD-12345')
      .agentSays('refund', 'I can refund ORD-12345 for 84.99 dollars. Shall I go ahead?')
      .callerSays('Yes please.')
      .tool(
        'refund',
        'process_refund',
        { order_id: 'ORD-12345', reason: 'changed mind' },
        { refund_id: 'RF-1A2B3C4D5E', order_id: 'ORD-12345', amount: 84.99, amount_cents: 8499, currency: 'USD', status: 'processed' },
      )
      .agentSays('refund', 'Done: refund RF-1A2B3C4D5E, 5 to 7 business days.')
      .callerSays('Thanks, bye.')
      .agentSays('refund', 'Goodbye!');
  },
};
