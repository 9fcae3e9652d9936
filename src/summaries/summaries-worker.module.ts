import { Module } from '@nestjs/common';
import { CallJournalModule } from '../sessions/call-journal/call-journal.module';
import { CallRecordsModule } from './call-records.module';
import { PostCallSummaryProcessor } from './post-call-summary.processor';
import { PostCallSummaryService } from './post-call-summary.service';
import { SummaryNarrativeClient } from './summary-narrative.client';

/** The post-call worker: in the service by default (RUN_WORKER) and alone in dist/worker.js. */
@Module({
  imports: [CallJournalModule, CallRecordsModule],
  providers: [SummaryNarrativeClient, PostCallSummaryService, PostCallSummaryProcessor],
  exports: [PostCallSummaryService],
})
export class SummariesWorkerModule {}
