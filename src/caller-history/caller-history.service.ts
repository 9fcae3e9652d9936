import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { withinTime } from '../common/wait-at-most';
import { AppConfig } from '../config/app-config';
import { CALLER_HISTORY_REDIS } from './caller-history.redis';
import { CallerHistoryEntry } from './caller-history.types';
import { hashCallerNumber } from './caller-hash';
import { describeError, fieldLogger } from '../common/field-logger';

/** A call never waits longer than this for its caller's history. */
const LOAD_WAIT_MS = 300;
const MARKER_TTL_SECONDS = 30 * 24 * 3600;

/*
 * Appends a call's entry once per revision, however often the post-call job runs; a later
 * revision (the call taken back after an orphan close) replaces the entry of an earlier one.
 * KEYS: marker, history list. ARGV: entry JSON, limit, ttl seconds, marker ttl seconds, call id.
 */
const APPEND_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then return 0 end
for _, item in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local ok, entry = pcall(cjson.decode, item)
  if ok and type(entry) == 'table' and entry.callId == ARGV[5] then redis.call('LREM', KEYS[2], 0, item) end
end
redis.call('LPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

type HistoryRedis = Redis & {
  appendHistoryOnce(
    marker: string,
    key: string,
    entry: string,
    limit: number,
    ttl: number,
    markerTtl: number,
    callSid: string,
  ): Promise<number>;
};

/** Recent interactions per caller, keyed by an HMAC of the number (never the number itself). */
@Injectable()
export class CallerHistoryService {
  private readonly logger = fieldLogger(new Logger(CallerHistoryService.name));
  private readonly redis: HistoryRedis;

  constructor(
    @Inject(CALLER_HISTORY_REDIS) redis: Redis,
    private readonly config: AppConfig,
  ) {
    redis.defineCommand('appendHistoryOnce', { numberOfKeys: 2, lua: APPEND_ONCE });
    this.redis = redis as HistoryRedis;
  }

  hashCaller(e164: string): string {
    return hashCallerNumber(e164, this.config.env.CALLER_HISTORY_SECRET);
  }

  /** Newest first; null (and a warning) when Redis does not answer in time: the call goes on without. */
  async load(callerHash: string): Promise<CallerHistoryEntry[] | null> {
    try {
      const raw = await withinTime(
        this.redis.lrange(this.historyKey(callerHash), 0, this.config.env.CALLER_HISTORY_LIMIT - 1),
        LOAD_WAIT_MS,
      );
      return raw.flatMap((item) => {
        const entry = parseEntry(item);
        return entry ? [entry] : [];
      });
    } catch (error) {
      this.logger.warn('Caller history unavailable: the call goes on without it', { error: describeError(error) });
      return null;
    }
  }

  async append(callerHash: string, entry: CallerHistoryEntry): Promise<void> {
    const key = this.historyKey(callerHash);
    await this.redis
      .multi()
      .lpush(key, JSON.stringify(entry))
      .ltrim(key, 0, this.config.env.CALLER_HISTORY_LIMIT - 1)
      .expire(key, this.ttlSeconds)
      .exec();
  }

  /** append() guarded by a per-call (and revision) marker: true when this call's entry was added now. */
  async appendOnce(callSid: string, callerHash: string, entry: CallerHistoryEntry, revision = 0): Promise<boolean> {
    const added = await this.redis.appendHistoryOnce(
      this.config.redisKey('call', callSid, revision > 0 ? `history-written-r${revision}` : 'history-written'),
      this.historyKey(callerHash),
      JSON.stringify(entry),
      this.config.env.CALLER_HISTORY_LIMIT,
      this.ttlSeconds,
      MARKER_TTL_SECONDS,
      callSid,
    );
    return added === 1;
  }

  historyKey(callerHash: string): string {
    return this.config.redisKey('caller', callerHash, 'history');
  }

  private get ttlSeconds(): number {
    return this.config.env.CALLER_HISTORY_TTL_DAYS * 24 * 3600;
  }
}

function parseEntry(raw: string): CallerHistoryEntry | null {
  try {
    const entry = JSON.parse(raw) as CallerHistoryEntry;
    return typeof entry?.callId === 'string' && typeof entry.at === 'string' && typeof entry.summary === 'string' ? entry : null;
  } catch {
    return null;
  }
}
