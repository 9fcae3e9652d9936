// The agents REST API as src/agents/dtos/* describe it, and the catalogues /tools and /voices serve.
import { EscalationDraft, EscalationInput, EscalationRules } from './escalationRules';

export interface AgentVoice {
  value: string;
  /** Whether a handoff to this agent switches the voice of a call already running. */
  appliesMidCall: boolean;
  note: string;
}

export interface AgentConfig {
  key: string;
  version: number;
  displayName: string;
  systemPrompt: string;
  greeting: string;
  voice: AgentVoice;
  tools: string[];
  handoffTargets: string[];
  keyterms: string[];
  /** What the service escalates on by itself in this department. */
  escalation: EscalationRules;
  /** 'system' for the defaults, 'admin' for REST edits. */
  author: string;
  note: string;
  updatedAt: string;
}

export interface AgentConfigVersion {
  version: number;
  current: boolean;
  displayName: string;
  systemPrompt: string;
  greeting: string;
  voice: string;
  tools: string[];
  handoffTargets: string[];
  keyterms: string[];
  escalation: EscalationRules;
  author: string;
  note: string;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export type ToolKind = 'lookup' | 'side-effect';

export interface RegisteredTool {
  name: string;
  description: string;
  kind: ToolKind;
}

export interface VoiceCatalog {
  provider: string;
  voices: string[];
  defaultVoice: string;
  voiceChangeMidSession: boolean;
  note: string;
}

/** An agent as loaded, with the entity tag a write over it must name in If-Match. */
export interface LoadedAgent {
  config: AgentConfig;
  etag: string;
}

/** What the editor changes; the rest of a PUT comes from the version loaded. */
export interface AgentDraft {
  displayName: string;
  systemPrompt: string;
  greeting: string;
  voice: string;
  tools: string[];
  handoffTargets: string[];
  escalation: EscalationDraft;
  note: string;
}

/** The editable fields, in the order the form shows them (and a refusal's summary lists them). */
export const DRAFT_FIELDS = ['displayName', 'systemPrompt', 'greeting', 'voice', 'tools', 'handoffTargets', 'escalation', 'note'] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];
/** What a refused field is shown beside: a field of the form, or one input of the escalation rules. */
export type FormInput = DraftField | EscalationInput;

export const FIELD_LABELS: Record<DraftField, string> = {
  displayName: 'Display name',
  systemPrompt: 'Prompt',
  greeting: 'Greeting',
  voice: 'Voice',
  tools: 'Tools',
  handoffTargets: 'Handoff targets',
  escalation: 'Escalation rules',
  note: 'Change note',
};

/** The only transfer an agent lists among its tools: the terminal one to a person (handoffs come from handoffTargets). */
export const HUMAN_TRANSFER_TOOL = 'transfer_to_human';
