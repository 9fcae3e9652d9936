import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { CallerHistoryEntry } from '../call-event.types';
import { CALL_JOURNAL_REDIS } from '../call-journal/call-journal.redis';
import { hashCallerNumber } from './caller-hash';

/** A call never waits longer than this for its caller's history. */
const LOAD_WAIT_MS = 300;
const MARKER_TTL_SECONDS = 30 * 24 * 3600;

/*
 * Appends a call's entry once, however often the post-call job runs.
 * KEYS: marker, history list. ARGV: entry JSON, limit, ttl seconds, marker ttl seconds.
 */
const APPEND_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

type HistoryRedis = Redis & { appendHistoryOnce(marker: string, key: string, entry: string, limit: number, ttl: number, markerTtl: number): Promise<number> };

/** Recent interactions per caller, keyed by an HMAC of the number (never the number itself). */
@Injectable()
export class CallerHistoryService {
  private readonly logger = new Logger(CallerHistoryService.name);
  private readonly redis: HistoryRedis;

  constructor(
    @Inject(CALL_JOURNAL_REDIS) redis: Redis,
    private readonly config: AppConfig,
  ) {
    redis.defineCommand('appendHistoryOnce', { numberOfKeys: 2, lua: APPEND_ONCE });
    this.redis = redis as HistoryRedis;
  }

  hashCaller(e164: string): string {
    return hashCallerNumber(e164, this.config.env.CALLER_HISTORY_SECRET);
  }

  /** Newest first; null (and a warning) when Redis does not answer in time: the call goes on without. */
  async load(e164: string): Promise<CallerHistoryEntry[] | null> {
    const reading = this.redis.lrange(this.historyKey(this.hashCaller(e164)), 0, this.config.env.CALLER_HISTORY_LIMIT - 1);
    let timer: NodeJS.Timeout | undefined;
    try {
      const raw = await Promise.race([
        reading,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${LOAD_WAIT_MS} ms`)), LOAD_WAIT_MS))),
      ]);
      return raw.flatMap((item) => {
        const entry = parseEntry(item);
        return entry ? [entry] : [];
      });
    } catch (error) {
      reading.catch(() => undefined);
      this.logger.warn(`Caller history unavailable (${error instanceof Error ? error.message : String(error)}): call goes on without history`);
      return null;
    } finally {
      clearTimeout(timer);
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

  /** append() guarded by a per-call marker: true when this call's entry was added now. */
  async appendOnce(callSid: string, callerHash: string, entry: CallerHistoryEntry): Promise<boolean> {
    const added = await this.redis.appendHistoryOnce(
      this.config.redisKey('call', callSid, 'history-written'),
      this.historyKey(callerHash),
      JSON.stringify(entry),
      this.config.env.CALLER_HISTORY_LIMIT,
      this.ttlSeconds,
      MARKER_TTL_SECONDS,
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
