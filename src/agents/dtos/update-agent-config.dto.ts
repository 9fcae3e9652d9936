import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { AGENT_CONFIG_LIMITS } from '../utils/agent-config.validation';

const { displayName, systemPrompt, greeting, note, keyterm, keyterms, tools, handoffTargets } = AGENT_CONFIG_LIMITS;

export class UpdateAgentConfigDto {
  @ApiProperty({ minLength: displayName.min, maxLength: displayName.max, example: 'Billing' })
  @IsString()
  @Length(displayName.min, displayName.max)
  displayName: string;

  @ApiProperty({ minLength: systemPrompt.min, maxLength: systemPrompt.max, description: 'The department runbook the voice LLM follows' })
  @IsString()
  @Length(systemPrompt.min, systemPrompt.max)
  systemPrompt: string;

  @ApiProperty({ minLength: greeting.min, maxLength: greeting.max, description: 'Spoken when a call starts with this agent' })
  @IsString()
  @Length(greeting.min, greeting.max)
  greeting: string;

  @ApiProperty({ description: "A voice from the provider's catalog", example: 'james' })
  @IsString()
  voice: string;

  @ApiProperty({ type: [String], maxItems: tools.max, description: 'Registered backend tools, and transfer_to_human for a terminal escalation', example: ['lookup_order', 'check_billing'] })
  @IsArray()
  @ArrayMaxSize(tools.max)
  @IsString({ each: true })
  tools: string[];

  @ApiProperty({ type: [String], maxItems: handoffTargets.max, description: 'Agent keys this agent may transfer to (each becomes a transfer_to_<key> tool)', example: ['refund', 'triage'] })
  @IsArray()
  @ArrayMaxSize(handoffTargets.max)
  @IsString({ each: true })
  handoffTargets: string[];

  @ApiPropertyOptional({ type: [String], maxItems: keyterms.max, description: "Speech recognition hints; omitted keeps the agent's current keyterms" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(keyterms.max)
  @IsString({ each: true })
  @Length(keyterm.min, keyterm.max, { each: true })
  keyterms?: string[];

  @ApiProperty({ minLength: note.min, maxLength: note.max, description: 'Why this change was made (kept in the version history)' })
  @IsString()
  @Length(note.min, note.max)
  note: string;
}
