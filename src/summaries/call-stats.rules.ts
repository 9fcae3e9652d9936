import { CallOutcome } from '../call-journal/call-event.types';
import { EscalationTriggerCount, StatsFigures, TimeBucket, TurnLatencyFigures } from './call-stats.repository';

/** Ranges up to this long are counted by the hour, longer ones by the day. */
export const HOURLY_UP_TO_MS = 48 * 3600 * 1000;

/** Percentiles of responseLatencyMs over answered turns, whole ms; null when there are none. */
export interface LatencyPercentiles {
  turns: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** The same over a department's or a provider's answered turns (listed only when there are some). */
export interface GroupLatencyPercentiles {
  turns: number;
  p50Ms: number;
  p95Ms: number;
}

/** Caller turns of the range: how long callers waited for the agent's first audio after they stopped speaking. */
export interface TurnLatencyStats {
  /** Answered turns. */
  turns: number;
  unanswered: number;
  overall: LatencyPercentiles;
  /** Departments and providers with at least one answered turn, by name. */
  byDepartment: ({ department: string } & GroupLatencyPercentiles)[];
  byProvider: ({ provider: string } & GroupLatencyPercentiles)[];
  /** Answered turns over 2000 ms (slow to the caller) and over 3000 ms (broken). */
  over2s: number;
  over3s: number;
}

/** Calls started in one bucket, and how many of them were escalated to a person. */
export interface CallsOverTimePoint {
  /** The bucket's start, UTC. */
  start: string;
  calls: number;
  escalated: number;
}

export interface CallsOverTime {
  bucket: TimeBucket;
  /** Every bucket the range touches, in order; empty ones with zeros. */
  points: CallsOverTimePoint[];
}

export interface CallStats {
  from: string;
  to: string;
  calls: number;
  outcomes: Record<CallOutcome, number>;
  /** Applied handoffs between departments. */
  handoffMatrix: { from: string; to: string; count: number }[];
  /** Share of calls resolved without a human (resolved / calls). */
  containment: number;
  escalationRate: number;
  averageHandleTimeSeconds: {
    overall: number | null;
    perDepartment: { department: string; averageSeconds: number; calls: number }[];
  };
  refundsIssued: {
    count: number;
    /** Sum in major units; meaningful as one figure when all refunds share a currency (see byCurrency). */
    totalAmount: number;
    byCurrency: { currency: string; count: number; totalAmount: number }[];
  };
  turnLatency: TurnLatencyStats;
  callsOverTime: CallsOverTime;
  /** Escalations the service enforced from the departments' rules, by trigger and action (a call may count more than once). */
  escalationsByTrigger: EscalationTriggerCount[];
}

/** Without from, the range is the week before to (or before now). */
export const DEFAULT_STATS_RANGE_MS = 7 * 24 * 3600 * 1000;
/** A longer range would make /stats scan years of calls and return a day bucket for each of them. */
export const MAX_STATS_RANGE_DAYS = 400;

export type StatsRange = { ok: true; from: Date; to: Date } | { ok: false; field: 'from' | 'to'; message: string };

/** The range /stats reports on, from the query's optional ends; or what is wrong with them. */
export function statsRange(query: { from?: Date; to?: Date }, now: Date): StatsRange {
  const to = query.to ?? now;
  const from = query.from ?? new Date(to.getTime() - DEFAULT_STATS_RANGE_MS);
  if (from >= to) return { ok: false, field: 'from', message: 'from must be before to' };
  if (to.getTime() - from.getTime() > MAX_STATS_RANGE_DAYS * 24 * 3600 * 1000)
    return { ok: false, field: 'from', message: `the range may span at most ${MAX_STATS_RANGE_DAYS} days` };
  return { ok: true, from, to };
}

export function callsOverTimeBucket(from: Date, to: Date): TimeBucket {
  return to.getTime() - from.getTime() <= HOURLY_UP_TO_MS ? 'hour' : 'day';
}

export function callStatsFrom(figures: StatsFigures, from: Date, to: Date): CallStats {
  const outcomes: Record<CallOutcome, number> = { resolved: 0, escalated: 0, abandoned: 0, failed: 0 };
  for (const row of figures.outcomes) outcomes[row.outcome] = row.calls;
  const calls = Object.values(outcomes).reduce((sum, count) => sum + count, 0);
  const byCurrency = figures.refunds.map((row) => ({ currency: row.currency, count: row.count, totalAmount: row.totalCents / 100 }));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    calls,
    outcomes,
    handoffMatrix: figures.handoffs,
    containment: ratio(outcomes.resolved, calls),
    escalationRate: ratio(outcomes.escalated, calls),
    averageHandleTimeSeconds: {
      overall: figures.averageDurationSeconds === null ? null : round(figures.averageDurationSeconds, 1),
      perDepartment: figures.departments.map((row) => ({ ...row, averageSeconds: round(row.averageSeconds, 1) })),
    },
    refundsIssued: {
      count: byCurrency.reduce((sum, row) => sum + row.count, 0),
      totalAmount: round(
        byCurrency.reduce((sum, row) => sum + row.totalAmount, 0),
        2,
      ),
      byCurrency,
    },
    turnLatency: turnLatencyFrom(figures.turnLatency),
    callsOverTime: callsOverTimeFrom(figures.callsOverTime),
    escalationsByTrigger: figures.escalationTriggers,
  };
}

export function callsOverTimeFrom({ bucket, buckets }: StatsFigures['callsOverTime']): CallsOverTime {
  return {
    bucket,
    points: buckets.map((row) => ({ start: row.start.toISOString(), calls: row.calls, escalated: row.escalated })),
  };
}

export function turnLatencyFrom(figures: StatsFigures['turnLatency']): TurnLatencyStats {
  const overall = figures.overall;
  return {
    turns: overall?.answered ?? 0,
    unanswered: overall?.unanswered ?? 0,
    overall: percentiles(overall),
    byDepartment: figures.departments.flatMap((row) => {
      const group = groupPercentiles(row);
      return group ? [{ department: row.department, ...group }] : [];
    }),
    byProvider: figures.providers.flatMap((row) => {
      const group = groupPercentiles(row);
      return group ? [{ provider: row.provider, ...group }] : [];
    }),
    over2s: overall?.overSlow ?? 0,
    over3s: overall?.overBroken ?? 0,
  };
}

function percentiles(figures: TurnLatencyFigures | null): LatencyPercentiles {
  return groupPercentiles(figures) ?? { turns: 0, p50Ms: null, p95Ms: null };
}

function groupPercentiles(figures: TurnLatencyFigures | null): GroupLatencyPercentiles | null {
  if (!figures || figures.answered === 0 || figures.p50 === null || figures.p95 === null) return null;
  return { turns: figures.answered, p50Ms: Math.round(figures.p50), p95Ms: Math.round(figures.p95) };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : round(part / whole, 4);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
