import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class StatsQuery {
  @ApiPropertyOptional({ description: 'Start of the range (ISO 8601, inclusive); default 7 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End of the range (ISO 8601, exclusive); default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
