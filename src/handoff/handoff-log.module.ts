import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HandoffEntity } from '../persistence/entities/handoff.entity';
import { HandoffLogController } from './handoff-log/handoff-log.controller';
import { HANDOFF_LOG_QUEUE } from './handoff-log/handoff-log.job';
import { HandoffLogProcessor } from './handoff-log/handoff-log.processor';
import { HandoffLogService } from './handoff-log/handoff-log.service';
import { HandoffLogRepository } from './handoff-log/handoff-log.repository';

/** The handoff log: durable writes from live calls, a retry queue, and the supervisor API. */
@Module({
  imports: [TypeOrmModule.forFeature([HandoffEntity]), BullModule.registerQueue({ name: HANDOFF_LOG_QUEUE })],
  controllers: [HandoffLogController],
  providers: [HandoffLogRepository, HandoffLogService, HandoffLogProcessor],
  exports: [HandoffLogService],
})
export class HandoffLogModule {}
