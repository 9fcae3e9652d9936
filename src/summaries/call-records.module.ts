import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallEventEntity } from '../persistence/entities/call-event.entity';
import { CallSummaryEntity } from '../persistence/entities/call-summary.entity';
import { CallEntity } from '../persistence/entities/call.entity';
import { CallRecordsRepository } from './call-records.repository';

@Module({
  imports: [TypeOrmModule.forFeature([CallEntity, CallEventEntity, CallSummaryEntity])],
  providers: [CallRecordsRepository],
  exports: [CallRecordsRepository],
})
export class CallRecordsModule {}
