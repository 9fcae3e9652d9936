import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { AGENT_CONFIG_LIMITS } from '../utils/agent-config.validation';

const { note } = AGENT_CONFIG_LIMITS;

export class RollbackAgentConfigDto {
  @ApiProperty({ minimum: 1, description: 'The version whose content becomes the new current version' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ minLength: note.min, maxLength: note.max })
  @IsOptional()
  @IsString()
  @Length(note.min, note.max)
  note?: string;
}
