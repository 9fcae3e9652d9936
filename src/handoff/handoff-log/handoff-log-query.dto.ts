import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { PaginationQuery } from '../../common/pagination.dto';
import { HandoffStatus } from '../handoff.types';
import { HANDOFF_STATUSES } from './handoff-log.job';

export class HandoffLogQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'Call id (Twilio call SID)' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  callId?: string;

  @ApiPropertyOptional({ description: 'Department the caller left' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  from?: string;

  @ApiPropertyOptional({ description: 'Department the caller was sent to' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  to?: string;

  @ApiPropertyOptional({ description: 'Department on either side of the handoff' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  department?: string;

  @ApiPropertyOptional({ enum: HANDOFF_STATUSES })
  @IsOptional()
  @IsIn(HANDOFF_STATUSES)
  status?: HandoffStatus;

  @ApiPropertyOptional({ description: 'Requested at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ description: 'Requested at or before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}
