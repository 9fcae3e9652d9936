import { HUMAN_TRANSFER_TOOL, isTransferTool, transferTargetOf } from '../../handoff/transfer-tools';
import { EscalationRules } from '../escalation-rules';
import { escalationRulesProblems } from './escalation-rules.validation';

export const AGENT_KEY_PATTERN = /^[a-z][a-z0-9_]{1,31}$/;
// 'human' would collide with the terminal transfer_to_human tool.
export const RESERVED_AGENT_KEYS: readonly string[] = ['human'];

export const AGENT_CONFIG_LIMITS = {
  displayName: { min: 1, max: 80 },
  systemPrompt: { min: 50, max: 20_000 },
  greeting: { min: 1, max: 500 },
  note: { min: 1, max: 500 },
  keyterm: { min: 1, max: 100 },
  // The provider accepts up to 100 keyterms per session.
  keyterms: { max: 100 },
  tools: { max: 50 },
  handoffTargets: { max: 50 },
} as const;

export interface AgentConfigContent {
  displayName: string;
  systemPrompt: string;
  greeting: string;
  voice: string;
  tools: string[];
  handoffTargets: string[];
  keyterms: string[];
  escalation: EscalationRules;
}

export interface AgentConfigCatalog {
  voices: readonly string[];
  isBackendTool(name: string): boolean;
  backendToolNames: readonly string[];
  /** Keys of every stored agent (the one being edited included when it exists). */
  agentKeys: readonly string[];
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

export function agentKeyProblems(key: string): string[] {
  if (!AGENT_KEY_PATTERN.test(key))
    return [
      `key "${key}" must match ${AGENT_KEY_PATTERN.source}: a lowercase letter, then 1 to 31 lowercase letters, digits or underscores`,
    ];
  if (RESERVED_AGENT_KEYS.includes(key)) return [`key "${key}" is reserved (transfer_to_${key} is the terminal transfer to a person)`];
  return [];
}

// Whitespace does not count towards the minimum: a blank prompt or greeting is still empty.
function lengthProblem(field: string, value: string, { min, max }: { min: number; max: number }): string[] {
  if (value.trim().length < min) return [`${field} must be at least ${min} characters besides whitespace (got ${value.trim().length})`];
  if (value.length > max) return [`${field} must be at most ${max} characters (got ${value.length})`];
  return [];
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

export function toolProblems(tools: readonly string[], catalog: Pick<AgentConfigCatalog, 'isBackendTool' | 'backendToolNames'>): string[] {
  const problems: string[] = [];
  for (const tool of tools) {
    if (tool === HUMAN_TRANSFER_TOOL) continue;
    if (isTransferTool(tool)) {
      problems.push(
        `"${tool}" cannot be listed as a tool: handoffs come from handoffTargets (list "${transferTargetOf(tool)}" there); only ${HUMAN_TRANSFER_TOOL} is listed in tools`,
      );
    } else if (!catalog.isBackendTool(tool)) {
      problems.push(`unknown tool "${tool}"; known tools: ${[...catalog.backendToolNames, HUMAN_TRANSFER_TOOL].join(', ')}`);
    }
  }
  for (const tool of duplicates(tools)) problems.push(`tool "${tool}" is listed more than once`);
  if (tools.length > AGENT_CONFIG_LIMITS.tools.max) problems.push(`at most ${AGENT_CONFIG_LIMITS.tools.max} tools`);
  return problems;
}

export function handoffTargetProblems(key: string, targets: readonly string[], agentKeys: readonly string[]): string[] {
  const problems: string[] = [];
  for (const target of targets) {
    if (target === key) problems.push(`"${target}" is this agent: an agent cannot hand off to itself`);
    else if (RESERVED_AGENT_KEYS.includes(target))
      problems.push(`"${target}" is not a department: list ${HUMAN_TRANSFER_TOOL} in tools instead`);
    else if (!agentKeys.includes(target)) problems.push(`unknown agent "${target}"; existing agents: ${agentKeys.join(', ') || '(none)'}`);
  }
  for (const target of duplicates(targets)) problems.push(`target "${target}" is listed more than once`);
  if (targets.length > AGENT_CONFIG_LIMITS.handoffTargets.max)
    problems.push(`at most ${AGENT_CONFIG_LIMITS.handoffTargets.max} handoff targets`);
  return problems;
}

/**
 * Every rule a stored config must satisfy, including those the HTTP DTO cannot know (the
 * provider's voices, the tool registry, the other agents). Empty when the config is valid.
 */
export function agentConfigProblems(key: string, content: AgentConfigContent, catalog: AgentConfigCatalog): FieldProblem[] {
  const checks: [string, string[]][] = [
    ['key', agentKeyProblems(key)],
    ['displayName', lengthProblem('displayName', content.displayName, AGENT_CONFIG_LIMITS.displayName)],
    ['systemPrompt', lengthProblem('systemPrompt', content.systemPrompt, AGENT_CONFIG_LIMITS.systemPrompt)],
    ['greeting', lengthProblem('greeting', content.greeting, AGENT_CONFIG_LIMITS.greeting)],
    [
      'voice',
      content.voice !== '' && catalog.voices.includes(content.voice)
        ? []
        : [`voice "${content.voice}" is not in the provider's catalog: ${catalog.voices.join(', ')}`],
    ],
    ['tools', toolProblems(content.tools, catalog)],
    ['handoffTargets', handoffTargetProblems(key, content.handoffTargets, catalog.agentKeys)],
    [
      'keyterms',
      content.keyterms.length > AGENT_CONFIG_LIMITS.keyterms.max ? [`at most ${AGENT_CONFIG_LIMITS.keyterms.max} keyterms`] : [],
    ],
  ];
  const problems = checks.filter(([, messages]) => messages.length > 0).map(([field, messages]) => ({ field, messages }));
  return [...problems, ...escalationRulesProblems(key, content.escalation, catalog.agentKeys)];
}
