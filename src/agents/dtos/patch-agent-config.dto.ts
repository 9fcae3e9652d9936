import { PartialType } from '@nestjs/swagger';
import { AGENT_CONTENT_FIELDS, AgentConfigPatch } from '../services/agent-config-patch';
import { UpdateAgentConfigDto } from './update-agent-config.dto';

/**
 * A JSON merge patch of the writable fields, each validated as PUT validates it. null passes
 * validation (IsOptional lets it through) and means "remove": a list becomes empty, a text field is refused.
 */
export class PatchAgentConfigDto extends PartialType(UpdateAgentConfigDto) {}

export function toAgentConfigPatch(body: PatchAgentConfigDto): AgentConfigPatch {
  const patch: AgentConfigPatch = {};
  for (const field of AGENT_CONTENT_FIELDS) if (body[field] !== undefined) Object.assign(patch, { [field]: body[field] });
  return patch;
}
