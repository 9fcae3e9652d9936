import { Resource } from '../components/useResource';
import { AgentConfig, HUMAN_TRANSFER_TOOL, RegisteredTool, VoiceCatalog } from './agent.types';

/** The lists an agent's page chooses from, each loaded (and failing) on its own. */
export interface Catalogs {
  tools: Resource<RegisteredTool[]>;
  voices: Resource<VoiceCatalog>;
  agents: Resource<AgentConfig[]>;
}

export interface ToolInfo {
  name: string;
  description: string;
  kind: RegisteredTool['kind'] | 'terminal' | 'unknown';
}

const HUMAN_TRANSFER: ToolInfo = {
  name: HUMAN_TRANSFER_TOOL,
  description: 'Hands the call to a person (ends the agent’s part of the call).',
  kind: 'terminal',
};

/** What a tool name is, as far as the registered tools say (undefined list: not loaded). */
export function toolInfo(name: string, registered: readonly RegisteredTool[] | undefined): ToolInfo {
  if (name === HUMAN_TRANSFER_TOOL) return HUMAN_TRANSFER;
  const tool = registered?.find((candidate) => candidate.name === name);
  if (tool) return tool;
  return { name, description: registered ? 'Not a registered tool: the service refuses to save it.' : '', kind: 'unknown' };
}

/** Every tool an admin may tick: the registered ones, the transfer to a person, and any the agent lists that the service no longer has. */
export function toolChoices(registered: readonly RegisteredTool[], current: readonly string[]): ToolInfo[] {
  const known = [...registered, HUMAN_TRANSFER];
  const stray = current.filter((name) => !known.some((tool) => tool.name === name)).map((name) => toolInfo(name, registered));
  return [...known, ...stray];
}

const KIND_BADGES: Record<ToolInfo['kind'], { label: string; tone: string }> = {
  lookup: { label: 'lookup', tone: 'badge' },
  'side-effect': { label: 'side effect', tone: 'badge warn' },
  terminal: { label: 'to a person', tone: 'badge warn' },
  unknown: { label: 'not registered', tone: 'badge bad' },
};

export function ToolKindBadge({ tool, loaded }: { tool: ToolInfo; loaded: boolean }) {
  if (tool.kind === 'unknown' && !loaded) return null;
  const { label, tone } = KIND_BADGES[tool.kind];
  return <span className={tone}>{label}</span>;
}

export function agentName(key: string, agents: readonly AgentConfig[] | undefined): string {
  const agent = agents?.find((candidate) => candidate.key === key);
  return agent ? `${agent.displayName} (${key})` : key;
}
