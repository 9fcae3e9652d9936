import { Environment } from '../config/environment';

export interface CallJournalOptions {
  /** Events are batched this long before a pipelined write. */
  flushDelayMs: number;
  flushBatchSize: number;
  /** Per call, while Redis is down; beyond it events are dropped and counted. */
  maxBufferedEvents: number;
  retryMinDelayMs: number;
  retryMaxDelayMs: number;
  /** How long finish() waits for Redis before returning (the work goes on in the background). */
  finishWaitMs: number;
  heartbeatIntervalMs: number;
  orphanAfterMs: number;
  sweepIntervalMs: number;
  /** Events and metadata of a call stay in Redis this long while it is not yet stored in Postgres. */
  retentionSeconds: number;
  /** ...and only this long once its record is stored (long enough for a retried job to find it). */
  storedRetentionSeconds: number;
}

export const CALL_JOURNAL_OPTIONS = Symbol('CALL_JOURNAL_OPTIONS');

export function callJournalOptionsFor(environment: Pick<Environment, 'CALL_ORPHAN_AFTER_MS'>): CallJournalOptions {
  const orphanAfterMs = environment.CALL_ORPHAN_AFTER_MS;
  return {
    flushDelayMs: 50,
    flushBatchSize: 500,
    maxBufferedEvents: 5000,
    retryMinDelayMs: 250,
    retryMaxDelayMs: 2000,
    finishWaitMs: 5000,
    // Several heartbeats fit in the orphan window, so one late beat never orphans a live call.
    heartbeatIntervalMs: Math.max(50, Math.floor(orphanAfterMs / 6)),
    orphanAfterMs,
    sweepIntervalMs: Math.max(100, Math.floor(orphanAfterMs / 3)),
    retentionSeconds: 7 * 24 * 3600,
    storedRetentionSeconds: 15 * 60,
  };
}
