import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CallEnding, CallEvent, CallMetadata } from './call-event.types';
import { CALL_JOURNAL_OPTIONS, CallJournalOptions } from './call-journal.options';
import { CallJournalStore } from './call-journal.store';
import { ClosedCallQueue } from './closed-call.queue';
import { describeError, fieldLogger } from '../common/field-logger';
import { waitAtMost } from '../common/wait-at-most';
import { storableEvent } from './journaled-event';

const BEGIN_WAIT_MS = 1000;

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

/** A call this instance is journaling, until its ending is stored and its summary enqueued. */
interface JournaledCall {
  metadata: CallMetadata;
  registered: boolean;
  /** Serialised events not yet confirmed in Redis, oldest first. */
  pending: string[];
  /** Sequence number of pending[0] among this instance's appends for the call. */
  nextSeq: number;
  department?: string;
  departmentDirty: boolean;
  dropped: number;
  endedRecorded: boolean;
  ending?: CallEnding;
  done: Deferred;
}

/**
 * The durable record of live calls. record() never blocks or throws: events are batched and
 * appended to Redis in order within ~50 ms; while Redis is down they wait in a bounded buffer
 * and are retried. finish() stores the ending and enqueues the post-call summary.
 */
@Injectable()
export class CallJournalService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = fieldLogger(new Logger(CallJournalService.name));
  private readonly calls = new Map<string, JournaledCall>();
  private flushTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private flushAgain = false;
  private retryDelayMs: number;
  private redisDown = false;
  private readonly heartbeatTimer: NodeJS.Timeout;
  private readonly unknownCallsWarned = new Set<string>();

  constructor(
    private readonly store: CallJournalStore,
    private readonly queue: ClosedCallQueue,
    @Inject(CALL_JOURNAL_OPTIONS) private readonly options: CallJournalOptions,
  ) {
    this.retryDelayMs = options.retryMinDelayMs;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), options.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  async begin(metadata: CallMetadata): Promise<void> {
    if (this.calls.has(metadata.callSid)) return;
    let resolve!: () => void;
    const promise = new Promise<void>((done) => (resolve = done));
    this.calls.set(metadata.callSid, {
      metadata,
      registered: false,
      pending: [],
      nextSeq: 0,
      departmentDirty: false,
      dropped: 0,
      endedRecorded: false,
      done: { promise, resolve },
    });
    // The call goes on even if Redis is slow or down: registration is retried with the events.
    await waitAtMost(this.flushNow(), BEGIN_WAIT_MS);
  }

  record(callSid: string, event: CallEvent): void {
    try {
      const call = this.calls.get(callSid);
      if (!call || call.ending) {
        this.warnUnknownCall(callSid, call ? 'after finish()' : 'before begin()', event.type);
        return;
      }
      if (call.pending.length >= this.options.maxBufferedEvents) {
        if (call.dropped === 0)
          this.logger.error('Journal buffer full; dropping new events until Redis is back', {
            callSid,
            unsaved: this.options.maxBufferedEvents,
          });
        call.dropped++;
        return;
      }
      call.pending.push(JSON.stringify(storableEvent(event)));
      if (event.type === 'call.ended') call.endedRecorded = true;
      const entered =
        event.type === 'call.started' ? event.department : event.type === 'handoff' && event.status === 'applied' ? event.to : undefined;
      if (entered) {
        call.department = entered;
        call.departmentDirty = true;
      }
      this.scheduleFlush(this.options.flushDelayMs);
    } catch (error) {
      this.logger.error('Event not journaled', { callSid, event: event?.type, error: describeError(error) });
    }
  }

  /**
   * Flushes the call's events, stores the ending, enqueues the summary and leaves the live
   * registry. Waits at most finishWaitMs for Redis; past that the work goes on in the background.
   */
  async finish(callSid: string, ending: CallEnding): Promise<void> {
    const call = this.calls.get(callSid);
    if (!call) {
      this.logger.warn('finish() for a call this instance is not journaling', { callSid });
      return;
    }
    if (!call.ending) {
      if (!call.endedRecorded)
        this.record(callSid, { type: 'call.ended', at: ending.endedAt, reason: ending.reason, outcome: ending.outcome });
      call.ending = ending;
    }
    this.scheduleFlush(0);
    const finished = await waitAtMost(call.done.promise, this.options.finishWaitMs);
    if (!finished)
      this.logger.warn('Redis did not confirm the end in time; retrying in the background', {
        callSid,
        waitedMs: this.options.finishWaitMs,
      });
  }

  /** Calls journaled by this instance (their heartbeat is ours to keep). */
  isLocal(callSid: string): boolean {
    return this.calls.has(callSid);
  }

  /**
   * An event learned outside the call's own session (a Twilio status callback), which may reach
   * any instance: recorded in order when the call is ours, appended directly when another live
   * instance owns it, dropped when the call is not live or already closing. Throws when Redis cannot be reached.
   */
  async recordFromOutside(callSid: string, event: CallEvent): Promise<void> {
    const local = this.calls.get(callSid);
    if (local) {
      // Twilio's final status often lands while the call is being closed: it is in Postgres, not the journal.
      if (!local.ending) this.record(callSid, event);
    } else if (await this.store.isRegistered(callSid)) await this.store.appendForeign(callSid, event);
  }

  /** Runs a write round now (after any in flight); resolves when it is done. */
  async flushNow(): Promise<void> {
    this.clearFlushTimer();
    while (this.flushing) await this.flushing;
    this.clearFlushTimer();
    await this.startRound();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Live calls are being drained by their sessions, which call finish(); flush what is left.
    await waitAtMost(this.flushNow(), this.options.finishWaitMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeatTimer);
    this.clearFlushTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const unfinished = [...this.calls.values()].filter((call) => call.pending.length > 0 || call.ending);
    if (unfinished.length > 0)
      this.logger.warn("Shutting down with calls not fully journaled; another instance's orphan sweep will close them", {
        calls: unfinished.length,
      });
  }

  private scheduleFlush(delayMs: number): void {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    // While Redis is down the pending retry round picks everything up.
    if (this.retryTimer) return;
    if (this.flushTimer) {
      if (delayMs > 0) return;
      this.clearFlushTimer();
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      if (this.flushing) this.flushAgain = true;
      else void this.startRound();
    }, delayMs);
  }

  private startRound(): Promise<void> {
    const round = this.flushRound()
      .catch((error: unknown) => this.logger.error('Call journal flush failed', { error: describeError(error) }))
      .finally(() => {
        this.flushing = undefined;
        if (this.flushAgain) {
          this.flushAgain = false;
          this.scheduleFlush(0);
        }
      });
    this.flushing = round;
    return round;
  }

  private clearFlushTimer(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private async flushRound(): Promise<void> {
    const registrations = [...this.calls.values()].filter((call) => !call.registered);
    const batches = [...this.calls.values()]
      .filter((call) => call.pending.length > 0 || call.departmentDirty)
      .map((call) => ({
        call,
        events: call.pending.slice(0, this.options.flushBatchSize),
        department: call.departmentDirty ? call.department : undefined,
      }));
    let failed = false;
    if (registrations.length > 0 || batches.length > 0) {
      try {
        const outcome = await this.store.writeRound(
          registrations.map((call) => call.metadata),
          batches.map(({ call, events, department }) => ({
            callSid: call.metadata.callSid,
            instanceId: call.metadata.instanceId,
            firstSeq: call.nextSeq,
            events,
            department,
          })),
          Date.now(),
        );
        this.noteReclaimed(outcome.reclaimed);
        registrations.forEach((call, index) => {
          if (outcome.registrations[index]) failed = true;
          else call.registered = true;
        });
        batches.forEach(({ call, events, department }, index) => {
          if (outcome.batches[index]) {
            failed = true;
            return;
          }
          call.pending.splice(0, events.length);
          call.nextSeq += events.length;
          if (department === call.department) call.departmentDirty = false;
        });
      } catch (error) {
        failed = true;
        this.noteRedisDown(error);
      }
    }
    if (!failed) {
      const closing = [...this.calls.values()].filter((call) => call.ending && call.registered && call.pending.length === 0);
      const closed = await Promise.all(closing.map((call) => this.close(call)));
      if (closed.includes(false)) failed = true;
    }
    if (failed) {
      this.noteRedisDown();
      this.retryLater();
    } else {
      this.noteRedisUp();
      if ([...this.calls.values()].some((call) => call.pending.length > 0 || !call.registered)) this.flushAgain = true;
    }
  }

  private async close(call: JournaledCall): Promise<boolean> {
    const callSid = call.metadata.callSid;
    try {
      const { revision } = await this.store.closeAsOwner(callSid, call.metadata.instanceId, call.ending!);
      const enqueued = await waitAtMost(this.queue.enqueue(callSid, revision), this.options.finishWaitMs);
      if (!enqueued) throw new Error('the summary queue did not answer');
      await this.store.unregister(callSid);
      if (call.dropped > 0) this.logger.error('Events were dropped while Redis was down', { callSid, dropped: call.dropped });
      this.calls.delete(callSid);
      call.done.resolve();
      return true;
    } catch (error) {
      this.noteRedisDown(error);
      return false;
    }
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.options.retryMaxDelayMs, this.retryDelayMs * 2);
    this.clearFlushTimer();
    this.flushAgain = false;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.scheduleFlush(0);
    }, delay);
  }

  private async heartbeat(): Promise<void> {
    // Ending calls too: until their ending is stored, a stale heartbeat would let a sweeper close them.
    const registered = [...this.calls.values()]
      .filter((call) => call.registered)
      .map((call) => ({ callSid: call.metadata.callSid, instanceId: call.metadata.instanceId }));
    // A process with no live calls (the worker, an idle instance) has nothing to keep alive.
    if (registered.length === 0) return;
    try {
      this.noteReclaimed((await this.store.heartbeat(registered, Date.now())).reclaimed);
    } catch (error) {
      this.noteRedisDown(error);
    }
  }

  private noteReclaimed(callSids: string[]): void {
    for (const callSid of callSids) {
      this.logger.warn(
        'Another instance had closed this call as orphaned while this one could not reach Redis; taken back (its summary is rewritten when it ends)',
        { callSid },
      );
    }
  }

  private noteRedisDown(error?: unknown): void {
    if (this.redisDown) return;
    this.redisDown = true;
    this.logger.warn(
      'Redis unavailable for the call journal: buffering call events in memory and retrying',
      error ? { error: describeError(error) } : undefined,
    );
  }

  private noteRedisUp(): void {
    this.retryDelayMs = this.options.retryMinDelayMs;
    if (!this.redisDown) return;
    this.redisDown = false;
    this.logger.log('Redis is back for the call journal: buffered call events written');
  }

  private warnUnknownCall(callSid: string, when: string, type: string): void {
    if (this.unknownCallsWarned.has(callSid)) return;
    if (this.unknownCallsWarned.size > 1000) this.unknownCallsWarned.clear();
    this.unknownCallsWarned.add(callSid);
    this.logger.warn('Event not journaled: the call is not being journaled here', { callSid, event: type, recorded: when });
  }
}
