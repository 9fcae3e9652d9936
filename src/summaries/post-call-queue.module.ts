import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { POST_CALL_SUMMARY_QUEUE } from './post-call-summary.job';
import { PostCallSummaryQueue } from './post-call-summary.queue';

/** The post-call queue: the journal enqueues closed calls on it, the worker consumes it. */
@Module({
  imports: [BullModule.registerQueue({ name: POST_CALL_SUMMARY_QUEUE })],
  providers: [PostCallSummaryQueue],
  exports: [PostCallSummaryQueue, BullModule],
})
export class PostCallQueueModule {}
