import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { OnModuleDestroy } from '@nestjs/common';
import { Job } from 'bullmq';
import { waitAtMost } from '../common/wait-at-most';
import { FieldLogger } from '../common/field-logger';

/** How long a stopping worker lets the jobs in hand finish before it lets go of them. */
export const JOBS_IN_HAND_GRACE_MS = 10_000;

/**
 * A BullMQ processor that always stops. BullMQ's graceful `close()` waits for its blocking
 * connection to emit 'end', which never comes while that connection sits between reconnect
 * attempts (after a Redis blip, or during an outage): the process then hangs at shutdown
 * (taskforcesh/bullmq#4656). So this host stops fetching, lets the jobs it is running finish
 * (bounded), and then closes with `force`, which drops the connections without that wait.
 * A job still running after the grace period is left locked; BullMQ's stalled-job check
 * hands it to another worker, and every job here is idempotent.
 */
export abstract class GracefulWorkerHost extends WorkerHost implements OnModuleDestroy {
  protected abstract readonly logger: FieldLogger;
  private readonly jobsInHand = new Set<Promise<unknown>>();
  private reportedDown = false;

  /** The job's work; subclasses implement this instead of `process`. */
  protected abstract handle(job: Job, token?: string): Promise<unknown>;

  process(job: Job, token?: string): Promise<unknown> {
    const work = this.handle(job, token);
    this.jobsInHand.add(work);
    const forget = () => this.jobsInHand.delete(work);
    work.then(forget, forget);
    return work;
  }

  // Without a listener BullMQ prints every reconnection attempt while Redis is down: one line per outage.
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    if (!this.reportedDown) this.logger.warn('Queue worker connection error', { error: error.message });
    this.reportedDown = true;
  }

  @OnWorkerEvent('ready')
  onWorkerReady(): void {
    this.reportedDown = false;
  }

  async onModuleDestroy(): Promise<void> {
    let worker;
    try {
      worker = this.worker;
    } catch {
      return; // never registered (the module was not started)
    }
    await worker.pause(true);
    const inHand = this.jobsInHand.size;
    const finished = await waitAtMost(Promise.allSettled([...this.jobsInHand]), JOBS_IN_HAND_GRACE_MS);
    if (!finished)
      this.logger.warn('Jobs still running after the grace period; left for another worker', {
        running: this.jobsInHand.size,
        inHand,
        graceMs: JOBS_IN_HAND_GRACE_MS,
      });
    // @nestjs/bullmq closes the worker again at application shutdown and gets this same, settled close.
    await worker.close(true);
    this.logger.log('Queue worker stopped', { queue: worker.name });
  }
}
