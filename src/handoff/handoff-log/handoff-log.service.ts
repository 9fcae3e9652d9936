import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { HandoffLogEntry } from '../handoff.types';
import {
  HANDOFF_LOG_INSERT_JOB,
  HANDOFF_LOG_JOB_OPTIONS,
  HANDOFF_LOG_QUEUE,
  HandoffLogJobPayload,
  parseHandoffLogEntry,
} from './handoff-log.job';
import { HandoffLogFilter, HandoffLogRepository } from './handoff-log.repository';
import { waitAtMost } from '../../common/wait-at-most';
import { describeError, fieldLogger } from '../../common/field-logger';

const SHUTDOWN_FLUSH_MS = 5000;

/**
 * The handoff log. record() runs on the live audio path: it returns at once and never throws.
 * The entry goes straight to Postgres; if that fails it becomes a BullMQ job that retries the
 * insert, so a Postgres outage loses nothing.
 */
@Injectable()
export class HandoffLogService implements BeforeApplicationShutdown {
  private readonly logger = fieldLogger(new Logger(HandoffLogService.name));
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly repository: HandoffLogRepository,
    @InjectQueue(HANDOFF_LOG_QUEUE) private readonly queue: Queue<HandoffLogJobPayload>,
  ) {
    // Without a listener BullMQ prints every reconnection error while Redis is down.
    let reportedDown = false;
    queue.on('error', (error: Error) => {
      if (!reportedDown) this.logger.warn('Handoff log queue connection error', { error: error.message });
      reportedDown = true;
    });
  }

  record(entry: HandoffLogEntry): void {
    try {
      const parsed = parseHandoffLogEntry(entry);
      if (!parsed.ok) {
        this.logger.error('Handoff log entry refused', { callSid: entry?.callId, problems: parsed.problems, entry: safeJson(entry) });
        return;
      }
      const task = this.persist(parsed.entry);
      this.pending.add(task);
      void task.finally(() => this.pending.delete(task));
    } catch (error) {
      this.logger.error('Recording handoff failed', { callSid: entry?.callId, error: describeError(error) });
    }
  }

  ofCall(callId: string): Promise<HandoffLogEntry[]> {
    return this.repository.ofCall(callId);
  }

  find(filter: HandoffLogFilter, page: { offset: number; limit: number }): Promise<{ items: HandoffLogEntry[]; total: number }> {
    return this.repository.find(filter, page.offset, page.limit);
  }

  /** Lets entries being written finish (or reach the queue) before connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.pending.size === 0) return;
    await waitAtMost(Promise.allSettled([...this.pending]), SHUTDOWN_FLUSH_MS);
  }

  private async persist(entry: HandoffLogEntry): Promise<void> {
    try {
      await this.repository.insert(entry);
      return;
    } catch (error) {
      this.logger.warn('Storing handoff failed; queued for retry', {
        callSid: entry.callId,
        handoffId: entry.id,
        error: describeError(error),
      });
    }
    try {
      // jobId = handoff id: enqueuing the same handoff twice keeps one job.
      await this.queue.add(HANDOFF_LOG_INSERT_JOB, entry, { ...HANDOFF_LOG_JOB_OPTIONS, jobId: entry.id });
    } catch (error) {
      this.logger.error('Handoff could be neither stored nor queued', {
        callSid: entry.callId,
        handoffId: entry.id,
        error: describeError(error),
        entry: safeJson(entry),
      });
    }
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
