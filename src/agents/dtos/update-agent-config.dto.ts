import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Length } from 'class-validator';
import type { EscalationRules } from '../escalation-rules';
import { EscalationRulesView } from './escalation-rules.response';
import type { AgentConfigInput } from '../services/agent-config.service';
import { AGENT_CONFIG_LIMITS } from '../utils/agent-config.validation';
import { AgentVoiceView, voiceIdFrom } from './agent-config.response';
import { ReadOnlyAgentConfigFields } from './read-only-agent-config-fields';

const { displayName, systemPrompt, greeting, note, keyterm, keyterms, tools, handoffTargets } = AGENT_CONFIG_LIMITS;

/** The whole writable config; GET's representation is accepted as it is (read-only fields ignored). */
@ApiExtraModels(AgentVoiceView)
export class UpdateAgentConfigDto extends ReadOnlyAgentConfigFields {
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

  @ApiProperty({
    oneOf: [{ type: 'string', example: 'james' }, { $ref: getSchemaPath(AgentVoiceView) }],
    description: "A voice from the provider's catalog: its id, or the voice object GET returns (its `value` is taken, the rest ignored)",
  })
  @Transform(({ value }: { value: unknown }) => voiceIdFrom(value))
  @IsString({ message: 'voice must be a voice id, or the voice object GET returns (with a string value)' })
  voice: string;

  @ApiProperty({
    type: [String],
    maxItems: tools.max,
    description: 'Registered backend tools, and transfer_to_human for a terminal escalation',
    example: ['lookup_order', 'check_billing'],
  })
  @IsArray()
  @ArrayMaxSize(tools.max)
  @IsString({ each: true })
  tools: string[];

  @ApiProperty({
    type: [String],
    maxItems: handoffTargets.max,
    description: 'Agent keys this agent may transfer to (each becomes a transfer_to_<key> tool)',
    example: ['refund', 'triage'],
  })
  @IsArray()
  @ArrayMaxSize(handoffTargets.max)
  @IsString({ each: true })
  handoffTargets: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: keyterms.max,
    description: "Speech recognition hints; omitted keeps the agent's current keyterms",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(keyterms.max)
  @IsString({ each: true })
  @Length(keyterm.min, keyterm.max, { each: true })
  keyterms?: string[];

  // Only the shape of a JSON object here: the rules are checked with the rest of the config, so a PUT
  // and a merged PATCH name the same fields (escalation.redFlags.phrases.3) for the same problem.
  @ApiPropertyOptional({
    type: EscalationRulesView,
    description:
      "What the service escalates on by itself in this department, as GET returns it. Omitted: the department's default rules " +
      '(PUT replaces the whole config; to keep the current rules, send them back as GET returned them)',
  })
  @IsOptional()
  @IsObject()
  escalation?: EscalationRules;

  @ApiProperty({ minLength: note.min, maxLength: note.max, description: 'Why this change was made (kept in the version history)' })
  @IsString()
  @Length(note.min, note.max)
  note: string;
}

/** Only the writable content: read-only fields never travel past the controller. */
export function toAgentConfigInput(body: UpdateAgentConfigDto): AgentConfigInput {
  const { displayName, systemPrompt, greeting, voice, tools, handoffTargets, keyterms, escalation } = body;
  return { displayName, systemPrompt, greeting, voice, tools, handoffTargets, keyterms, escalation };
}
