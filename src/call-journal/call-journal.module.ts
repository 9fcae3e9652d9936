import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CALL_JOURNAL_OPTIONS, callJournalOptionsFor } from './call-journal.options';
import { CallJournalReader } from './call-journal.reader';
import { callJournalRedisProvider } from './call-journal.redis';
import { CallJournalService } from './call-journal.service';
import { CallJournalStore } from './call-journal.store';
import { ClosedCallQueue } from './closed-call.queue';
import { OrphanedCallSweeper } from './orphaned-call.sweeper';

export interface CallJournalModuleOptions {
  /** The module that provides the queue closed calls go to, and the class it provides. */
  closedCallQueue: { module: Type<unknown>; queue: Type<ClosedCallQueue> };
}

/**
 * The call journal: a call's events in Redis while it is live, the live-call registry with its
 * heartbeats, and the orphan sweeper that closes calls whose instance died. Registered once per
 * process (global): sessions and telephony write through CallJournalService, the post-call side
 * and supervisors read through CallJournalReader; nothing else sees the store or its keys.
 */
@Module({})
export class CallJournalModule {
  static forRoot(options: CallJournalModuleOptions): DynamicModule {
    return {
      module: CallJournalModule,
      global: true,
      imports: [options.closedCallQueue.module],
      providers: [
        { provide: CALL_JOURNAL_OPTIONS, inject: [AppConfig], useFactory: (config: AppConfig) => callJournalOptionsFor(config.env) },
        { provide: ClosedCallQueue, useExisting: options.closedCallQueue.queue },
        callJournalRedisProvider,
        CallJournalStore,
        CallJournalService,
        CallJournalReader,
        OrphanedCallSweeper,
      ],
      exports: [CallJournalService, CallJournalReader],
    };
  }
}
