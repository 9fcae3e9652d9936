import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { ClosedCallQueue } from '../call-journal/closed-call.queue';
import { AppConfig } from '../config/app-config';
import {
  POST_CALL_SUMMARY_JOB,
  POST_CALL_SUMMARY_QUEUE,
  PostCallSummaryJobData,
  SUMMARY_BACKOFF_TYPE,
  SUMMARY_JOB_ATTEMPTS,
  summaryJobId,
} from './post-call-summary.job';
import { fieldLogger } from '../common/field-logger';

const KEEP_COMPLETED = { age: 7 * 24 * 3600, count: 10_000 };

/** The post-call queue as the call journal uses it. */
@Injectable()
export class PostCallSummaryQueue implements ClosedCallQueue {
  private readonly logger = fieldLogger(new Logger(PostCallSummaryQueue.name));
  private reportedDown = false;

  constructor(
    @InjectQueue(POST_CALL_SUMMARY_QUEUE) private readonly queue: Queue<PostCallSummaryJobData>,
    private readonly config: AppConfig,
  ) {
    // Without a listener BullMQ prints every reconnection error; report an outage once.
    queue.on('error', (error: Error) => {
      if (!this.reportedDown) this.logger.warn('Post-call queue connection error', { error: error.message });
      this.reportedDown = true;
    });
  }

  /**
   * The call id is the job id, so a second enqueue of the same call is a no-op. A call taken
   * back after an orphan close is summarised again under a new revision (a job id of its own).
   */
  async enqueue(callSid: string, revision: number): Promise<void> {
    await this.queue.add(
      POST_CALL_SUMMARY_JOB,
      { callSid },
      {
        jobId: summaryJobId(callSid, revision),
        attempts: SUMMARY_JOB_ATTEMPTS,
        backoff: { type: SUMMARY_BACKOFF_TYPE, delay: this.config.env.SUMMARY_JOB_BACKOFF_MS },
        removeOnComplete: KEEP_COMPLETED,
        // Failed jobs stay for inspection and a manual retry.
        removeOnFail: false,
      },
    );
    this.reportedDown = false;
  }
}
