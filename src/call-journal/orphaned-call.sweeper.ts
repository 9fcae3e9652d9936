import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CallEvent } from './call-event.types';
import { CALL_JOURNAL_OPTIONS, CallJournalOptions } from './call-journal.options';
import { CallJournalService } from './call-journal.service';
import { CallJournalStore } from './call-journal.store';
import { ClosedCallQueue } from './closed-call.queue';
import { orphanedCallEnding } from './call-outcome.rules';
import { describeError, fieldLogger } from '../common/field-logger';

/**
 * Finds live calls whose instance stopped heartbeating (it crashed) and closes them from their
 * durable events, so they are summarised like any other call. One instance sweeps at a time.
 */
@Injectable()
export class OrphanedCallSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = fieldLogger(new Logger(OrphanedCallSweeper.name));
  private readonly owner = randomUUID();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<unknown>;

  constructor(
    private readonly store: CallJournalStore,
    private readonly journal: CallJournalService,
    private readonly queue: ClosedCallQueue,
    @Inject(CALL_JOURNAL_OPTIONS) private readonly options: CallJournalOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.sweep()
        .catch((error: unknown) => this.logger.warn('Orphaned-call sweep failed', { error: describeError(error) }))
        .finally(() => (this.sweeping = undefined));
    }, this.options.sweepIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** One sweep; returns the call ids it closed (none when another instance holds the lock). */
  async sweep(now = Date.now()): Promise<string[]> {
    if (!(await this.store.acquireSweepLock(this.owner, this.options.sweepIntervalMs))) return [];
    const staleBefore = now - this.options.orphanAfterMs;
    const stale = await this.store.staleCalls(staleBefore);
    const closed: string[] = [];
    for (const { callSid, lastHeartbeatAt } of stale) {
      if (this.journal.isLocal(callSid)) continue;
      if (await this.closeOrphan(callSid, lastHeartbeatAt, staleBefore)) closed.push(callSid);
    }
    return closed;
  }

  private async closeOrphan(callSid: string, lastHeartbeatAt: number, staleBefore: number): Promise<boolean> {
    const record = await this.store.read(callSid);
    if (!record?.metadata) {
      this.logger.warn('In the live registry without metadata (expired?); removed', { callSid });
      await this.store.unregister(callSid);
      return false;
    }
    let revision = record.revision;
    if (!record.ending) {
      const lastEventAt = Math.max(0, ...record.events.map((event) => Date.parse(event.at)).filter(Number.isFinite));
      const ending = orphanedCallEnding(record.events, new Date(Math.max(lastHeartbeatAt, lastEventAt)).toISOString(), record.department);
      const ended: CallEvent = { type: 'call.ended', at: ending.endedAt, reason: ending.reason, outcome: ending.outcome };
      const closed = await this.store.closeAsOrphan(callSid, ending, ended, staleBefore);
      // Its owner heartbeated after all: the call is live and stays so.
      if (!closed.stored && !(await this.store.read(callSid))?.ending) return false;
      revision = closed.revision;
      this.logger.warn(
        'Its instance stopped heartbeating; closed as orphaned. If that instance is alive and only lost Redis, it takes the call back.',
        {
          callSid,
          instanceId: record.metadata.instanceId,
          silentSeconds: Math.round((Date.now() - lastHeartbeatAt) / 1000),
          outcome: ending.outcome,
        },
      );
    }
    // Enqueue before leaving the registry: if enqueueing fails, the next sweep tries again.
    await this.queue.enqueue(callSid, revision);
    await this.store.unregister(callSid);
    return true;
  }
}
