import { ENTRY_AGENT_KEY } from '../agents/agent-config.types';
import { HandoffLogEntry } from '../handoff/handoff.types';
import { CallEnding, CallEvent, CallMetadata } from '../call-journal/call-event.types';
import { CallerHistoryEntry } from '../caller-history/caller-history.types';
import { unresolvedToolFailures } from '../call-journal/call-outcome.rules';
import { ToolKind, ToolKinds } from '../agents/tools/tool.types';
import {
  CallSummary,
  DepartmentVisit,
  RefundAction,
  ResponseLatency,
  SideEffectAction,
  TicketAction,
  ToolCallAction,
} from './call-summary.types';
import { percentileOfSorted, SLOW_RESPONSE_MS, turnsOf } from './caller-turns.rules';
import { supervisionOf } from './supervision-summary.rules';
import { redactDeep } from '../privacy/sensitive-data.redactor';

// The tools whose results the summary reads field by field, for caller history. Every tool,
// these included, is otherwise summarised by the kind the catalogue gives it.
const ORDER_LOOKUP_TOOL = 'lookup_order';
const REFUND_TOOL = 'process_refund';
const TICKET_TOOL = 'create_ticket';
const SUBJECT_ARGUMENTS = ['order_id', 'email', 'account_id', 'query'];
const REASON_UTTERANCES = 2;
const REASON_MAX_CHARS = 300;

type ToolCalled = Extract<CallEvent, { type: 'tool.called' }>;
type ToolResulted = Extract<CallEvent, { type: 'tool.result' }>;

/** What a call was about and what came of it, from its durable events; kindOf is the tool catalogue's. Redacted throughout. */
export function buildCallSummary(
  metadata: CallMetadata,
  events: readonly CallEvent[],
  ending: CallEnding,
  handoffs: readonly HandoffLogEntry[],
  kindOf: ToolKinds,
): CallSummary {
  const results = new Map<string, ToolResulted>();
  const dropped = new Set<string>();
  for (const event of events) {
    if (event.type === 'tool.result') results.set(event.toolCallId, event);
    if (event.type === 'tool.result.dropped') dropped.add(event.toolCallId);
  }
  const called = events.filter((event): event is ToolCalled => event.type === 'tool.called');
  const calledOfKind = (kind: ToolKind | undefined) => called.filter((call) => kindOf(call.name) === kind);
  const unknownTools = calledOfKind(undefined).map((call) => toolCallActionOf(call, results.get(call.toolCallId)));
  const departmentsPath = pathOf(metadata, events, ending, handoffs);
  const summary: CallSummary = {
    callSid: metadata.callSid,
    startedAt: metadata.startedAt,
    endedAt: ending.endedAt,
    durationSeconds: secondsBetween(metadata.startedAt, ending.endedAt),
    reasonForCall: reasonForCall(events),
    departmentsPath,
    actions: {
      lookups: calledOfKind('lookup').map((call) => toolCallActionOf(call, results.get(call.toolCallId))),
      sideEffects: calledOfKind('side-effect').map((call) => sideEffectOf(call, results.get(call.toolCallId))),
      refunds: refundsOf(events),
      tickets: ticketsOf(called, results),
      ...escalationOf(events),
      ...(unknownTools.length > 0 ? { unknownTools } : {}),
    },
    outcome: ending.outcome,
    endReason: ending.reason,
    openItems: [],
    ...orphanedOf(events, ending),
    handoffCount: departmentsPath.length - 1,
    interruptions: events.filter((event) => event.type === 'interruption').length,
    toolErrors: [...results.values()].filter((result) => !result.ok).length,
    responseLatency: responseLatencyOf(events),
    ...escalationTriggersEntry(events),
    ...supervisionEntry(events),
  };
  summary.openItems = openItemsOf(summary, events, called, results, dropped, kindOf);
  return redactDeep(summary);
}

function escalationTriggersEntry(events: readonly CallEvent[]): Pick<CallSummary, 'escalationTriggers'> {
  const fired = events
    .filter((event): event is Extract<CallEvent, { type: 'escalation.triggered' }> => event.type === 'escalation.triggered')
    .map(({ trigger, action, department, detail, at }) => ({ trigger, action, department, detail, at }));
  return fired.length > 0 ? { escalationTriggers: fired } : {};
}

function supervisionEntry(events: readonly CallEvent[]): Pick<CallSummary, 'supervision'> {
  const supervision = supervisionOf(events);
  return supervision ? { supervision } : {};
}

/** The caller-history entry for a summarised call: what a later call's agent is told. */
export function historyEntryFromSummary(summary: CallSummary): CallerHistoryEntry {
  const orders = new Set<string>();
  for (const lookup of summary.actions.lookups) {
    if (lookup.tool === ORDER_LOOKUP_TOOL && lookup.result === 'ok' && lookup.subject) orders.add(lookup.subject);
  }
  for (const refund of summary.actions.refunds) orders.add(refund.orderId);
  return {
    callId: summary.callSid,
    at: summary.startedAt,
    departments: summary.departmentsPath.map((visit) => visit.department),
    outcome: summary.outcome,
    summary: shortSummaryText(summary),
    references: {
      orders: [...orders],
      refunds: summary.actions.refunds.map((refund) => refund.refundId),
      tickets: summary.actions.tickets.map((ticket) => ticket.ticketId),
    },
  };
}

/** One line a later agent can repeat to the caller: "refund for ORD-12345 (RF-1, 84.99 USD)". */
export function shortSummaryText(summary: CallSummary): string {
  const parts: string[] = [];
  for (const refund of summary.actions.refunds)
    parts.push(`refund for ${refund.orderId} (${refund.refundId}, ${refund.amount.toFixed(2)} ${refund.currency})`);
  for (const ticket of summary.actions.tickets)
    parts.push(`ticket ${ticket.ticketId}${ticket.summary ? `: ${truncate(ticket.summary, 60)}` : ''}`);
  if (summary.actions.escalation) parts.push(`asked for a human: ${truncate(summary.actions.escalation.reason, 60)}`);
  if (parts.length === 0) {
    const orders = summary.actions.lookups
      .filter((lookup) => lookup.tool === ORDER_LOOKUP_TOOL && lookup.subject)
      .map((lookup) => lookup.subject);
    if (orders.length > 0) parts.push(`asked about ${[...new Set(orders)].join(', ')}`);
    else if (summary.reasonForCall) parts.push(`said: "${truncate(summary.reasonForCall, 80)}"`);
    else parts.push('nothing was asked');
  }
  return truncate(parts.join('; '), 200);
}

function pathOf(
  metadata: CallMetadata,
  events: readonly CallEvent[],
  ending: CallEnding,
  handoffs: readonly HandoffLogEntry[],
): DepartmentVisit[] {
  const started = events.find((event): event is Extract<CallEvent, { type: 'call.started' }> => event.type === 'call.started');
  const path: DepartmentVisit[] = [
    {
      department: started?.department ?? ending.departments[0] ?? ENTRY_AGENT_KEY,
      enteredAt: started?.at ?? metadata.startedAt,
      handoffReason: null,
    },
  ];
  const applied = new Map<string, { to: string; reason: string; at: string }>();
  for (const entry of handoffs) {
    if (entry.status === 'applied')
      applied.set(entry.id, { to: entry.toAgent, reason: entry.reason, at: entry.appliedAt ?? entry.requestedAt });
  }
  for (const event of events) {
    if (event.type === 'handoff' && event.status === 'applied' && !applied.has(event.handoffId))
      applied.set(event.handoffId, { to: event.to, reason: event.reason, at: event.at });
  }
  const ordered = [...applied.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const handoff of ordered) {
    if (path[path.length - 1].department !== handoff.to)
      path.push({ department: handoff.to, enteredAt: handoff.at, handoffReason: handoff.reason });
  }
  return path;
}

function orphanedOf(events: readonly CallEvent[], ending: CallEnding): Pick<CallSummary, 'orphaned'> {
  if (ending.reason === 'orphaned') return { orphaned: { closedAt: ending.endedAt, reclaimedAt: null } };
  const reclaimed = events
    .filter((event): event is Extract<CallEvent, { type: 'call.reclaimed' }> => event.type === 'call.reclaimed')
    .at(-1);
  return reclaimed ? { orphaned: { closedAt: reclaimed.closedAsOrphanAt, reclaimedAt: reclaimed.at } } : {};
}

function responseLatencyOf(events: readonly CallEvent[]): ResponseLatency {
  const turns = turnsOf(events);
  const answered = turns.flatMap((turn) => (turn.responseLatencyMs === null ? [] : [turn.responseLatencyMs])).sort((a, b) => a - b);
  const median = percentileOfSorted(answered, 0.5);
  return {
    turns: answered.length,
    unanswered: turns.length - answered.length,
    medianMs: median === null ? null : Math.round(median),
    maxMs: answered.length > 0 ? Math.round(answered[answered.length - 1]) : null,
    slowTurns: answered.filter((latency) => latency > SLOW_RESPONSE_MS).length,
  };
}

function reasonForCall(events: readonly CallEvent[]): string | null {
  const words = events
    .flatMap((event) => (event.type === 'caller.said' && event.text.trim() ? [event.text.trim()] : []))
    .slice(0, REASON_UTTERANCES);
  return words.length > 0 ? truncate(words.join(' '), REASON_MAX_CHARS) : null;
}

function toolCallActionOf(call: ToolCalled, result: ToolResulted | undefined): ToolCallAction {
  const subject = SUBJECT_ARGUMENTS.map((name) => call.arguments[name]).find(
    (value) => typeof value === 'string' || typeof value === 'number',
  );
  const action: ToolCallAction = {
    tool: call.name,
    subject: subject === undefined ? null : String(subject),
    result: !result ? 'no-result' : result.ok ? 'ok' : 'error',
  };
  if (result && !result.ok) action.error = errorCode(result);
  return action;
}

function sideEffectOf(call: ToolCalled, result: ToolResulted | undefined): SideEffectAction {
  const reference = result?.ok ? producedReference(call, result) : undefined;
  return { ...toolCallActionOf(call, result), ...(reference ? { reference } : {}) };
}

/** The first id in the result that the call did not pass in: the refund or ticket it made, not the order it named. */
function producedReference(call: ToolCalled, result: ToolResulted): string | undefined {
  for (const [field, value] of Object.entries(result.result)) {
    if (field.endsWith('_id') && call.arguments[field] === undefined && text(value)) return text(value);
  }
  return undefined;
}

function refundsOf(events: readonly CallEvent[]): RefundAction[] {
  const refunds = new Map<string, RefundAction>();
  for (const event of events) {
    if (event.type !== 'tool.result' || event.name !== REFUND_TOOL || !event.ok) continue;
    const result = event.result;
    const refundId = text(result.refund_id) ?? text(result.refundId);
    const orderId = text(result.order_id) ?? text(result.orderId);
    if (!refundId || !orderId) continue;
    const cents = typeof result.amount_cents === 'number' ? result.amount_cents : undefined;
    const amount = typeof result.amount === 'number' ? result.amount : cents !== undefined ? cents / 100 : 0;
    refunds.set(refundId, { refundId, orderId, amount, currency: text(result.currency) ?? 'USD' });
  }
  return [...refunds.values()];
}

function ticketsOf(called: readonly ToolCalled[], results: ReadonlyMap<string, ToolResulted>): TicketAction[] {
  return called.flatMap((call) => {
    const result = results.get(call.toolCallId);
    if (call.name !== TICKET_TOOL || !result?.ok) return [];
    const ticketId = text(result.result.ticket_id) ?? text(result.result.ticketId);
    return ticketId ? [{ ticketId, summary: text(call.arguments.summary) ?? null }] : [];
  });
}

function escalationOf(events: readonly CallEvent[]): { escalation?: CallSummary['actions']['escalation'] } {
  const escalation = events.filter((event): event is Extract<CallEvent, { type: 'escalation' }> => event.type === 'escalation').at(-1);
  return escalation
    ? {
        escalation: {
          reason: escalation.reason,
          summary: escalation.summary,
          target: escalation.target,
          transferred: escalation.transferred,
        },
      }
    : {};
}

function openItemsOf(
  summary: CallSummary,
  events: readonly CallEvent[],
  called: readonly ToolCalled[],
  results: ReadonlyMap<string, ToolResulted>,
  dropped: ReadonlySet<string>,
  kindOf: ToolKinds,
): string[] {
  const items: string[] = [];
  // Any tool's failure, side effects included, unless a later call of the same tool succeeded.
  for (const failure of unresolvedToolFailures(events))
    items.push(`${failure.name} failed (${errorCode(failure)}) and was not retried successfully`);
  for (const call of called) {
    if (mayHaveChangedSomething(kindOf(call.name)) && !results.has(call.toolCallId) && !dropped.has(call.toolCallId)) {
      items.push(`${call.name} has no recorded result: check whether it happened`);
    }
  }
  const escalation = summary.actions.escalation;
  if (escalation?.transferred) items.push(`A human agent (${escalation.target}) took over: ${escalation.reason}`);
  if (escalation && !escalation.transferred)
    items.push(`Escalation to a human did not go through: call the customer back (${escalation.reason})`);
  if (summary.outcome === 'abandoned' || summary.outcome === 'failed') {
    const lastCaller = events
      .map((event, index) => ({ event, index }))
      .filter(({ event }) => event.type === 'caller.said')
      .at(-1);
    const answered = lastCaller && events.slice(lastCaller.index + 1).some((event) => event.type === 'agent.said');
    if (lastCaller && !answered && lastCaller.event.type === 'caller.said')
      items.push(`The caller's last words got no answer: "${truncate(lastCaller.event.text, 120)}"`);
  }
  if (summary.outcome === 'failed' && ['provider-lost', 'failure', 'orphaned', 'shutdown'].includes(summary.endReason)) {
    items.push(`The call ended unexpectedly (${summary.endReason}): follow up with the caller`);
  }
  return items;
}

/** A side effect, or a tool the catalogue does not know: nothing says that it changed nothing. */
function mayHaveChangedSomething(kind: ToolKind | undefined): boolean {
  return kind === 'side-effect' || kind === undefined;
}

function errorCode(result: ToolResulted): string {
  return text(result.result.error) ?? 'error';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;
}
