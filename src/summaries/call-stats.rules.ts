import { CallOutcome } from '../call-journal/call-event.types';
import { StatsFigures } from './call-stats.repository';

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
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : round(part / whole, 4);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
