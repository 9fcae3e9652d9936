import { Inject, Injectable } from '@nestjs/common';
import Redis, { ChainableCommander } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { CallEnding, CallEvent, CallMetadata } from './call-event.types';
import { CALL_JOURNAL_OPTIONS, CallJournalOptions } from './call-journal.options';
import { CALL_JOURNAL_REDIS } from './call-journal.redis';

/*
 * A call another instance closed as orphaned (its owner stopped heartbeating: crashed, or only
 * cut off from Redis) comes back to its owner the moment the owner reaches Redis again: the
 * orphan ending and its call.ended are withdrawn, a call.reclaimed event records what happened,
 * the revision goes up (the summary written from the cut-short journal is replaced when the call
 * really ends) and the call is live in the registry again. Shared by the scripts below.
 * Arguments: meta, events, registry keys; call SID, claiming instance, now (ms), now (ISO).
 */
const RECLAIM = `
local function reclaim(meta, events, registry, callSid, instanceId, nowMs, nowIso)
  if redis.call('HGET', meta, 'closedBy') ~= 'sweeper' or redis.call('HGET', meta, 'instanceId') ~= instanceId then return 0 end
  local ended = redis.call('HGET', meta, 'orphanEnded')
  if ended then redis.call('LREM', events, -1, ended) end
  local ending = cjson.decode(redis.call('HGET', meta, 'ending'))
  redis.call('HDEL', meta, 'ending', 'closedBy', 'orphanEnded')
  redis.call('HINCRBY', meta, 'revision', 1)
  redis.call('RPUSH', events, cjson.encode({ type = 'call.reclaimed', at = nowIso, closedAsOrphanAt = ending.endedAt, instanceId = instanceId }))
  redis.call('ZADD', registry, nowMs, callSid)
  return 1
end
`;

/*
 * Appends one instance's batch exactly once. The meta hash counts how many of the owning
 * instance's events are in the list, so a batch retried after an unknown outcome (the
 * connection dropped before the reply) skips what already landed instead of duplicating it.
 * KEYS: events list, meta hash, registry. ARGV: first sequence number, ttl seconds, department
 * ('' = same), call SID, instance id, now ms, now ISO, events... Returns { last, reclaimed }.
 */
const APPEND_EVENTS = `${RECLAIM}
local reclaimed = reclaim(KEYS[2], KEYS[1], KEYS[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
local written = tonumber(redis.call('HGET', KEYS[2], 'written') or '0')
local first = tonumber(ARGV[1])
local last = first + #ARGV - 7
local skip = math.max(0, written - first)
if 8 + skip <= #ARGV then redis.call('RPUSH', KEYS[1], unpack(ARGV, 8 + skip)) end
if last > written then redis.call('HSET', KEYS[2], 'written', last) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], 'department', ARGV[3]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return { last, reclaimed }
`;

/*
 * Stores how a call ended, once. The owner's ending first takes back a call a sweeper closed;
 * a sweeper's ending is refused for a call whose heartbeat turned fresh meanwhile.
 * KEYS: meta hash, events list, registry. ARGV: ending JSON, call.ended event JSON, ttl seconds,
 * closed by ('owner' | 'sweeper'), call SID, instance id, now ms, now ISO, stale-before ms ('' for the owner).
 * Returns { stored (1) or not (0), revision }.
 */
const CLOSE_CALL = `${RECLAIM}
if ARGV[4] == 'owner' then reclaim(KEYS[1], KEYS[2], KEYS[3], ARGV[5], ARGV[6], ARGV[7], ARGV[8]) end
local revision = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if redis.call('HEXISTS', KEYS[1], 'ending') == 1 then return { 0, revision } end
if ARGV[4] == 'sweeper' then
  local score = redis.call('ZSCORE', KEYS[3], ARGV[5])
  if score and tonumber(score) >= tonumber(ARGV[9]) then return { 0, revision } end
  redis.call('HSET', KEYS[1], 'orphanEnded', ARGV[2])
end
redis.call('HSET', KEYS[1], 'ending', ARGV[1], 'closedBy', ARGV[4])
if ARGV[2] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return { 1, revision }
`;

/*
 * Refreshes an owner's heartbeat, taking back its call if a sweeper closed it meanwhile.
 * KEYS: registry, meta hash, events list. ARGV: now ms, call SID, instance id, now ISO.
 * Returns 1 (live), 2 (taken back) or 0 (not live, and not ours to take back).
 */
const HEARTBEAT = `${RECLAIM}
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[2])
  return 1
end
if reclaim(KEYS[2], KEYS[3], KEYS[1], ARGV[2], ARGV[3], ARGV[1], ARGV[4]) == 1 then return 2 end
return 0
`;

interface JournalCommands {
  closeCall(metaKey: string, eventsKey: string, registryKey: string, ...args: (string | number)[]): Promise<[number, number]>;
}
type JournalPipeline = ChainableCommander & {
  appendCallEvents(...args: (string | number)[]): JournalPipeline;
  callHeartbeat(...args: (string | number)[]): JournalPipeline;
};

export interface EventBatch {
  callSid: string;
  /** The owning instance: it may take back its call if another closed it as orphaned. */
  instanceId: string;
  firstSeq: number;
  events: string[];
  department?: string;
}

export interface WriteRoundOutcome {
  /** Per registration and per batch, in order: the error or null. */
  registrations: (Error | null)[];
  batches: (Error | null)[];
  /** Calls this round took back from an orphan close. */
  reclaimed: string[];
}

export interface CloseOutcome {
  /** false: an ending was already stored (or, for a sweeper, the owner heartbeated meanwhile). */
  stored: boolean;
  /** How often the call was taken back after an orphan close: its summary's version. */
  revision: number;
}

export type JournalCallState = 'live' | 'ended' | 'unknown';

export interface JournalRecord {
  metadata: CallMetadata | null;
  ending: CallEnding | null;
  department: string | null;
  /** 0, plus one each time the owner took the call back after an orphan close. */
  revision: number;
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

export interface LiveRegistryEntryWithEvents extends LiveRegistryEntry {
  /** The call's latest events, oldest first; unreadable list entries left out. */
  recentEvents: CallEvent[];
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
    redis.defineCommand('appendCallEvents', { numberOfKeys: 3, lua: APPEND_EVENTS });
    redis.defineCommand('closeCall', { numberOfKeys: 3, lua: CLOSE_CALL });
    redis.defineCommand('callHeartbeat', { numberOfKeys: 3, lua: HEARTBEAT });
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

  /** One round trip for a flush: registrations not yet confirmed and every call's next batch. */
  async writeRound(registrations: CallMetadata[], batches: EventBatch[], now: number): Promise<WriteRoundOutcome> {
    const pipeline = this.redis.pipeline() as JournalPipeline;
    const ttl = this.options.retentionSeconds;
    const nowIso = new Date(now).toISOString();
    for (const metadata of registrations) {
      pipeline.hset(this.metaKey(metadata.callSid), 'metadata', JSON.stringify(metadata), 'instanceId', metadata.instanceId);
      pipeline.expire(this.metaKey(metadata.callSid), ttl);
      pipeline.zadd(this.registryKey, now, metadata.callSid);
    }
    for (const batch of batches) {
      pipeline.appendCallEvents(
        this.eventsKey(batch.callSid),
        this.metaKey(batch.callSid),
        this.registryKey,
        batch.firstSeq,
        ttl,
        batch.department ?? '',
        batch.callSid,
        batch.instanceId,
        now,
        nowIso,
        ...batch.events,
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const errorAt = (index: number) => results[index]?.[0] ?? null;
    const batchAt = (index: number) => results[registrations.length * 3 + index];
    return {
      registrations: registrations.map((_, index) => errorAt(index * 3) ?? errorAt(index * 3 + 1) ?? errorAt(index * 3 + 2)),
      batches: batches.map((_, index) => batchAt(index)?.[0] ?? null),
      reclaimed: batches
        .filter((_, index) => (batchAt(index)?.[1] as [number, number] | undefined)?.[1] === 1)
        .map((batch) => batch.callSid),
    };
  }

  /**
   * Refreshes the heartbeat of an instance's calls; returns those it took back from an orphan
   * close. A call that ended (or expired) stays gone: the heartbeat never re-adds it.
   */
  async heartbeat(calls: { callSid: string; instanceId: string }[], now: number): Promise<{ reclaimed: string[] }> {
    if (calls.length === 0) return { reclaimed: [] };
    const pipeline = this.redis.pipeline() as JournalPipeline;
    const nowIso = new Date(now).toISOString();
    for (const { callSid, instanceId } of calls)
      pipeline.callHeartbeat(this.registryKey, this.metaKey(callSid), this.eventsKey(callSid), now, callSid, instanceId, nowIso);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return { reclaimed: calls.filter((_, index) => results[index]?.[1] === 2).map((call) => call.callSid) };
  }

  /** The owner's ending: takes back an orphan close first, so the owner's word is the last. */
  async closeAsOwner(callSid: string, instanceId: string, ending: CallEnding, now = Date.now()): Promise<CloseOutcome> {
    return this.closeCall(callSid, ending, null, 'owner', instanceId, now, '');
  }

  /** Another instance's ending for a call whose owner stopped heartbeating before `staleBefore`. */
  async closeAsOrphan(
    callSid: string,
    ending: CallEnding,
    endedEvent: CallEvent,
    staleBefore: number,
    now = Date.now(),
  ): Promise<CloseOutcome> {
    return this.closeCall(callSid, ending, endedEvent, 'sweeper', '', now, String(staleBefore));
  }

  private async closeCall(
    callSid: string,
    ending: CallEnding,
    endedEvent: CallEvent | null,
    closedBy: 'owner' | 'sweeper',
    instanceId: string,
    now: number,
    staleBefore: string,
  ): Promise<CloseOutcome> {
    const [stored, revision] = await this.redis.closeCall(
      this.metaKey(callSid),
      this.eventsKey(callSid),
      this.registryKey,
      JSON.stringify(ending),
      endedEvent ? JSON.stringify(endedEvent) : '',
      this.options.retentionSeconds,
      closedBy,
      callSid,
      instanceId,
      now,
      new Date(now).toISOString(),
      staleBefore,
    );
    return { stored: stored === 1, revision };
  }

  /** The call's record is in Postgres: its journal (transcripts, tool calls) leaves Redis soon. */
  async expireAfterStored(callSid: string): Promise<void> {
    const ttl = this.options.storedRetentionSeconds;
    await this.redis.multi().expire(this.metaKey(callSid), ttl).expire(this.eventsKey(callSid), ttl).exec();
  }

  async unregister(callSid: string): Promise<void> {
    await this.redis.zrem(this.registryKey, callSid);
  }

  async isRegistered(callSid: string): Promise<boolean> {
    return (await this.redis.zscore(this.registryKey, callSid)) !== null;
  }

  /** For a writer other than the call's own instance (status callbacks): a plain append. */
  async appendForeign(callSid: string, event: CallEvent): Promise<void> {
    await this.redis
      .multi()
      .rpush(this.eventsKey(callSid), JSON.stringify(event))
      .expire(this.eventsKey(callSid), this.options.retentionSeconds)
      .exec();
  }

  async staleCalls(heartbeatBefore: number): Promise<{ callSid: string; lastHeartbeatAt: number }[]> {
    const flat = await this.redis.zrangebyscore(this.registryKey, '-inf', `(${heartbeatBefore}`, 'WITHSCORES');
    return pairs(flat).map(([callSid, score]) => ({ callSid, lastHeartbeatAt: Number(score) }));
  }

  /** Every live call with its metadata and its last `recentEvents` events (oldest first): the registry, then one pipelined round trip. */
  async liveEntriesWithRecentEvents(recentEvents: number): Promise<LiveRegistryEntryWithEvents[]> {
    const flat = await this.redis.zrange(this.registryKey, 0, -1, 'WITHSCORES');
    const entries = pairs(flat);
    if (entries.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const [callSid] of entries) {
      pipeline.hmget(this.metaKey(callSid), 'metadata', 'department');
      pipeline.lrange(this.eventsKey(callSid), -Math.max(1, recentEvents), -1);
    }
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0];
    return entries.map(([callSid, score], index) => {
      const [metadata, department] = (replies[index * 2]?.[1] as (string | null)[] | undefined) ?? [null, null];
      const list = (replies[index * 2 + 1]?.[1] as string[] | undefined) ?? [];
      return {
        callSid,
        lastHeartbeatAt: Number(score),
        metadata: parseJson<CallMetadata>(metadata),
        department: department ?? null,
        recentEvents: readableEvents(list).events,
      };
    });
  }

  async read(callSid: string): Promise<JournalRecord | null> {
    const [meta, list] = await Promise.all([this.redis.hgetall(this.metaKey(callSid)), this.redis.lrange(this.eventsKey(callSid), 0, -1)]);
    if (Object.keys(meta).length === 0 && list.length === 0) return null;
    const { events, unreadable } = readableEvents(list);
    return {
      metadata: parseJson<CallMetadata>(meta.metadata),
      ending: parseJson<CallEnding>(meta.ending),
      department: meta.department ?? null,
      revision: Number(meta.revision ?? 0),
      events,
      unreadable,
    };
  }

  /** live: begun and not closed; ended: closed (it may still be in Redis for a while); unknown: Redis holds nothing of it. */
  async stateOf(callSid: string): Promise<JournalCallState> {
    const [metadata, ending] = await this.redis.hmget(this.metaKey(callSid), 'metadata', 'ending');
    if (ending) return 'ended';
    return metadata ? 'live' : 'unknown';
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

function readableEvents(list: string[]): { events: CallEvent[]; unreadable: number } {
  const events: CallEvent[] = [];
  let unreadable = 0;
  for (const item of list) {
    const event = parseJson<CallEvent>(item);
    if (event && typeof event.type === 'string' && typeof event.at === 'string') events.push(event);
    else unreadable++;
  }
  return { events, unreadable };
}

function parseJson<T>(raw: string | null | undefined): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
