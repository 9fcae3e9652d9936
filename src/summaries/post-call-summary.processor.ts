import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, MinimalJob, UnrecoverableError } from 'bullmq';
import {
  InvalidJobPayloadError,
  parsePostCallSummaryJobData,
  POST_CALL_SUMMARY_QUEUE,
  SUMMARY_BACKOFF_TYPE,
  summaryRetryDelay,
} from './post-call-summary.job';
import { PostCallSummaryService, SummariseResult } from './post-call-summary.service';
import { SummaryException } from './summaries.exception';
import { GracefulWorkerHost } from '../redis/graceful-worker.host';

function backoffStrategy(attemptsMade: number, type?: string, _error?: Error, job?: MinimalJob): number {
  const base = job?.opts.backoff && typeof job.opts.backoff === 'object' ? (job.opts.backoff.delay ?? 1000) : 1000;
  return type === SUMMARY_BACKOFF_TYPE ? summaryRetryDelay(attemptsMade, base) : base;
}

/** The post-call-summary worker: validates the job, then hands the call to PostCallSummaryService. */
@Processor(POST_CALL_SUMMARY_QUEUE, { concurrency: 4, settings: { backoffStrategy } })
export class PostCallSummaryProcessor extends GracefulWorkerHost {
  protected readonly logger = new Logger(PostCallSummaryProcessor.name);

  constructor(private readonly summaries: PostCallSummaryService) {
    super();
  }

  protected async handle(job: Job): Promise<{ result: SummariseResult }> {
    try {
      const { callSid } = parsePostCallSummaryJobData(job.data);
      return { result: await this.summaries.summarise(callSid) };
    } catch (error) {
      if (error instanceof InvalidJobPayloadError) throw new UnrecoverableError(error.message);
      if (error instanceof SummaryException && !error.retryable) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw error;
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    const attempts = job?.opts.attempts ?? 1;
    const final = !job || error instanceof UnrecoverableError || job.attemptsMade >= attempts;
    const message = `Post-call summary of ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}/${attempts}): ${error.message}`;
    if (final) this.logger.error(`${message}; kept in the failed set for inspection`);
    else this.logger.warn(`${message}; retrying`);
  }
}
