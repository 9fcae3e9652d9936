import { AgentConfigContent, FieldProblem } from '../utils/agent-config.validation';

/** A JSON merge patch (RFC 7396) of an agent's content: an absent field is kept, a list is replaced whole, null removes. */
export type AgentConfigPatch = { [Field in keyof AgentConfigContent]?: AgentConfigContent[Field] | null };

export const AGENT_CONTENT_FIELDS = [
  'displayName',
  'systemPrompt',
  'greeting',
  'voice',
  'tools',
  'handoffTargets',
  'keyterms',
] as const satisfies readonly (keyof AgentConfigContent)[];

const LIST_FIELDS: readonly string[] = ['tools', 'handoffTargets', 'keyterms'];

export function patchedFields(patch: AgentConfigPatch): (keyof AgentConfigContent)[] {
  return AGENT_CONTENT_FIELDS.filter((field) => patch[field] !== undefined);
}

/**
 * The content after the patch, and the removals it cannot make. Removing a list (null) leaves it
 * empty; a text field has no empty state, so removing one is a problem with that field.
 */
export function mergeAgentConfigPatch(
  current: AgentConfigContent,
  patch: AgentConfigPatch,
): { content: AgentConfigContent; problems: FieldProblem[] } {
  const content: AgentConfigContent = { ...current };
  const problems: FieldProblem[] = [];
  for (const field of patchedFields(patch)) {
    const value = patch[field];
    if (value !== null) Object.assign(content, { [field]: value });
    else if (LIST_FIELDS.includes(field)) Object.assign(content, { [field]: [] });
    else problems.push({ field, messages: [`${field} cannot be removed (null): an agent always has one`] });
  }
  return { content, problems };
}
