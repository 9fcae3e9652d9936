import { Module } from '@nestjs/common';
import { CallerHistoryModule } from '../caller-history/caller-history.module';
import { HandoffLogModule } from '../handoff/handoff-log.module';
import { CallRecordsModule } from './call-records.module';
import { PostCallQueueModule } from './post-call-queue.module';
import { PostCallSummaryProcessor } from './post-call-summary.processor';
import { PostCallSummaryService } from './post-call-summary.service';
import { SummaryNarrativeClient } from './summary-narrative.client';

/** The post-call worker: in the service by default (RUN_WORKER) and alone in dist/worker.js. */
@Module({
  imports: [PostCallQueueModule, CallRecordsModule, CallerHistoryModule, HandoffLogModule],
  providers: [SummaryNarrativeClient, PostCallSummaryService, PostCallSummaryProcessor],
  exports: [PostCallSummaryService],
})
export class SummariesWorkerModule {}
