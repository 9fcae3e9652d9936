import { CallEndReason, CallEnding, CallEvent, CallOutcome } from './call-event.types';

/** A caller who hangs up this soon has not been helped, whatever was said. */
export const ABANDONED_WITHIN_SECONDS = 10;

/** The department of an orphaned call whose journal never said which department it was in. */
export const UNKNOWN_DEPARTMENT = 'unknown';

/** What both the live call and its journal know when the call ends: all the outcome rule needs besides the end reason. */
export interface CallOutcomeFacts {
  /** A transfer to a human was placed. */
  escalated: boolean;
  /** The caller said something and the agent spoke after it. */
  callerAnswered: boolean;
  /** From the call's start to its end. */
  durationMs: number;
  /** Tools whose last result was a failure; refused department handoffs are not counted (see countsAsToolFailure). */
  unresolvedToolFailures: number;
}

type EndedBy = 'caller' | 'service' | 'human' | 'silence';

/** Who ended the call, for each end reason: the one place an end reason gets its meaning. */
const ENDED_BY: Record<CallEndReason, EndedBy> = {
  // Twilio's stop message: the caller hung up, or Twilio ended the call.
  'twilio-stop': 'caller',
  // The Media Stream closed without a stop: the caller's side went away.
  hangup: 'caller',
  // Twilio's socket went silent: the line dropped on the caller's side, not ours.
  'stream-lost': 'caller',
  // A person took the call over.
  'human-transfer': 'human',
  // The voice agent's connection was lost for good and no person could take the caller.
  'provider-lost': 'service',
  // The voice agent failed or ended its session mid-call and no person could take the caller.
  failure: 'service',
  // Our instance stopped with the caller still on the line after the drain time ran out: we cut them off.
  shutdown: 'service',
  // Our instance died mid-call; another closed the call from its journal.
  orphaned: 'service',
  // A supervisor ended the call from the console or the API: a person decided how it ended, so the agent did not contain it.
  'supervisor-ended': 'human',
  // The caller stopped answering: prompted, then let go politely. Nobody was helped to the end.
  'caller-silent': 'silence',
  // The call reached the longest a call may last (MAX_CALL_MINUTES) and was ended politely by us.
  'max-duration': 'service',
};

/**
 * The outcome of a call, the same for a call ended live (CallSession) and for one closed as
 * orphaned. Containment on /stats is resolved / calls, so only a call the agent saw through
 * to the caller's own goodbye counts as resolved.
 *
 * | end reason                       | outcome                                                                     |
 * | -------------------------------- | --------------------------------------------------------------------------- |
 * | any, once a human transfer was placed | escalated: a person took the caller; what ended our leg after is moot  |
 * | human-transfer, supervisor-ended | escalated                                                                   |
 * | provider-lost, failure           | failed: the voice agent broke and no person took the caller                 |
 * | shutdown                         | failed: we cut off a caller who was still on the line                       |
 * | max-duration                     | failed: the call ran out of time before the caller was helped to the end     |
 * | caller-silent                    | abandoned: the caller stopped answering                                     |
 * | orphaned                         | failed: our instance died mid-call                                          |
 * | twilio-stop, hangup, stream-lost | abandoned: under 10 s, or the caller never spoke, or never got an answer    |
 * |                                  | else failed: a tool failure was never made good (refused handoffs aside)    |
 * |                                  | else resolved                                                               |
 */
export function decideCallOutcome(facts: CallOutcomeFacts, reason: CallEndReason): CallOutcome {
  const endedBy = ENDED_BY[reason];
  if (facts.escalated || endedBy === 'human') return 'escalated';
  if (endedBy === 'service') return 'failed';
  if (endedBy === 'silence') return 'abandoned';
  if (facts.durationMs < ABANDONED_WITHIN_SECONDS * 1000 || !facts.callerAnswered) return 'abandoned';
  // The caller left with something a tool was meant to do undone (a refund, a lookup, a person): not contained.
  return facts.unresolvedToolFailures > 0 ? 'failed' : 'resolved';
}

/**
 * The outcome facts folded one event at a time: CallSession keeps one as it records (a few
 * events a second at most, never per audio frame), and a journal folds the same way.
 */
export interface CallOutcomeTally {
  /** call.started, or failing that the first event. */
  readonly startedAtMs?: number;
  readonly escalated: boolean;
  readonly callerSpoke: boolean;
  readonly callerAnswered: boolean;
  readonly failingTools: ReadonlySet<string>;
}

export const EMPTY_OUTCOME_TALLY: CallOutcomeTally = {
  escalated: false,
  callerSpoke: false,
  callerAnswered: false,
  failingTools: new Set(),
};

/** The tally after one more event; the same object when the event changes nothing. */
export function tallyOutcome(tally: CallOutcomeTally, event: CallEvent): CallOutcomeTally {
  const timed = tally.startedAtMs === undefined || event.type === 'call.started' ? { ...tally, startedAtMs: Date.parse(event.at) } : tally;
  switch (event.type) {
    case 'caller.said':
      return timed.callerSpoke ? timed : { ...timed, callerSpoke: true };
    case 'agent.said':
      return timed.callerSpoke && !timed.callerAnswered ? { ...timed, callerAnswered: true } : timed;
    case 'escalation':
      return event.transferred && !timed.escalated ? { ...timed, escalated: true } : timed;
    case 'tool.result': {
      const failingTools = afterToolResult(timed.failingTools, event);
      return failingTools === timed.failingTools ? timed : { ...timed, failingTools };
    }
    default:
      return timed;
  }
}

export function outcomeFactsOf(tally: CallOutcomeTally, endedAtMs: number): CallOutcomeFacts {
  return {
    escalated: tally.escalated,
    callerAnswered: tally.callerAnswered,
    durationMs: tally.startedAtMs === undefined ? 0 : Math.max(0, endedAtMs - tally.startedAtMs),
    unresolvedToolFailures: tally.failingTools.size,
  };
}

/** The outcome facts of a journaled call; it ended at endedAt, else at its call.ended, else at its last event. */
export function outcomeFactsFrom(events: readonly CallEvent[], endedAt?: string): CallOutcomeFacts {
  const end = endedAt ?? events.filter((event) => event.type === 'call.ended').at(-1)?.at ?? events.at(-1)?.at;
  return outcomeFactsOf(events.reduce(tallyOutcome, EMPTY_OUTCOME_TALLY), end === undefined ? 0 : Date.parse(end));
}

/** Departments in the order the call went through them (call.started, then applied handoffs). */
export function departmentsVisited(events: readonly CallEvent[]): string[] {
  const path: string[] = [];
  for (const event of events) {
    const entered =
      event.type === 'call.started' ? event.department : event.type === 'handoff' && event.status === 'applied' ? event.to : undefined;
    if (entered !== undefined && path[path.length - 1] !== entered) path.push(entered);
  }
  return path;
}

export function currentDepartment(events: readonly CallEvent[]): string | undefined {
  return departmentsVisited(events).at(-1);
}

/** Failed tool results not later made good by a successful call of the same tool (the summary's open items); refused handoffs aside, as in the outcome. */
export function unresolvedToolFailures(events: readonly CallEvent[]): Extract<CallEvent, { type: 'tool.result' }>[] {
  const failures = new Map<string, Extract<CallEvent, { type: 'tool.result' }>>();
  for (const event of events) {
    if (event.type !== 'tool.result') continue;
    if (event.ok) failures.delete(event.name);
    else if (countsAsToolFailure(event)) failures.set(event.name, event);
  }
  return [...failures.values()];
}

/**
 * How a call whose instance died is closed: by whoever finds it, from its durable events.
 * Its departments come from its events; failing those, from the department the journal last
 * stored beside them; failing that, they are unknown rather than guessed.
 */
export function orphanedCallEnding(events: readonly CallEvent[], endedAt: string, journaledDepartment?: string | null): CallEnding {
  const visited = departmentsVisited(events);
  const departments = visited.length > 0 ? visited : [journaledDepartment || UNKNOWN_DEPARTMENT];
  return {
    endedAt,
    reason: 'orphaned',
    outcome: decideCallOutcome(outcomeFactsFrom(events, endedAt), 'orphaned'),
    finalDepartment: departments[departments.length - 1],
    departments,
  };
}

type ToolResult = Extract<CallEvent, { type: 'tool.result' }>;

/**
 * A refused department handoff leaves the caller with a working agent, and a handoff that goes
 * through records no tool result to make the refusal good: it is no failure of the call.
 */
function countsAsToolFailure(result: ToolResult): boolean {
  return !result.ok && result.result.error !== 'handoff_refused';
}

function afterToolResult(failing: ReadonlySet<string>, result: ToolResult): ReadonlySet<string> {
  if (result.ok) {
    if (!failing.has(result.name)) return failing;
    const remaining = new Set(failing);
    remaining.delete(result.name);
    return remaining;
  }
  if (!countsAsToolFailure(result) || failing.has(result.name)) return failing;
  return new Set(failing).add(result.name);
}
