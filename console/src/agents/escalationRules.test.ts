import {
  escalationChanges,
  escalationDraftOf,
  escalationInputLabel,
  escalationInputOf,
  EscalationRules,
  escalationRulesOf,
  phrasesOf,
  readableEscalationMessage,
  sameEscalation,
  tidyEscalationDraft,
} from './escalationRules';

const RULES: EscalationRules = {
  humanRequest: { phrases: ['speak to a human', 'representative'], action: 'escalation-handoff' },
  frustration: { phrases: ['forget it'], times: 2, action: 'escalation-handoff' },
  redFlags: { phrases: ['fraud', 'chest pain'], action: 'human-transfer' },
  failedTools: { inARow: 3, action: 'escalation-handoff' },
  handoffRefused: { action: 'escalation-handoff' },
  noProgress: { minutes: 5, action: 'off' },
};

describe('the escalation draft', () => {
  it('holds phrases one per line and numbers as typed, and gives the same rules back', () => {
    const draft = escalationDraftOf(RULES);
    expect(draft.redFlags).toEqual({ action: 'human-transfer', phrases: 'fraud\nchest pain', count: '' });
    expect(draft.failedTools).toEqual({ action: 'escalation-handoff', phrases: '', count: '3' });
    expect(escalationRulesOf(draft)).toEqual(RULES);
  });

  it('sends the phrases without blank lines or spaces around them, and a number as a number', () => {
    const draft = escalationDraftOf(RULES);
    draft.redFlags.phrases = '  fraud \n\n chest pain\n gas leak \n';
    draft.failedTools.count = ' 4 ';
    const rules = escalationRulesOf(draft);
    expect(rules.redFlags.phrases).toEqual(['fraud', 'chest pain', 'gas leak']);
    expect(rules.failedTools.inARow).toBe(4);
  });

  it('sends what is not a number as null, for the service to refuse beside the field', () => {
    const draft = escalationDraftOf(RULES);
    draft.noProgress.count = '';
    draft.frustration.count = 'two';
    expect(JSON.parse(JSON.stringify(escalationRulesOf(draft)))).toMatchObject({
      noProgress: { minutes: null },
      frustration: { times: null },
    });
  });

  it('sends 0 and fractions as they are (the service refuses them)', () => {
    const draft = escalationDraftOf(RULES);
    draft.failedTools.count = '0';
    draft.noProgress.count = '2.5';
    expect(escalationRulesOf(draft)).toMatchObject({ failedTools: { inARow: 0 }, noProgress: { minutes: 2.5 } });
  });

  it('takes a blank line or spacing for no change, but a new phrase, order or number for one', () => {
    const base = escalationDraftOf(RULES);
    const spaced = escalationDraftOf(RULES);
    spaced.redFlags.phrases = 'fraud\n\n  chest pain  \n';
    expect(sameEscalation(base, spaced)).toBe(true);
    const added = escalationDraftOf(RULES);
    added.redFlags.phrases += '\ngas leak';
    expect(sameEscalation(base, added)).toBe(false);
    const number = escalationDraftOf(RULES);
    number.noProgress.count = '6';
    expect(sameEscalation(base, number)).toBe(false);
    const action = escalationDraftOf(RULES);
    action.handoffRefused.action = 'off';
    expect(sameEscalation(base, action)).toBe(false);
  });

  it('tidies phrases and numbers the way a save sends them, so a refused line is the line shown', () => {
    const draft = escalationDraftOf(RULES);
    draft.humanRequest.phrases = '\n real person\n\nmanager ';
    draft.failedTools.count = ' 0 ';
    const tidy = tidyEscalationDraft(draft);
    expect(tidy.humanRequest.phrases).toBe('real person\nmanager');
    expect(tidy.failedTools.count).toBe('0');
    expect(draft.humanRequest.phrases).toBe('\n real person\n\nmanager ');
  });

  it('reads phrases one a line', () => {
    expect(phrasesOf('a\n\n b \r\nc')).toEqual(['a', 'b', 'c']);
    expect(phrasesOf('   ')).toEqual([]);
  });
});

describe('escalationChanges', () => {
  const changed = (change: (rules: EscalationRules) => void) => {
    const after = structuredClone(RULES);
    change(after);
    return escalationChanges(RULES, after);
  };

  it('is empty for the same rules', () => {
    expect(escalationChanges(RULES, structuredClone(RULES))).toEqual([]);
  });

  it('names the action change by the labels the form uses', () => {
    expect(changed((rules) => (rules.handoffRefused.action = 'human-transfer'))).toEqual([
      { rule: 'handoffRefused', title: 'Handoff refused', action: { before: 'Hand to escalation', after: 'Transfer to a person' } },
    ]);
  });

  it('gives a number change with its label, and the phrase lists before and after', () => {
    expect(
      changed((rules) => {
        rules.failedTools.inARow = 5;
        rules.redFlags.phrases.push('gas leak');
      }),
    ).toEqual([
      { rule: 'redFlags', title: 'Red flags', phrases: { before: ['fraud', 'chest pain'], after: ['fraud', 'chest pain', 'gas leak'] } },
      { rule: 'failedTools', title: 'Tools keep failing', count: { label: 'Failed tools in a row', before: '3', after: '5' } },
    ]);
  });
});

describe('escalationInputOf', () => {
  it.each([
    ['escalation.redFlags.phrases.3', 'escalation.redFlags.phrases'],
    ['escalation.redFlags.phrases[3]', 'escalation.redFlags.phrases'],
    ['escalation.redFlags.action', 'escalation.redFlags.action'],
    ['escalation.failedTools.inARow', 'escalation.failedTools.inARow'],
    ['escalation.noProgress.minutes', 'escalation.noProgress.minutes'],
  ])('puts %p beside %p', (path, input) => {
    expect(escalationInputOf(path)).toBe(input);
  });

  it.each([
    'escalation',
    'escalation.redFlag',
    'escalation.redFlags',
    'escalation.failedTools.phrases',
    'escalation.noProgress.times',
    'escalation.redFlags.colour',
    'tools.1',
  ])('puts %p beside no single rule input', (path) => {
    expect(escalationInputOf(path)).toBeUndefined();
  });

  it('labels an input by its rule and what it is', () => {
    expect(escalationInputLabel('escalation.failedTools.inARow')).toBe('Tools keep failing: failed tools in a row');
    expect(escalationInputLabel('escalation.redFlags.phrases')).toBe('Red flags: phrases');
  });
});

describe('readableEscalationMessage', () => {
  it.each([
    [
      'escalation.failedTools.inARow must be a whole number from 1 to 20 (got 0)',
      'Failed tools in a row must be a whole number from 1 to 20 (got 0)',
    ],
    ['escalation.redFlags.phrases.2 must be 1 to 80 characters (got 81)', 'Line 3 must be 1 to 80 characters (got 81)'],
    [
      'escalation.humanRequest.phrases.2 "real, person!" repeats escalation.humanRequest.phrases.0 "Real person" (case and punctuation ignored)',
      'Line 3 "real, person!" repeats line 1 "Real person" (case and punctuation ignored)',
    ],
    [
      'escalation.humanRequest.action cannot be escalation-handoff in the escalation department (the caller is already there): use human-transfer or off',
      'The action cannot be “Hand to escalation” in the escalation department (the caller is already there): use “Transfer to a person” or “Off”',
    ],
    ['escalation.redFlags.phrases must have at most 100 phrases (got 101)', 'The phrase list must have at most 100 phrases (got 101)'],
    ['unknown escalation rule "redFlag"', 'Unknown escalation rule "redFlag"'],
  ])('reads %p as %p', (message, readable) => {
    expect(readableEscalationMessage(message)).toBe(readable);
  });
});
