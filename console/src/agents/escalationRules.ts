// A department's escalation rules, the service's own type (src/agents/escalation-rules.ts, imported as a
// type only), and what the console makes of them: the form's draft, the changes between two versions,
// readable refusals.
import type { EscalationRuleAction, EscalationRules } from '../../../src/agents/escalation-rules';

export type { EscalationRules };
export type EscalationAction = EscalationRuleAction;

/** Every action, labelled: the Record makes the compiler name an action the service adds and the console lacks. */
export const ACTION_LABELS: Record<EscalationAction, string> = {
  off: 'Off',
  'escalation-handoff': 'Hand to escalation',
  'human-transfer': 'Transfer to a person',
};

export const ESCALATION_ACTIONS = Object.keys(ACTION_LABELS) as EscalationAction[];

export type RuleName = keyof EscalationRules;
type CountField = 'times' | 'inARow' | 'minutes';

export interface RuleSpec {
  name: RuleName;
  title: string;
  description: string;
  phrases: boolean;
  count?: { field: CountField; label: string; min: number; max: number };
}

/** The rules in the order the form shows them, with the service's limits (ESCALATION_RULE_LIMITS). */
export const RULE_SPECS: readonly RuleSpec[] = [
  {
    name: 'redFlags',
    title: 'Red flags',
    description: 'Words that must always reach a person, whatever the agent makes of them.',
    phrases: true,
  },
  {
    name: 'humanRequest',
    title: 'Caller asks for a person',
    description: 'An explicit request for a human, a manager or a representative.',
    phrases: true,
  },
  {
    name: 'frustration',
    title: 'Caller is frustrated',
    description: 'Acted on once these phrases were heard the given number of times in the call.',
    phrases: true,
    count: { field: 'times', label: 'Times heard before acting', min: 1, max: 20 },
  },
  {
    name: 'failedTools',
    title: 'Tools keep failing',
    description: 'Tool calls in a row that failed (errors, refusals, timeouts).',
    phrases: false,
    count: { field: 'inARow', label: 'Failed tools in a row', min: 1, max: 20 },
  },
  {
    name: 'handoffRefused',
    title: 'Handoff refused',
    description: 'The agent’s handoff was refused: the call reached the handoff limit, or would bounce back and forth.',
    phrases: false,
  },
  {
    name: 'noProgress',
    title: 'No progress',
    description: 'The caller is still talking after this long with no tool succeeding and no handoff.',
    phrases: false,
    count: { field: 'minutes', label: 'Minutes without progress', min: 1, max: 120 },
  },
];

export const PHRASE_LIMITS = { perList: 100, chars: 80 };

const specOf = (name: string) => RULE_SPECS.find((spec) => spec.name === name);

/** One rule as the form holds it: the phrases as the textarea's text (one per line), the number as typed. */
export interface RuleDraft {
  action: EscalationAction;
  phrases: string;
  count: string;
}

export type EscalationDraft = Record<RuleName, RuleDraft>;

function field<Value>(rule: object | undefined, name: string): Value | undefined {
  return (rule as Record<string, Value> | undefined)?.[name];
}

export function escalationDraftOf(rules: EscalationRules): EscalationDraft {
  const draft = {} as EscalationDraft;
  for (const spec of RULE_SPECS) {
    const rule: object | undefined = rules[spec.name];
    const count = spec.count ? field<number>(rule, spec.count.field) : undefined;
    draft[spec.name] = {
      action: field<EscalationAction>(rule, 'action') ?? 'off',
      phrases: (field<string[]>(rule, 'phrases') ?? []).join('\n'),
      count: count === undefined ? '' : String(count),
    };
  }
  return draft;
}

/** The textarea's phrases: one a line, spaces around them and blank lines dropped. */
export function phrasesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

// Not a number (blank, "abc") goes as NaN, which JSON sends as null: the service refuses it beside the field.
function countOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text.trim());
}

/** The draft as it is saved: blank lines and spaces around phrases gone, so a refused phrase's line is the line shown. */
export function tidyEscalationDraft(draft: EscalationDraft): EscalationDraft {
  const tidy = {} as EscalationDraft;
  for (const spec of RULE_SPECS) {
    const rule = draft[spec.name];
    tidy[spec.name] = { ...rule, phrases: phrasesOf(rule.phrases).join('\n'), count: rule.count.trim() };
  }
  return tidy;
}

/** The rules a save sends. */
export function escalationRulesOf(draft: EscalationDraft): EscalationRules {
  const rules: Record<string, Record<string, unknown>> = {};
  for (const spec of RULE_SPECS) {
    const rule = draft[spec.name];
    rules[spec.name] = {
      ...(spec.phrases ? { phrases: phrasesOf(rule.phrases) } : {}),
      ...(spec.count ? { [spec.count.field]: countOf(rule.count) } : {}),
      action: rule.action,
    };
  }
  return rules as unknown as EscalationRules;
}

export function sameEscalation(a: EscalationDraft, b: EscalationDraft): boolean {
  return JSON.stringify(escalationRulesOf(a)) === JSON.stringify(escalationRulesOf(b));
}

export interface RuleChange {
  rule: RuleName;
  title: string;
  action?: { before: string; after: string };
  count?: { label: string; before: string; after: string };
  phrases?: { before: string[]; after: string[] };
}

const actionLabel = (action: unknown) => ACTION_LABELS[action as EscalationAction] ?? String(action);
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, index) => item === b[index]);

/** What changed, rule by rule, between two versions' rules (unchanged rules left out). */
export function escalationChanges(before: EscalationRules, after: EscalationRules): RuleChange[] {
  const changes: RuleChange[] = [];
  for (const spec of RULE_SPECS) {
    const was: object | undefined = before[spec.name];
    const is: object | undefined = after[spec.name];
    const change: RuleChange = { rule: spec.name, title: spec.title };
    const [actionBefore, actionAfter] = [field(was, 'action'), field(is, 'action')];
    if (actionBefore !== actionAfter) change.action = { before: actionLabel(actionBefore), after: actionLabel(actionAfter) };
    if (spec.count) {
      const [countBefore, countAfter] = [field(was, spec.count.field), field(is, spec.count.field)];
      if (countBefore !== countAfter) change.count = { label: spec.count.label, before: String(countBefore), after: String(countAfter) };
    }
    if (spec.phrases) {
      const [phrasesBefore, phrasesAfter] = [field<string[]>(was, 'phrases') ?? [], field<string[]>(is, 'phrases') ?? []];
      if (!sameList(phrasesBefore, phrasesAfter)) change.phrases = { before: phrasesBefore, after: phrasesAfter };
    }
    if (change.action || change.count || change.phrases) changes.push(change);
  }
  return changes;
}

/** A form input of the rules: `escalation.<rule>.<action|phrases|count field>`. */
export type EscalationInput = `escalation.${RuleName}.${string}`;

/** The input a refused path belongs to (`escalation.redFlags.phrases.3` is the red flags' phrases); undefined: the section as a whole. */
export function escalationInputOf(path: string): EscalationInput | undefined {
  const [root, rule, name] = path.split(/[.[\]]+/);
  const spec = root === 'escalation' ? specOf(rule) : undefined;
  if (!spec || !name) return undefined;
  const known = name === 'action' || (name === 'phrases' && spec.phrases) || name === spec.count?.field;
  return known ? `escalation.${spec.name}.${name}` : undefined;
}

export function escalationInputLabel(input: EscalationInput): string {
  const [, rule, name] = input.split('.');
  const spec = specOf(rule);
  const what = name === 'action' ? 'action' : name === 'phrases' ? 'phrases' : (spec?.count?.label.toLowerCase() ?? name);
  return `${spec?.title ?? rule}: ${what}`;
}

/**
 * The service's message in the form's words: "escalation.failedTools.inARow must be..." reads
 * "Failed tools in a row must be...", a phrase is named by its line, and actions by their labels.
 */
export function readableEscalationMessage(message: string): string {
  const text = message
    .replace(/escalation\.(\w+)\.phrases\.(\d+)/g, (_whole, _rule: string, index: string) => `line ${Number(index) + 1}`)
    .replace(/escalation\.(\w+)\.(\w+)/g, (whole, rule: string, name: string) => {
      const spec = specOf(rule);
      if (!spec) return whole;
      if (name === 'action') return 'the action';
      if (name === 'phrases') return 'the phrase list';
      return spec.count?.field === name ? spec.count.label.toLowerCase() : whole;
    })
    .replace(/\bescalation-handoff\b/g, `“${ACTION_LABELS['escalation-handoff']}”`)
    .replace(/\bhuman-transfer\b/g, `“${ACTION_LABELS['human-transfer']}”`)
    .replace(/\bor off\b/g, `or “${ACTION_LABELS.off}”`);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
