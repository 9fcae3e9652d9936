import { Inject, Injectable } from '@nestjs/common';
import Redis, { ChainableCommander } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { CallEnding, CallEvent, CallMetadata } from '../call-event.types';
import { CALL_JOURNAL_OPTIONS, CallJournalOptions } from './call-journal.options';
import { CALL_JOURNAL_REDIS } from './call-journal.redis';

/*
 * Appends one instance's batch exactly once. The meta hash counts how many of the owning
 * instance's events are in the list, so a batch retried after an unknown outcome (the
 * connection dropped before the reply) skips what already landed instead of duplicating it.
 * KEYS: events list, meta hash. ARGV: first sequence number, ttl seconds, department ('' = same), events...
 */
const APPEND_EVENTS = `
local written = tonumber(redis.call('HGET', KEYS[2], 'written') or '0')
local first = tonumber(ARGV[1])
local last = first + #ARGV - 3
local skip = math.max(0, written - first)
if 4 + skip <= #ARGV then redis.call('RPUSH', KEYS[1], unpack(ARGV, 4 + skip)) end
if last > written then redis.call('HSET', KEYS[2], 'written', last) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], 'department', ARGV[3]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return last
`;

/*
 * Stores how a call ended, once. KEYS: meta hash, events list. ARGV: ending JSON, call.ended
 * event JSON ('' when already in the list), ttl seconds. Returns 1 when stored, 0 when it was.
 */
const CLOSE_CALL = `
if redis.call('HEXISTS', KEYS[1], 'ending') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'ending', ARGV[1])
if ARGV[2] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

interface JournalCommands {
  appendCallEvents(eventsKey: string, metaKey: string, firstSeq: number, ttlSeconds: number, department: string, ...events: string[]): Promise<number>;
  closeCall(metaKey: string, eventsKey: string, ending: string, endedEvent: string, ttlSeconds: number): Promise<number>;
}
type JournalPipeline = ChainableCommander & { appendCallEvents(...args: (string | number)[]): JournalPipeline };

export interface EventBatch {
  callSid: string;
  firstSeq: number;
  events: string[];
  department?: string;
}

export interface JournalRecord {
  metadata: CallMetadata | null;
  ending: CallEnding | null;
  department: string | null;
  events: CallEvent[];
  /** List entries that were not valid JSON (never expected; counted, not fatal). */
  unreadable: number;
}

export interface LiveRegistryEntry {
  callSid: string;
  lastHeartbeatAt: number;
  metadata: CallMetadata | null;
  department: string | null;
}

/** Every Redis command of the call journal: metadata, event lists, the live-call registry, the sweep lock. */
@Injectable()
export class CallJournalStore {
  private readonly redis: Redis & JournalCommands;

  constructor(
    @Inject(CALL_JOURNAL_REDIS) redis: Redis,
    private readonly config: AppConfig,
    @Inject(CALL_JOURNAL_OPTIONS) private readonly options: CallJournalOptions,
  ) {
    redis.defineCommand('appendCallEvents', { numberOfKeys: 2, lua: APPEND_EVENTS });
    redis.defineCommand('closeCall', { numberOfKeys: 2, lua: CLOSE_CALL });
    this.redis = redis as Redis & JournalCommands;
  }

  metaKey(callSid: string): string {
    return this.config.redisKey('call', callSid, 'meta');
  }

  eventsKey(callSid: string): string {
    return this.config.redisKey('call', callSid, 'events');
  }

  private get registryKey(): string {
    return this.config.redisKey('live-calls');
  }

  /**
   * One round trip for a flush: registrations not yet confirmed and every call's next batch.
   * Returns, per registration and per batch in order, the error or null.
   */
  async writeRound(registrations: CallMetadata[], batches: EventBatch[], now: number): Promise<{ registrations: (Error | null)[]; batches: (Error | null)[] }> {
    const pipeline = this.redis.pipeline() as JournalPipeline;
    const ttl = this.options.retentionSeconds;
    for (const metadata of registrations) {
      pipeline.hset(this.metaKey(metadata.callSid), 'metadata', JSON.stringify(metadata), 'instanceId', metadata.instanceId);
      pipeline.expire(this.metaKey(metadata.callSid), ttl);
      pipeline.zadd(this.registryKey, now, metadata.callSid);
    }
    for (const batch of batches) {
      pipeline.appendCallEvents(this.eventsKey(batch.callSid), this.metaKey(batch.callSid), batch.firstSeq, ttl, batch.department ?? '', ...batch.events);
    }
    const results = (await pipeline.exec()) ?? [];
    const errorAt = (index: number) => results[index]?.[0] ?? null;
    return {
      registrations: registrations.map((_, index) => errorAt(index * 3) ?? errorAt(index * 3 + 1) ?? errorAt(index * 3 + 2)),
      batches: batches.map((_, index) => errorAt(registrations.length * 3 + index)),
    };
  }

  /** Refreshes the heartbeat of calls still registered (XX: a call another instance closed stays closed). */
  async heartbeat(callSids: string[], now: number): Promise<void> {
    if (callSids.length === 0) return;
    await this.redis.zadd(this.registryKey, 'XX', ...callSids.flatMap((callSid) => [now, callSid]));
  }

  async close(callSid: string, ending: CallEnding, endedEvent: CallEvent | null): Promise<boolean> {
    const stored = await this.redis.closeCall(this.metaKey(callSid), this.eventsKey(callSid), JSON.stringify(ending), endedEvent ? JSON.stringify(endedEvent) : '', this.options.retentionSeconds);
    return stored === 1;
  }

  async unregister(callSid: string): Promise<void> {
    await this.redis.zrem(this.registryKey, callSid);
  }

  async isRegistered(callSid: string): Promise<boolean> {
    return (await this.redis.zscore(this.registryKey, callSid)) !== null;
  }

  /** For a writer other than the call's own instance (status callbacks): a plain append. */
  async appendForeign(callSid: string, event: CallEvent): Promise<void> {
    await this.redis.multi().rpush(this.eventsKey(callSid), JSON.stringify(event)).expire(this.eventsKey(callSid), this.options.retentionSeconds).exec();
  }

  async staleCalls(heartbeatBefore: number): Promise<{ callSid: string; lastHeartbeatAt: number }[]> {
    const flat = await this.redis.zrangebyscore(this.registryKey, '-inf', `(${heartbeatBefore}`, 'WITHSCORES');
    return pairs(flat).map(([callSid, score]) => ({ callSid, lastHeartbeatAt: Number(score) }));
  }

  async liveEntries(): Promise<LiveRegistryEntry[]> {
    const flat = await this.redis.zrange(this.registryKey, 0, -1, 'WITHSCORES');
    const entries = pairs(flat);
    if (entries.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const [callSid] of entries) pipeline.hmget(this.metaKey(callSid), 'metadata', 'department');
    const metas = (await pipeline.exec()) ?? [];
    return entries.map(([callSid, score], index) => {
      const [metadata, department] = (metas[index]?.[1] as (string | null)[] | undefined) ?? [null, null];
      return { callSid, lastHeartbeatAt: Number(score), metadata: parseJson<CallMetadata>(metadata), department: department ?? null };
    });
  }

  async read(callSid: string): Promise<JournalRecord | null> {
    const [meta, list] = await Promise.all([this.redis.hgetall(this.metaKey(callSid)), this.redis.lrange(this.eventsKey(callSid), 0, -1)]);
    if (Object.keys(meta).length === 0 && list.length === 0) return null;
    const events: CallEvent[] = [];
    let unreadable = 0;
    for (const item of list) {
      const event = parseJson<CallEvent>(item);
      if (event && typeof event.type === 'string' && typeof event.at === 'string') events.push(event);
      else unreadable++;
    }
    return { metadata: parseJson<CallMetadata>(meta.metadata), ending: parseJson<CallEnding>(meta.ending), department: meta.department ?? null, events, unreadable };
  }

  /** A short lock so one instance at a time sweeps for orphaned calls. */
  async acquireSweepLock(owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.config.redisKey('live-calls', 'sweep-lock'), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }
}

function pairs(flat: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) result.push([flat[index], flat[index + 1]]);
  return result;
}

function parseJson<T>(raw: string | null | undefined): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
