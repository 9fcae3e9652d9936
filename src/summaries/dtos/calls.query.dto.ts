import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination.dto';
import { CallOutcome } from '../../call-journal/call-event.types';

export const CALL_OUTCOMES: CallOutcome[] = ['resolved', 'escalated', 'abandoned', 'failed'];

export class CallsQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'One call by its Twilio call SID' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  callSid?: string;

  @ApiPropertyOptional({ description: 'Calls started at or after this time (ISO 8601)', example: '2025-11-17T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Calls started before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Calls that visited this department at any point', example: 'refund' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  department?: string;

  @ApiPropertyOptional({ enum: CALL_OUTCOMES })
  @IsOptional()
  @IsIn(CALL_OUTCOMES)
  outcome?: CallOutcome;
}
