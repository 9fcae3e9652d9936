import {
  defaultEscalationRules,
  ESCALATION_RULE_LIMITS,
  escalationPhraseWords,
  EscalationRules,
} from '../../../src/agents/escalation-rules';
import { agentConfigProblems } from '../../../src/agents/utils/agent-config.validation';
import { escalationRulesProblems } from '../../../src/agents/utils/escalation-rules.validation';
import { agentConfigFactory } from './agent-config.factory';

const AGENT_KEYS = agentConfigFactory.catalog().agentKeys;

function rulesWith(change: (rules: EscalationRules) => void, key = 'billing'): EscalationRules {
  const rules = defaultEscalationRules(key);
  change(rules);
  return rules;
}

function problemsOf(rules: unknown, key = 'billing', agentKeys = AGENT_KEYS) {
  return escalationRulesProblems(key, rules, agentKeys);
}

describe('escalation rules validation', () => {
  it.each(['triage', 'billing', 'refund', 'faq', 'escalation', 'loyalty'])('accepts the defaults of %s', (key) => {
    expect(problemsOf(defaultEscalationRules(key), key)).toEqual([]);
  });

  it('is part of the config: agentConfigProblems names the rule field', () => {
    const content = agentConfigFactory.content({ escalation: rulesWith((rules) => (rules.failedTools.inARow = 0), 'loyalty') });
    expect(agentConfigProblems('loyalty', content, agentConfigFactory.catalog())).toEqual([
      { field: 'escalation.failedTools.inARow', messages: ['escalation.failedTools.inARow must be a whole number from 1 to 20 (got 0)'] },
    ]);
  });

  it('refuses an action outside the list, naming the allowed ones', () => {
    const rules = rulesWith((rules) => Object.assign(rules.redFlags, { action: 'page-the-boss' }));
    expect(problemsOf(rules)).toEqual([
      {
        field: 'escalation.redFlags.action',
        messages: ['escalation.redFlags.action must be one of off, escalation-handoff, human-transfer (got "page-the-boss")'],
      },
    ]);
  });

  it('refuses escalation-handoff in the escalation department itself, pointing at human-transfer or off', () => {
    const rules = rulesWith((rules) => (rules.noProgress.action = 'escalation-handoff'), 'escalation');
    const [problem, ...others] = problemsOf(rules, 'escalation');
    expect(others).toEqual([]);
    expect(problem.field).toBe('escalation.noProgress.action');
    expect(problem.messages[0]).toMatch(/already there.*use human-transfer or off/);
  });

  it('refuses escalation-handoff when there is no escalation department, on every rule using it', () => {
    const problems = problemsOf(defaultEscalationRules('billing'), 'billing', ['triage', 'billing']);
    expect(problems.map((problem) => problem.field)).toEqual([
      'escalation.humanRequest.action',
      'escalation.frustration.action',
      'escalation.failedTools.action',
      'escalation.handoffRefused.action',
      'escalation.noProgress.action',
    ]);
    expect(problems[0].messages[0]).toMatch(/no "escalation" department.*use human-transfer or off/);
  });

  it('accepts human-transfer and off without an escalation department', () => {
    const rules = rulesWith((rules) => {
      for (const rule of Object.values(rules) as { action: string }[]) rule.action = 'off';
      rules.redFlags.action = 'human-transfer';
    });
    expect(problemsOf(rules, 'billing', ['billing'])).toEqual([]);
  });

  it('refuses a phrase list over the limit as a whole', () => {
    const phrases = Array.from({ length: ESCALATION_RULE_LIMITS.phrasesPerList + 1 }, (_, index) => `phrase ${index}`);
    expect(problemsOf(rulesWith((rules) => (rules.frustration.phrases = phrases)))).toEqual([
      { field: 'escalation.frustration.phrases', messages: ['escalation.frustration.phrases must have at most 100 phrases (got 101)'] },
    ]);
  });

  it('names each bad phrase by its index: empty, too long, no letter or digit, not a string', () => {
    const phrases = [
      'fraud',
      '',
      'x'.repeat(ESCALATION_RULE_LIMITS.phraseChars + 1),
      '?!',
      7,
      'x'.repeat(ESCALATION_RULE_LIMITS.phraseChars),
    ];
    const problems = problemsOf(rulesWith((rules) => (rules.redFlags.phrases = phrases as string[])));
    expect(problems).toEqual([
      { field: 'escalation.redFlags.phrases.1', messages: ['escalation.redFlags.phrases.1 must be 1 to 80 characters (got 0)'] },
      { field: 'escalation.redFlags.phrases.2', messages: ['escalation.redFlags.phrases.2 must be 1 to 80 characters (got 81)'] },
      {
        field: 'escalation.redFlags.phrases.3',
        messages: ['escalation.redFlags.phrases.3 must contain at least one letter or digit (got "?!")'],
      },
      { field: 'escalation.redFlags.phrases.4', messages: ['escalation.redFlags.phrases.4 must be a string (got 7)'] },
    ]);
  });

  it('refuses a phrase that repeats an earlier one once case and punctuation are ignored', () => {
    const rules = rulesWith((rules) => (rules.humanRequest.phrases = ['Real person', 'manager', 'real, person!', 'REAL   PERSON']));
    expect(problemsOf(rules)).toEqual([
      {
        field: 'escalation.humanRequest.phrases.2',
        messages: [
          'escalation.humanRequest.phrases.2 "real, person!" repeats escalation.humanRequest.phrases.0 "Real person" (case and punctuation ignored)',
        ],
      },
      {
        field: 'escalation.humanRequest.phrases.3',
        messages: [
          'escalation.humanRequest.phrases.3 "REAL   PERSON" repeats escalation.humanRequest.phrases.0 "Real person" (case and punctuation ignored)',
        ],
      },
    ]);
  });

  it('accepts an empty phrase list (the rule then never fires on words)', () => {
    expect(problemsOf(rulesWith((rules) => (rules.redFlags.phrases = [])))).toEqual([]);
  });

  it.each([
    ['frustration', 'times', 0, 'escalation.frustration.times must be a whole number from 1 to 20 (got 0)'],
    ['frustration', 'times', 21, 'escalation.frustration.times must be a whole number from 1 to 20 (got 21)'],
    ['failedTools', 'inARow', 0, 'escalation.failedTools.inARow must be a whole number from 1 to 20 (got 0)'],
    ['failedTools', 'inARow', 2.5, 'escalation.failedTools.inARow must be a whole number from 1 to 20 (got 2.5)'],
    ['noProgress', 'minutes', 121, 'escalation.noProgress.minutes must be a whole number from 1 to 120 (got 121)'],
    ['noProgress', 'minutes', '5', 'escalation.noProgress.minutes must be a whole number from 1 to 120 (got "5")'],
  ])('refuses %s.%s = %p', (rule, field, value, message) => {
    const rules = rulesWith((rules) => Object.assign((rules as unknown as Record<string, object>)[rule], { [field]: value }));
    expect(problemsOf(rules)).toEqual([{ field: `escalation.${rule}.${field}`, messages: [message] }]);
  });

  it('accepts the numbers at their limits', () => {
    const { frustrationTimes, failedToolsInARow, noProgressMinutes } = ESCALATION_RULE_LIMITS;
    const low = rulesWith((rules) => {
      rules.frustration.times = frustrationTimes.min;
      rules.failedTools.inARow = failedToolsInARow.min;
      rules.noProgress.minutes = noProgressMinutes.min;
    });
    const high = rulesWith((rules) => {
      rules.frustration.times = frustrationTimes.max;
      rules.failedTools.inARow = failedToolsInARow.max;
      rules.noProgress.minutes = noProgressMinutes.max;
    });
    expect([...problemsOf(low), ...problemsOf(high)]).toEqual([]);
  });

  it('checks the shape: not an object, a missing rule or field, unknown rules and fields', () => {
    expect(problemsOf(['off']).map((problem) => problem.field)).toEqual(['escalation']);
    const { redFlags: _missing, ...withoutRedFlags } = defaultEscalationRules('billing');
    const rules = {
      ...withoutRedFlags,
      redFlag: { phrases: [], action: 'off' },
      failedTools: { action: 'off' },
      noProgress: { minutes: 5, action: 'off', after: 3 },
    };
    expect(problemsOf(rules).map((problem) => problem.field)).toEqual([
      'escalation.redFlag',
      'escalation.redFlags',
      'escalation.failedTools.inARow',
      'escalation.noProgress.after',
    ]);
  });
});

describe('escalationPhraseWords', () => {
  it('compares by words: lowercase, accents and apostrophes dropped, punctuation a break', () => {
    expect(escalationPhraseWords("This ISN'T working!")).toEqual(['this', 'isnt', 'working']);
    expect(escalationPhraseWords('  café—refund? ')).toEqual(['cafe', 'refund']);
    expect(escalationPhraseWords('?!')).toEqual([]);
  });
});
