import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallStatusUpdateEntity } from '../persistence/entities/call-status-update.entity';
import { CallJournalModule } from '../sessions/call-journal/call-journal.module';
import { CallRecordsModule } from './call-records.module';
import { CallStatsRepository } from './call-stats.repository';
import { CallStatsService } from './call-stats.service';
import { CallStatusService } from './call-status.service';
import { CallsController } from './calls.controller';
import { CallsService } from './calls.service';
import { StatsController } from './stats.controller';
import { SummariesWorkerModule } from './summaries-worker.module';

/** Supervisor REST for calls and stats, and Twilio status records (CallStatusService, for telephony). */
@Module({
  imports: [CallJournalModule, CallRecordsModule, TypeOrmModule.forFeature([CallStatusUpdateEntity])],
  controllers: [CallsController, StatsController],
  providers: [CallsService, CallStatsRepository, CallStatsService, CallStatusService],
  exports: [CallStatusService],
})
export class SummariesModule {
  /** For the service's root: SummariesModule, plus the post-call worker when this process runs it. */
  static forRoot(options: { runWorker: boolean }): DynamicModule {
    return {
      module: SummariesRootModule,
      imports: [SummariesModule, ...(options.runWorker ? [SummariesWorkerModule] : [])],
      exports: [SummariesModule],
    };
  }
}

@Module({})
class SummariesRootModule {}
