import { Module } from '@nestjs/common';
import { ToolsModule } from '../agents/tools/tools.module';
import { CallerHistoryModule } from '../caller-history/caller-history.module';
import { HandoffLogModule } from '../handoff/handoff-log.module';
import { CallRecordsModule } from './call-records.module';
import { PostCallQueueModule } from './post-call-queue.module';
import { PostCallSummaryProcessor } from './post-call-summary.processor';
import { PostCallSummaryService } from './post-call-summary.service';
import { SummaryNarrativeClient } from './summary-narrative.client';

/** The post-call worker: in the service by default (RUN_WORKER) and alone in dist/worker.js. */
@Module({
  // ToolsModule for the tool catalogue: the summary lists each tool call by its kind.
  imports: [PostCallQueueModule, CallRecordsModule, CallerHistoryModule, HandoffLogModule, ToolsModule],
  providers: [SummaryNarrativeClient, PostCallSummaryService, PostCallSummaryProcessor],
  exports: [PostCallSummaryService],
})
export class SummariesWorkerModule {}
