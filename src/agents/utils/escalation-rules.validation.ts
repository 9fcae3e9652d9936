import {
  ESCALATION_DEPARTMENT_KEY,
  ESCALATION_RULE_ACTIONS,
  ESCALATION_RULE_FIELDS,
  ESCALATION_RULE_LIMITS,
  ESCALATION_RULE_NAMES,
  EscalationRuleName,
  escalationPhraseWords,
} from '../escalation-rules';

/** One failing field of the rules, named as a dotted path from the config (`escalation.redFlags.phrases.3`). */
export interface EscalationRuleProblem {
  field: string;
  messages: string[];
}

const NUMBER_LIMITS: Record<string, { min: number; max: number }> = {
  'frustration.times': ESCALATION_RULE_LIMITS.frustrationTimes,
  'failedTools.inARow': ESCALATION_RULE_LIMITS.failedToolsInARow,
  'noProgress.minutes': ESCALATION_RULE_LIMITS.noProgressMinutes,
};

const ROOT = 'escalation';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

class Problems {
  private readonly byField = new Map<string, string[]>();

  add(field: string, message: string): void {
    this.byField.set(field, [...(this.byField.get(field) ?? []), message]);
  }

  list(): EscalationRuleProblem[] {
    return [...this.byField].map(([field, messages]) => ({ field, messages }));
  }
}

function checkAction(problems: Problems, field: string, action: unknown, departmentKey: string, agentKeys: readonly string[]): void {
  if (typeof action !== 'string' || !(ESCALATION_RULE_ACTIONS as readonly string[]).includes(action)) {
    problems.add(field, `${field} must be one of ${ESCALATION_RULE_ACTIONS.join(', ')} (got ${shown(action)})`);
  } else if (action === 'escalation-handoff' && departmentKey === ESCALATION_DEPARTMENT_KEY) {
    problems.add(
      field,
      `${field} cannot be escalation-handoff in the escalation department (the caller is already there): use human-transfer or off`,
    );
  } else if (action === 'escalation-handoff' && !agentKeys.includes(ESCALATION_DEPARTMENT_KEY)) {
    problems.add(
      field,
      `${field} cannot be escalation-handoff: there is no "${ESCALATION_DEPARTMENT_KEY}" department to hand off to; use human-transfer or off`,
    );
  }
}

function checkPhrases(problems: Problems, field: string, phrases: unknown): void {
  const { phrasesPerList, phraseChars } = ESCALATION_RULE_LIMITS;
  if (!Array.isArray(phrases)) {
    problems.add(field, `${field} must be a list of phrases (got ${shown(phrases)})`);
    return;
  }
  // Past the limit the items are not checked one by one: the list is refused as a whole.
  if (phrases.length > phrasesPerList) {
    problems.add(field, `${field} must have at most ${phrasesPerList} phrases (got ${phrases.length})`);
    return;
  }
  const seen = new Map<string, number>();
  phrases.forEach((phrase: unknown, index) => {
    const item = `${field}.${index}`;
    if (typeof phrase !== 'string') return problems.add(item, `${item} must be a string (got ${shown(phrase)})`);
    if (phrase.length < 1 || phrase.length > phraseChars)
      return problems.add(item, `${item} must be 1 to ${phraseChars} characters (got ${phrase.length})`);
    const words = escalationPhraseWords(phrase).join(' ');
    if (words === '') return problems.add(item, `${item} must contain at least one letter or digit (got ${shown(phrase)})`);
    const first = seen.get(words);
    if (first !== undefined)
      return problems.add(
        item,
        `${item} "${phrase}" repeats ${field}.${first} "${phrases[first] as string}" (case and punctuation ignored)`,
      );
    seen.set(words, index);
  });
}

function checkNumber(problems: Problems, field: string, value: unknown, { min, max }: { min: number; max: number }): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    problems.add(field, `${field} must be a whole number from ${min} to ${max} (got ${shown(value)})`);
}

/**
 * What is wrong with a department's escalation rules, each problem on the field it concerns. Takes
 * the rules as they came (a body or a merged patch), so the shape itself is checked too: every rule
 * and field present, nothing unknown. `agentKeys` are the stored departments.
 */
export function escalationRulesProblems(departmentKey: string, rules: unknown, agentKeys: readonly string[]): EscalationRuleProblem[] {
  const problems = new Problems();
  if (!isPlainObject(rules)) {
    problems.add(ROOT, `${ROOT} must be an object with the rules ${ESCALATION_RULE_NAMES.join(', ')} (got ${shown(rules)})`);
    return problems.list();
  }
  for (const name of Object.keys(rules))
    if (!(ESCALATION_RULE_NAMES as string[]).includes(name))
      problems.add(`${ROOT}.${name}`, `unknown escalation rule "${name}"; the rules are ${ESCALATION_RULE_NAMES.join(', ')}`);
  for (const name of ESCALATION_RULE_NAMES) {
    const ruleField = `${ROOT}.${name}`;
    const rule = rules[name];
    const fields: readonly string[] = ESCALATION_RULE_FIELDS[name];
    if (!isPlainObject(rule)) {
      problems.add(ruleField, `${ruleField} must be an object with ${fields.join(', ')} (got ${shown(rule)})`);
      continue;
    }
    for (const field of Object.keys(rule))
      if (!fields.includes(field)) problems.add(`${ruleField}.${field}`, `unknown field "${field}"; ${name} has ${fields.join(', ')}`);
    for (const field of fields) checkField(problems, name, field, rule[field], departmentKey, agentKeys);
  }
  return problems.list();
}

function checkField(
  problems: Problems,
  rule: EscalationRuleName,
  field: string,
  value: unknown,
  departmentKey: string,
  agentKeys: readonly string[],
): void {
  const path = `${ROOT}.${rule}.${field}`;
  if (field === 'action') checkAction(problems, path, value, departmentKey, agentKeys);
  else if (field === 'phrases') checkPhrases(problems, path, value);
  else checkNumber(problems, path, value, NUMBER_LIMITS[`${rule}.${field}`]);
}
