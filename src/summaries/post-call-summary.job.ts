import { plainToInstance } from 'class-transformer';
import { IsString, Matches, validateSync } from 'class-validator';

export const POST_CALL_SUMMARY_QUEUE = 'post-call-summary';
export const POST_CALL_SUMMARY_JOB = 'post-call-summary';
export const SUMMARY_JOB_ATTEMPTS = 20;
export const SUMMARY_BACKOFF_TYPE = 'capped-exponential';
export const SUMMARY_BACKOFF_CAP_MS = 5 * 60_000;

/** Twilio call SIDs and test ids; BullMQ refuses custom job ids with ':' or only digits. */
const CALL_SID = /^(?!\d+$)[A-Za-z0-9_.-]{1,128}$/;

/** The job carries only the call id: the worker reads everything else from the call journal. */
export class PostCallSummaryJobData {
  @IsString()
  @Matches(CALL_SID, { message: 'callSid must be 1-128 letters, digits, _ . - (not only digits)' })
  callSid: string;
}

export class InvalidJobPayloadError extends Error {}

export function summaryJobId(callSid: string, revision: number): string {
  return revision > 0 ? `${callSid}.r${revision}` : callSid;
}

export function isValidCallSid(callSid: string): boolean {
  return CALL_SID.test(callSid);
}

/** Checks a payload as it comes off Redis; throws InvalidJobPayloadError naming the problem. */
export function parsePostCallSummaryJobData(data: unknown): PostCallSummaryJobData {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new InvalidJobPayloadError('post-call-summary payload must be an object');
  const payload = plainToInstance(PostCallSummaryJobData, data);
  const errors = validateSync(payload, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const problems = errors.flatMap((error) =>
      Object.values(error.constraints ?? { [error.property]: `${error.property} is not allowed` }),
    );
    throw new InvalidJobPayloadError(`invalid post-call-summary payload: ${problems.join('; ')}`);
  }
  return payload;
}

/** Doubling retry delays, capped, so a long Postgres outage is waited out rather than failed. */
export function summaryRetryDelay(attemptsMade: number, baseDelayMs: number): number {
  return Math.min(SUMMARY_BACKOFF_CAP_MS, baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
}
