import { ENTRY_AGENT_KEY } from '../agents/agent-config.types';
import { CallEndReason, CallEnding, CallEvent, CallOutcome } from './call-event.types';

/** A caller who hangs up this soon has not been helped, whatever was said. */
export const ABANDONED_WITHIN_SECONDS = 10;

const FAILURE_REASONS: ReadonlySet<CallEndReason> = new Set(['provider-lost', 'failure', 'orphaned', 'shutdown']);

export function deriveOutcome(events: readonly CallEvent[], reason: CallEndReason): CallOutcome {
  if (reason === 'human-transfer' || events.some((event) => event.type === 'escalation' && event.transferred)) return 'escalated';
  if (FAILURE_REASONS.has(reason)) return 'failed';
  if (callerLeftEarly(events)) return 'abandoned';
  return unresolvedToolFailures(events).length > 0 ? 'failed' : 'resolved';
}

/** Departments in the order the call went through them (call.started, then applied handoffs). */
export function departmentsVisited(events: readonly CallEvent[]): string[] {
  const path: string[] = [];
  for (const event of events) {
    const entered = event.type === 'call.started' ? event.department : event.type === 'handoff' && event.status === 'applied' ? event.to : undefined;
    if (entered !== undefined && path[path.length - 1] !== entered) path.push(entered);
  }
  return path;
}

export function currentDepartment(events: readonly CallEvent[]): string | undefined {
  return departmentsVisited(events).at(-1);
}

/** Failed tool results not later made good by a successful call of the same tool. */
export function unresolvedToolFailures(events: readonly CallEvent[]): Extract<CallEvent, { type: 'tool.result' }>[] {
  const failures = new Map<string, Extract<CallEvent, { type: 'tool.result' }>>();
  for (const event of events) {
    if (event.type !== 'tool.result') continue;
    if (event.ok) failures.delete(event.name);
    else failures.set(event.name, event);
  }
  return [...failures.values()];
}

/** How a call whose instance died is closed: by whoever finds it, from its durable events. */
export function orphanedCallEnding(events: readonly CallEvent[], endedAt: string): CallEnding {
  const departments = departmentsVisited(events);
  return {
    endedAt,
    reason: 'orphaned',
    outcome: deriveOutcome(events, 'orphaned'),
    finalDepartment: departments.at(-1) ?? ENTRY_AGENT_KEY,
    departments: departments.length > 0 ? departments : [ENTRY_AGENT_KEY],
  };
}

function callerLeftEarly(events: readonly CallEvent[]): boolean {
  if (events.length === 0) return true;
  const started = Date.parse((events.find((event) => event.type === 'call.started') ?? events[0]).at);
  const ended = Date.parse((events.find((event) => event.type === 'call.ended') ?? events[events.length - 1]).at);
  if (ended - started < ABANDONED_WITHIN_SECONDS * 1000) return true;
  const firstWords = events.findIndex((event) => event.type === 'caller.said');
  if (firstWords < 0) return true;
  return !events.slice(firstWords + 1).some((event) => event.type === 'agent.said');
}
