import { PgClient } from './pg-client';
import { EndedCall } from './bench-stats';
import { percentileOf } from './latency-histogram';
import { PostCallFigures } from './step-report';

export const SUMMARY_TABLE = 'call_summaries';

/**
 * Polls Postgres for the summary rows of the calls that ended (call_summaries.call_id = the
 * CallSid) and returns each row's created_at (ms). Bounded by `timeoutMs` after the call.
 */
export async function waitForSummaries(
  client: PgClient,
  ended: readonly EndedCall[],
  timeoutMs: number,
  pollMs = 200,
): Promise<{ createdAt: Map<string, number>; error?: string }> {
  const createdAt = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  let pending = ended.map((call) => call.callSid);
  while (pending.length > 0) {
    try {
      const result = await client.query<{ call_id: string; created_at: Date }>(
        `SELECT call_id, created_at FROM ${SUMMARY_TABLE} WHERE call_id = ANY($1::text[])`,
        [pending],
      );
      for (const row of result.rows) createdAt.set(row.call_id, row.created_at.getTime());
    } catch (error) {
      return { createdAt, error: `could not read ${SUMMARY_TABLE}: ${error instanceof Error ? error.message : String(error)}` };
    }
    pending = pending.filter((callSid) => !createdAt.has(callSid));
    if (pending.length === 0 || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return { createdAt };
}

/** Call end (stop sent) -> summary row, from the stop times and the rows' created_at. */
export function postCallFigures(
  ended: readonly EndedCall[],
  createdAt: ReadonlyMap<string, number>,
  endRatePerSecond: number,
  error?: string,
): PostCallFigures {
  const latencies: number[] = [];
  const created: number[] = [];
  for (const call of ended) {
    const at = createdAt.get(call.callSid);
    if (at === undefined) continue;
    latencies.push(at - call.stopAt);
    created.push(at);
  }
  const firstEnd = ended.length ? Math.min(...ended.map((call) => call.stopAt)) : 0;
  const lastCreated = created.length ? Math.max(...created) : 0;
  const spanSeconds = (lastCreated - firstEnd) / 1000;
  let peak = 0;
  if (created.length) {
    const firstCreated = Math.min(...created);
    const perSecond = new Map<number, number>();
    for (const at of created) {
      const second = Math.floor((at - firstCreated) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    peak = Math.max(...perSecond.values());
  }
  return {
    calls: ended.length,
    endRatePerSecond,
    summarised: latencies.length,
    missing: ended.length - latencies.length,
    p50Ms: percentileOf(latencies, 50),
    p95Ms: percentileOf(latencies, 95),
    maxMs: latencies.length ? Math.max(...latencies) : null,
    summariesPerSecond: created.length && spanSeconds > 0 ? created.length / spanSeconds : null,
    peakSummariesPerSecond: peak,
    ...(error ? { error } : {}),
  };
}
