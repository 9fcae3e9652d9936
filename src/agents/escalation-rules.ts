/**
 * Escalation the service enforces, per department, whatever the model says: phrases the caller
 * uses, failures of the agent, and what to do about each. Part of the agent config (versioned
 * and validated with it); the live call applies them (sessions/escalation-triggers.ts).
 */

/** off: the rule does nothing. escalation-handoff: hand the caller to the escalation department. human-transfer: to a person at once. */
export const ESCALATION_RULE_ACTIONS = ['off', 'escalation-handoff', 'human-transfer'] as const;
export type EscalationRuleAction = (typeof ESCALATION_RULE_ACTIONS)[number];

export const ESCALATION_DEPARTMENT_KEY = 'escalation';

/** Phrases matched on the caller's finished transcripts: whole words, case and punctuation ignored. */
export interface PhraseRule {
  phrases: string[];
  action: EscalationRuleAction;
}

export interface EscalationRules {
  /** The caller asks for a person ("speak to a human", "representative"). */
  humanRequest: PhraseRule;
  /** Frustration ("this isn't working", "forget it"), acted on once heard `times` times in the call. */
  frustration: PhraseRule & { times: number };
  /** Words that must always reach a person, whatever the model makes of them. */
  redFlags: PhraseRule;
  /** This many tool calls in a row that failed (errors, refusals, timeouts). */
  failedTools: { inARow: number; action: EscalationRuleAction };
  /** The model's handoff was refused because the call reached the handoff limit or would ping-pong. */
  handoffRefused: { action: EscalationRuleAction };
  /** The caller is still talking after this many minutes with no progress (no tool succeeded, no handoff applied). */
  noProgress: { minutes: number; action: EscalationRuleAction };
}

/** Limits the admin API holds rules to. */
export const ESCALATION_RULE_LIMITS = {
  phrasesPerList: 100,
  phraseChars: 80,
  frustrationTimes: { min: 1, max: 20 },
  failedToolsInARow: { min: 1, max: 20 },
  noProgressMinutes: { min: 1, max: 120 },
} as const;

const HUMAN_REQUEST_PHRASES = [
  'speak to a human',
  'talk to a human',
  'speak to a person',
  'talk to a person',
  'speak to someone',
  'talk to someone',
  'real person',
  'human being',
  'live agent',
  'speak to a manager',
  'talk to a manager',
  'speak to your manager',
  'speak to a supervisor',
  'talk to a supervisor',
  'representative',
  'operator',
];

const FRUSTRATION_PHRASES = [
  "this isn't working",
  'this is not working',
  'forget it',
  'never mind',
  'this is ridiculous',
  'waste of time',
  'useless',
  "you're not listening",
  "you don't understand",
  'not helpful',
];

const RED_FLAG_PHRASES = [
  'chest pain',
  "can't breathe",
  'cannot breathe',
  'emergency',
  'suicide',
  'kill myself',
  'hurt myself',
  'fraud',
  'identity theft',
  'stolen card',
  'someone stole',
  'lawyer',
  'legal action',
  'sue you',
];

/** A rule's name and the fields it has, in the order the admin API and the console show them. */
export const ESCALATION_RULE_FIELDS = {
  humanRequest: ['phrases', 'action'],
  frustration: ['phrases', 'times', 'action'],
  redFlags: ['phrases', 'action'],
  failedTools: ['inARow', 'action'],
  handoffRefused: ['action'],
  noProgress: ['minutes', 'action'],
} as const satisfies { [Rule in keyof EscalationRules]: readonly (keyof EscalationRules[Rule])[] };

export type EscalationRuleName = keyof EscalationRules;
export const ESCALATION_RULE_NAMES = Object.keys(ESCALATION_RULE_FIELDS) as EscalationRuleName[];

/**
 * The words a phrase or a transcript is compared by: lowercase, accents and apostrophes dropped
 * ("isn't" -> "isnt"), every other character that is not a letter or digit a break between words.
 * Two phrases with the same words are the same phrase; a phrase with no words can never match.
 */
export function escalationPhraseWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['\u2018\u2019`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/** The defaults, from the source material's triggers: a person on request or frustration, red flags straight to a person. */
export function defaultEscalationRules(departmentKey: string): EscalationRules {
  // The escalation department is where the handoff goes: from there, the next step is a person.
  const escalate: EscalationRuleAction = departmentKey === ESCALATION_DEPARTMENT_KEY ? 'human-transfer' : 'escalation-handoff';
  return {
    humanRequest: { phrases: [...HUMAN_REQUEST_PHRASES], action: escalate },
    frustration: { phrases: [...FRUSTRATION_PHRASES], times: 2, action: escalate },
    redFlags: { phrases: [...RED_FLAG_PHRASES], action: 'human-transfer' },
    failedTools: { inARow: 3, action: escalate },
    handoffRefused: { action: escalate },
    noProgress: { minutes: 5, action: escalate },
  };
}
