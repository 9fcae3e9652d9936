import { DynamicModule, Logger, Module } from '@nestjs/common';
import { fieldLogger } from '../common/field-logger';
import { HandoffLogModule } from '../handoff/handoff-log.module';
import { CallRecordsModule } from './call-records.module';
import { CallStatsRepository } from './call-stats.repository';
import { CallStatsService } from './call-stats.service';
import { CallsController } from './calls.controller';
import { CallsService } from './calls.service';
import { LiveCallsFeed } from './live-calls.feed';
import { LiveCallsService } from './live-calls.service';
import { StatsController } from './stats.controller';
import { SummariesWorkerModule } from './summaries-worker.module';

/** Supervisor REST for calls and stats: Postgres once a call is summarised, the call journal before. */
@Module({
  imports: [CallRecordsModule, HandoffLogModule],
  controllers: [CallsController, StatsController],
  providers: [
    CallsService,
    CallStatsRepository,
    CallStatsService,
    LiveCallsService,
    {
      provide: LiveCallsFeed,
      inject: [LiveCallsService],
      useFactory: (liveCalls: LiveCallsService) => new LiveCallsFeed(() => liveCalls.list(), fieldLogger(new Logger(LiveCallsFeed.name))),
    },
  ],
})
export class SummariesModule {
  /** For the service's root: SummariesModule, plus the post-call worker when this process runs it. */
  static forRoot(options: { runWorker: boolean }): DynamicModule {
    return {
      module: SummariesRootModule,
      imports: [SummariesModule, ...(options.runWorker ? [SummariesWorkerModule] : [])],
    };
  }
}

@Module({})
class SummariesRootModule {}
