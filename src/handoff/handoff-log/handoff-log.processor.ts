import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { HANDOFF_LOG_QUEUE, parseHandoffLogEntry } from './handoff-log.job';
import { HandoffLogRepository } from './handoff-log.repository';
import { GracefulWorkerHost } from '../../redis/graceful-worker.host';
import { describeError, fieldLogger } from '../../common/field-logger';

/** Retries handoff inserts that failed on the live path. */
@Processor(HANDOFF_LOG_QUEUE)
export class HandoffLogProcessor extends GracefulWorkerHost {
  protected readonly logger = fieldLogger(new Logger(HandoffLogProcessor.name));

  constructor(private readonly repository: HandoffLogRepository) {
    super();
  }

  protected async handle(job: Job<unknown>): Promise<void> {
    const parsed = parseHandoffLogEntry(job.data);
    // A malformed payload will never insert: fail it now and keep it for inspection.
    if (!parsed.ok) throw new UnrecoverableError(`Invalid handoff log job ${job.id}: ${parsed.problems.join('; ')}`);
    await this.repository.insert(parsed.entry);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    const attempts = job?.opts.attempts ?? 1;
    const final = !job || job.attemptsMade >= attempts || error instanceof UnrecoverableError;
    const fields = { handoffId: job?.id, attempt: job?.attemptsMade, attempts, error: describeError(error) };
    if (final) this.logger.error('Handoff log job failed; giving up (the job is kept in the failed set)', fields);
    else this.logger.warn('Handoff log job failed; retrying', fields);
  }
}
