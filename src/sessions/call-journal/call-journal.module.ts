import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { CallerHistoryService } from '../caller-history/caller-history.service';
import { CALL_JOURNAL_OPTIONS, callJournalOptionsFor } from './call-journal.options';
import { callJournalRedisProvider } from './call-journal.redis';
import { CallJournalService } from './call-journal.service';
import { CallJournalStore } from './call-journal.store';
import { OrphanedCallSweeper } from './orphaned-call.sweeper';
import { POST_CALL_SUMMARY_QUEUE } from './post-call-summary.job';
import { PostCallSummaryQueue } from './post-call-summary.queue';

/** The durable side of live calls: the journal in Redis, caller history, the post-call queue. */
@Module({
  imports: [BullModule.registerQueue({ name: POST_CALL_SUMMARY_QUEUE })],
  providers: [
    { provide: CALL_JOURNAL_OPTIONS, inject: [AppConfig], useFactory: (config: AppConfig) => callJournalOptionsFor(config.env) },
    callJournalRedisProvider,
    CallJournalStore,
    CallJournalService,
    CallerHistoryService,
    OrphanedCallSweeper,
    PostCallSummaryQueue,
  ],
  exports: [CallJournalService, CallerHistoryService, CallJournalStore, PostCallSummaryQueue, BullModule],
})
export class CallJournalModule {}
