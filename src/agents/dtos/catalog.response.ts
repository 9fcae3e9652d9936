import { ApiProperty } from '@nestjs/swagger';
import { VoiceAgentCapabilities } from '../../voice-agent/voice-agent.types';
import { BackendTool, BackendToolKind } from '../tools/tool.types';

const BACKEND_TOOL_KINDS: readonly BackendToolKind[] = ['lookup', 'side-effect'];

export class ToolCatalogEntryView {
  @ApiProperty({ example: 'lookup_order' })
  name: string;

  @ApiProperty({ description: 'What the model is told the tool does' })
  description: string;

  @ApiProperty({ enum: BACKEND_TOOL_KINDS, description: 'lookup: reads; side-effect: changes something (a refund, a ticket)' })
  kind: BackendToolKind;
}

export class ToolCatalogView {
  @ApiProperty({
    type: [ToolCatalogEntryView],
    description: "The backend tools an agent may list, by name. Transfer tools are not here: they follow from an agent's handoff targets",
  })
  tools: ToolCatalogEntryView[];
}

export class VoiceCatalogView {
  @ApiProperty({ description: 'The voice agent provider this service runs', example: 'openai' })
  provider: string;

  @ApiProperty({ type: [String], description: 'The voices it accepts' })
  voices: string[];

  @ApiProperty({ description: 'The voice used for an agent whose stored voice this provider does not have' })
  defaultVoice: string;

  @ApiProperty({ description: 'Whether a handoff can switch the voice of a call already running' })
  voiceChangeMidSession: boolean;

  @ApiProperty({ description: 'What that means for the voices admins choose, in a sentence or two' })
  note: string;
}

export function toToolCatalogView(tools: readonly Pick<BackendTool, 'name' | 'description' | 'kind'>[]): ToolCatalogView {
  return {
    tools: tools
      .map(({ name, description, kind }) => ({ name, description, kind }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

export function toVoiceCatalogView(provider: string, capabilities: VoiceAgentCapabilities): VoiceCatalogView {
  const perCall = capabilities.voiceChangeMidSession
    ? 'This provider can change voice mid-call: each department speaks with its own voice, ' +
      "and a handoff switches to the new department's voice."
    : "This provider keeps one voice per call: the first department's voice is used for the whole call.";
  return {
    provider,
    voices: [...capabilities.voices],
    defaultVoice: capabilities.defaultVoice,
    voiceChangeMidSession: capabilities.voiceChangeMidSession,
    note: `${perCall} An agent whose stored voice this provider does not have speaks with the default voice, ${capabilities.defaultVoice}.`,
  };
}
