import { JobsOptions } from 'bullmq';
import { HandoffLogEntry, HandoffStatus } from '../handoff.types';

export const HANDOFF_LOG_QUEUE = 'handoff-log';
export const HANDOFF_LOG_INSERT_JOB = 'insert';

/** A handoff whose first insert failed; job id = handoff id, so a retry never duplicates it. */
export type HandoffLogJobPayload = HandoffLogEntry;

// 15 attempts from 1 s doubling: retries for about nine hours before the job stays failed (kept).
export const HANDOFF_LOG_JOB_OPTIONS: Omit<JobsOptions, 'jobId'> = {
  attempts: 15,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: false,
};

export const HANDOFF_STATUSES: readonly HandoffStatus[] = ['applied', 'refused', 'cancelled'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ParsedHandoffLogEntry = { ok: true; entry: HandoffLogEntry } | { ok: false; problems: string[] };

/** Checks an entry before it is stored and again when it comes back off Redis as a job payload. */
export function parseHandoffLogEntry(data: unknown): ParsedHandoffLogEntry {
  if (typeof data !== 'object' || data === null) return { ok: false, problems: ['not an object'] };
  const value = data as Record<string, unknown>;
  const problems: string[] = [];
  const isTime = (field: unknown) => typeof field === 'string' && !Number.isNaN(Date.parse(field));
  const isNullable = <T>(field: unknown, check: (field: unknown) => field is T) => field === null || check(field);
  const isText = (field: unknown): field is string => typeof field === 'string';
  const isNonEmpty = (field: unknown): field is string => typeof field === 'string' && field !== '';
  const isInt = (field: unknown): field is number => Number.isInteger(field);
  const isFiniteNumber = (field: unknown): field is number => typeof field === 'number' && Number.isFinite(field);

  if (!isText(value.id) || !UUID.test(value.id)) problems.push('id must be a UUID');
  for (const field of ['callId', 'fromAgent', 'toAgent'] as const)
    if (!isNonEmpty(value[field])) problems.push(`${field} must be a non-empty string`);
  for (const field of ['reason', 'summary'] as const) if (!isText(value[field])) problems.push(`${field} must be a string`);
  if (!HANDOFF_STATUSES.includes(value.status as HandoffStatus)) problems.push(`status must be one of ${HANDOFF_STATUSES.join(', ')}`);
  if (!isNullable(value.code, isText)) problems.push('code must be a string or null');
  if (!isTime(value.requestedAt)) problems.push('requestedAt must be an ISO time');
  if (!(value.appliedAt === null || isTime(value.appliedAt))) problems.push('appliedAt must be an ISO time or null');
  if (!isNullable(value.latencyMs, isFiniteNumber)) problems.push('latencyMs must be a number or null');
  for (const field of ['fromVersion', 'toVersion'] as const)
    if (!isNullable(value[field], isInt)) problems.push(`${field} must be an integer or null`);
  if (problems.length > 0) return { ok: false, problems };

  const entry: HandoffLogEntry = {
    id: value.id as string,
    callId: value.callId as string,
    fromAgent: value.fromAgent as string,
    toAgent: value.toAgent as string,
    reason: value.reason as string,
    summary: value.summary as string,
    status: value.status as HandoffStatus,
    code: value.code as string | null,
    requestedAt: value.requestedAt as string,
    appliedAt: value.appliedAt as string | null,
    latencyMs: value.latencyMs as number | null,
    fromVersion: value.fromVersion as number | null,
    toVersion: value.toVersion as number | null,
  };
  return { ok: true, entry };
}
