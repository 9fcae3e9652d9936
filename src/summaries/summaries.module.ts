import { DynamicModule, Module } from '@nestjs/common';
import { HandoffLogModule } from '../handoff/handoff-log.module';
import { CallRecordsModule } from './call-records.module';
import { CallStatsRepository } from './call-stats.repository';
import { CallStatsService } from './call-stats.service';
import { CallsController } from './calls.controller';
import { CallsService } from './calls.service';
import { StatsController } from './stats.controller';
import { SummariesWorkerModule } from './summaries-worker.module';

/** Supervisor REST for calls and stats: Postgres once a call is summarised, the call journal before. */
@Module({
  imports: [CallRecordsModule, HandoffLogModule],
  controllers: [CallsController, StatsController],
  providers: [CallsService, CallStatsRepository, CallStatsService],
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
