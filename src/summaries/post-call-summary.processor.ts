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
import { describeError, fieldLogger } from '../common/field-logger';

function backoffStrategy(attemptsMade: number, type?: string, _error?: Error, job?: MinimalJob): number {
  const base = job?.opts.backoff && typeof job.opts.backoff === 'object' ? (job.opts.backoff.delay ?? 1000) : 1000;
  return type === SUMMARY_BACKOFF_TYPE ? summaryRetryDelay(attemptsMade, base) : base;
}

/** The post-call-summary worker: validates the job, then hands the call to PostCallSummaryService. */
@Processor(POST_CALL_SUMMARY_QUEUE, { concurrency: 4, settings: { backoffStrategy } })
export class PostCallSummaryProcessor extends GracefulWorkerHost {
  protected readonly logger = fieldLogger(new Logger(PostCallSummaryProcessor.name));

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
    const fields = { callSid: callSidOf(job), jobId: job?.id, attempt: job?.attemptsMade, attempts, error: describeError(error) };
    if (final) this.logger.error('Post-call summary failed; kept in the failed set for inspection', fields);
    else this.logger.warn('Post-call summary failed; retrying', fields);
  }
}

function callSidOf(job: Job | undefined): unknown {
  const data: unknown = job?.data;
  return data !== null && typeof data === 'object' && 'callSid' in data ? data.callSid : undefined;
}
