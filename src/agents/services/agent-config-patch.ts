import { defaultEscalationRules, EscalationRules } from '../escalation-rules';
import { AgentConfigContent, FieldProblem } from '../utils/agent-config.validation';

/** A merge patch of the escalation rules: a rule or a field left out is kept. */
export type EscalationRulesPatch = {
  [Rule in keyof EscalationRules]?: { [Field in keyof EscalationRules[Rule]]?: EscalationRules[Rule][Field] | null } | null;
};

/**
 * A JSON merge patch (RFC 7396) of an agent's content: an absent field is kept, a list is replaced
 * whole, null removes; `escalation` merges rule by rule and field by field.
 */
export type AgentConfigPatch = { [Field in Exclude<keyof AgentConfigContent, 'escalation'>]?: AgentConfigContent[Field] | null } & {
  escalation?: EscalationRulesPatch | null;
};

export const AGENT_CONTENT_FIELDS = [
  'displayName',
  'systemPrompt',
  'greeting',
  'voice',
  'tools',
  'handoffTargets',
  'keyterms',
  'escalation',
] as const satisfies readonly (keyof AgentConfigContent)[];

const LIST_FIELDS: readonly string[] = ['tools', 'handoffTargets', 'keyterms'];

export function patchedFields(patch: AgentConfigPatch): (keyof AgentConfigContent)[] {
  return AGENT_CONTENT_FIELDS.filter((field) => patch[field] !== undefined);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * RFC 7396 inside the escalation rules, with the agent's own meaning of null: a phrase list removed
 * is emptied; anything else has no empty state, so removing it is a problem with that field.
 */
function mergeRules(current: unknown, patch: unknown, path: string, problems: FieldProblem[]): unknown {
  if (!isPlainObject(patch)) return patch;
  const merged: Record<string, unknown> = isPlainObject(current) ? { ...current } : {};
  for (const [name, value] of Object.entries(patch)) {
    const field = `${path}.${name}`;
    if (value === null) {
      if (Array.isArray(merged[name])) set(merged, name, []);
      else if (name in merged)
        problems.push({ field, messages: [`${field} cannot be removed (null): to turn a rule off, set its action to off`] });
    } else set(merged, name, mergeRules(merged[name], value, field, problems));
  }
  return merged;
}

// An own property even for "__proto__", so validation sees (and refuses) every key the patch sent.
function set(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The content after the patch, and the removals it cannot make. Removing a list (null) leaves it
 * empty; a text field has no empty state, so removing one is a problem with that field. Removing
 * `escalation` restores the department's default rules, as a PUT without it does.
 */
export function mergeAgentConfigPatch(
  key: string,
  current: AgentConfigContent,
  patch: AgentConfigPatch,
): { content: AgentConfigContent; problems: FieldProblem[] } {
  const content: AgentConfigContent = { ...current };
  const problems: FieldProblem[] = [];
  for (const field of patchedFields(patch)) {
    const value = patch[field];
    if (field === 'escalation')
      content.escalation =
        value === null ? defaultEscalationRules(key) : (mergeRules(current.escalation, value, field, problems) as EscalationRules);
    else if (value !== null) Object.assign(content, { [field]: value });
    else if (LIST_FIELDS.includes(field)) Object.assign(content, { [field]: [] });
    else problems.push({ field, messages: [`${field} cannot be removed (null): an agent always has one`] });
  }
  return { content, problems };
}
