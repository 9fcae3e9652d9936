import { CallerTurn, TurnBreakdown, TurnHandoff, TurnTool } from '../call-journal/call-event.types';

/** The callers' budget for a response: over 2 s feels slow, over 3 s feels broken. */
export const SLOW_RESPONSE_MS = 2000;
export const BROKEN_RESPONSE_MS = 3000;

/** One caller turn as the supervisor reads it: the turn event's time and its fields. */
export type CallTurn = { at: string } & CallerTurn;

// A record so that a new measuredFrom in the event vocabulary fails to compile here rather than hide its turns.
const MEASURED_FROM: Record<CallerTurn['measuredFrom'], true> = { 'speech-end': true, transcript: true };
export const MEASURED_FROM_VALUES = Object.keys(MEASURED_FROM) as CallerTurn['measuredFrom'][];
const HANDOFF_STATUSES: Record<TurnHandoff['status'], true> = { applied: true, refused: true, cancelled: true };
export const TURN_HANDOFF_STATUSES = Object.keys(HANDOFF_STATUSES) as TurnHandoff['status'][];

/**
 * The call's turns in order, from its events (stored or journaled, payload fields beside type
 * and at). A turn whose own fields are not what the vocabulary says is left out, so one bad
 * record never fails a whole answer; CallStatsRepository counts exactly the turns kept here.
 * A malformed tool, handoff or breakdown inside a kept turn is dropped on its own.
 */
export function turnsOf(events: readonly { type: string; at: string }[]): CallTurn[] {
  return events.flatMap((event) => {
    const turn = event.type === 'turn' ? turnOf(event as unknown as Record<string, unknown>) : null;
    return turn ? [turn] : [];
  });
}

function turnOf(fields: Record<string, unknown>): CallTurn | null {
  const { at, turn, department, provider, callerStoppedAt, measuredFrom, responseLatencyMs, answerLatencyMs, tools, handoffs } = fields;
  if (
    typeof at !== 'string' ||
    !isFiniteNumber(turn) ||
    !isNonEmptyString(department) ||
    !isNonEmptyString(provider) ||
    typeof callerStoppedAt !== 'string' ||
    !isMeasuredFrom(measuredFrom) ||
    !isLatency(responseLatencyMs) ||
    !isLatency(answerLatencyMs) ||
    !Array.isArray(tools) ||
    !Array.isArray(handoffs)
  )
    return null;
  const breakdown = breakdownOf(fields.breakdown);
  return {
    at,
    turn,
    department,
    provider,
    callerStoppedAt,
    measuredFrom,
    responseLatencyMs,
    answerLatencyMs,
    ...(breakdown ? { breakdown } : {}),
    tools: tools.flatMap((tool) => toolOf(tool) ?? []),
    handoffs: handoffs.flatMap((handoff) => handoffOf(handoff) ?? []),
  };
}

function breakdownOf(value: unknown): TurnBreakdown | undefined {
  if (!isObject(value)) return undefined;
  const { toolsMs, handoffsMs, otherMs } = value;
  return isFiniteNumber(toolsMs) && isFiniteNumber(handoffsMs) && isFiniteNumber(otherMs) ? { toolsMs, handoffsMs, otherMs } : undefined;
}

function toolOf(value: unknown): TurnTool | undefined {
  if (!isObject(value)) return undefined;
  const { toolCallId, name, startMs, durationMs, ok } = value;
  if (typeof toolCallId !== 'string' || typeof name !== 'string' || !isFiniteNumber(startMs) || !isLatency(durationMs)) return undefined;
  if (ok !== null && typeof ok !== 'boolean') return undefined;
  return { toolCallId, name, startMs, durationMs, ok };
}

function handoffOf(value: unknown): TurnHandoff | undefined {
  if (!isObject(value)) return undefined;
  const { from, to, status, startMs, latencyMs } = value;
  if (typeof from !== 'string' || typeof to !== 'string' || !isFiniteNumber(startMs) || !isLatency(latencyMs)) return undefined;
  if (typeof status !== 'string' || !Object.hasOwn(HANDOFF_STATUSES, status)) return undefined;
  return { from, to, status: status as TurnHandoff['status'], startMs, latencyMs };
}

/**
 * The continuous percentile of sorted values, as Postgres percentile_cont computes it: linear
 * interpolation between the two closest ranks around position fraction * (n - 1). null when empty.
 */
export function percentileOfSorted(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

function isMeasuredFrom(value: unknown): value is CallerTurn['measuredFrom'] {
  return typeof value === 'string' && Object.hasOwn(MEASURED_FROM, value);
}

/** A duration in ms, or null (no answer, still running). */
function isLatency(value: unknown): value is number | null {
  return value === null || (isFiniteNumber(value) && value >= 0);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
