import { ApiProperty } from '@nestjs/swagger';
import { VoiceAgentCapabilities } from '../../voice-agent/voice-agent.types';
import { AgentConfigRecord } from '../services/agent-config.repository';
import { PageOf } from '../../common/pagination.dto';
import { EscalationRules } from '../escalation-rules';
import { EscalationRulesView } from './escalation-rules.response';

export class AgentVoiceView {
  @ApiProperty({ example: 'james' })
  value: string;

  @ApiProperty({ description: 'Whether a handoff to this agent switches the voice of a call already running' })
  appliesMidCall: boolean;

  @ApiProperty()
  note: string;
}

export class AgentConfigView {
  @ApiProperty({ example: 'billing' })
  key: string;

  @ApiProperty()
  version: number;

  @ApiProperty()
  displayName: string;

  @ApiProperty()
  systemPrompt: string;

  @ApiProperty()
  greeting: string;

  @ApiProperty({ type: AgentVoiceView })
  voice: AgentVoiceView;

  @ApiProperty({ type: [String] })
  tools: string[];

  @ApiProperty({ type: [String] })
  handoffTargets: string[];

  @ApiProperty({ type: [String] })
  keyterms: string[];

  @ApiProperty({ type: EscalationRulesView })
  escalation: EscalationRules;

  @ApiProperty({ description: "Who made this version ('system' for the defaults, 'admin' for REST edits)" })
  author: string;

  @ApiProperty()
  note: string;

  @ApiProperty({ description: 'When this version was made (ISO 8601)' })
  updatedAt: string;
}

export class AgentConfigVersionView {
  @ApiProperty()
  version: number;

  @ApiProperty({ description: 'Whether this is the version live calls use' })
  current: boolean;

  @ApiProperty()
  displayName: string;

  @ApiProperty()
  systemPrompt: string;

  @ApiProperty()
  greeting: string;

  @ApiProperty()
  voice: string;

  @ApiProperty({ type: [String] })
  tools: string[];

  @ApiProperty({ type: [String] })
  handoffTargets: string[];

  @ApiProperty({ type: [String] })
  keyterms: string[];

  @ApiProperty({ type: EscalationRulesView })
  escalation: EscalationRules;

  @ApiProperty()
  author: string;

  @ApiProperty()
  note: string;

  @ApiProperty()
  createdAt: string;
}

export class AgentConfigVersionPage extends PageOf(AgentConfigVersionView) {}

export function describeVoice(voice: string, capabilities: VoiceAgentCapabilities): AgentVoiceView {
  return capabilities.voiceChangeMidSession
    ? {
        value: voice,
        appliesMidCall: true,
        note: 'The provider can change voice mid-session; a handoff to this agent switches the call to this voice',
      }
    : {
        value: voice,
        appliesMidCall: false,
        note: 'The provider cannot change voice mid-session; this voice is used when a call starts with this agent',
      };
}

const VOICE_VIEW_FIELDS: readonly string[] = ['value', 'appliesMidCall', 'note'] satisfies (keyof AgentVoiceView)[];

/**
 * A write's `voice`: the voice id, or the object describeVoice made for GET, whose id is taken and
 * the rest ignored. Anything else is returned as it came, for validation to refuse.
 */
export function voiceIdFrom(voice: unknown): unknown {
  if (typeof voice !== 'object' || voice === null || Array.isArray(voice)) return voice;
  const fields = Object.keys(voice);
  const { value } = voice as { value?: unknown };
  return typeof value === 'string' && fields.every((field) => VOICE_VIEW_FIELDS.includes(field)) ? value : voice;
}

export function toAgentConfigView(record: AgentConfigRecord, capabilities: VoiceAgentCapabilities): AgentConfigView {
  return {
    key: record.key,
    version: record.version,
    displayName: record.displayName,
    systemPrompt: record.systemPrompt,
    greeting: record.greeting,
    voice: describeVoice(record.voice, capabilities),
    tools: record.tools,
    handoffTargets: record.handoffTargets,
    keyterms: record.keyterms,
    escalation: record.escalation,
    author: record.author,
    note: record.note,
    updatedAt: record.createdAt,
  };
}

export function toAgentConfigVersionView(record: AgentConfigRecord, currentVersion: number): AgentConfigVersionView {
  const { key: _key, createdAt, ...content } = record;
  return { ...content, current: record.version === currentVersion, createdAt };
}
