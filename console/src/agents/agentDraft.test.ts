import { ApiError, ErrorBody } from '../api/client';
import { AgentDraft, DRAFT_FIELDS } from './agent.types';
import { changedFields, defaultNote, draftFieldOf, fieldProblemsOf, formInputLabel, formInputOf, reapply, refusalOf } from './agentDraft';
import { escalationDraftOf, EscalationRules } from './escalationRules';

const RULES: EscalationRules = {
  humanRequest: { phrases: ['speak to a human'], action: 'escalation-handoff' },
  frustration: { phrases: ['forget it'], times: 2, action: 'escalation-handoff' },
  redFlags: { phrases: ['fraud'], action: 'human-transfer' },
  failedTools: { inARow: 3, action: 'escalation-handoff' },
  handoffRefused: { action: 'escalation-handoff' },
  noProgress: { minutes: 5, action: 'off' },
};

const BASE: AgentDraft = {
  displayName: 'Billing',
  systemPrompt: 'You handle billing questions.',
  greeting: 'Billing, how can I help?',
  voice: 'alloy',
  tools: ['lookup_account', 'lookup_invoice'],
  handoffTargets: ['refund', 'triage'],
  escalation: escalationDraftOf(RULES),
  note: '',
};

const withRules = (change: (rules: EscalationRules) => void) => {
  const rules = structuredClone(RULES);
  change(rules);
  return escalationDraftOf(rules);
};

const edit = (changes: Partial<AgentDraft>): AgentDraft => ({ ...BASE, ...changes });

describe('changedFields', () => {
  it('is empty for the same draft', () => {
    expect(changedFields(BASE, edit({}))).toEqual([]);
  });

  it('lists the changed fields in the order the form shows them', () => {
    const after = edit({ handoffTargets: ['triage'], displayName: 'Billing desk', voice: 'verse' });
    expect(changedFields(BASE, after)).toEqual(['displayName', 'voice', 'handoffTargets']);
  });

  it('lists every content field when all changed', () => {
    const after: AgentDraft = {
      displayName: 'x',
      systemPrompt: 'x',
      greeting: 'x',
      voice: 'x',
      tools: [],
      handoffTargets: [],
      escalation: withRules((rules) => (rules.redFlags.action = 'off')),
      note: 'x',
    };
    expect(changedFields(BASE, after)).toEqual(DRAFT_FIELDS.filter((field) => field !== 'note'));
  });

  it('never lists the change note', () => {
    expect(changedFields(BASE, edit({ note: 'why I saved' }))).toEqual([]);
  });

  it('does not take a list in another order for a change', () => {
    expect(changedFields(BASE, edit({ tools: ['lookup_invoice', 'lookup_account'] }))).toEqual([]);
  });

  it('takes a list with an item added, removed or replaced for a change', () => {
    expect(changedFields(BASE, edit({ tools: [...BASE.tools, 'create_ticket'] }))).toEqual(['tools']);
    expect(changedFields(BASE, edit({ tools: ['lookup_account'] }))).toEqual(['tools']);
    expect(changedFields(BASE, edit({ tools: ['lookup_account', 'create_ticket'] }))).toEqual(['tools']);
    expect(changedFields(BASE, edit({ tools: ['lookup_account', 'lookup_account'] }))).toEqual(['tools']);
  });

  it('takes whitespace in a text for a change', () => {
    expect(changedFields(BASE, edit({ systemPrompt: `${BASE.systemPrompt}\n` }))).toEqual(['systemPrompt']);
  });

  it('does not reorder the lists it compares', () => {
    const after = edit({ tools: ['lookup_invoice', 'lookup_account'] });
    changedFields(BASE, after);
    expect(after.tools).toEqual(['lookup_invoice', 'lookup_account']);
    expect(BASE.tools).toEqual(['lookup_account', 'lookup_invoice']);
  });
});

describe('changedFields of the escalation rules', () => {
  it('takes a rule changed for a change of the escalation rules', () => {
    expect(changedFields(BASE, edit({ escalation: withRules((rules) => rules.redFlags.phrases.push('gas leak')) }))).toEqual([
      'escalation',
    ]);
    expect(defaultNote(BASE, edit({ escalation: withRules((rules) => (rules.failedTools.inARow = 4)) }))).toBe('changed escalation rules');
  });

  it('does not take a blank line in a phrase list for a change', () => {
    const escalation = escalationDraftOf(RULES);
    escalation.redFlags.phrases += '\n\n';
    expect(changedFields(BASE, edit({ escalation }))).toEqual([]);
  });

  it('gives my rules whole where I changed any, and theirs where I did not', () => {
    const theirs = edit({ escalation: withRules((rules) => (rules.noProgress.minutes = 9)) });
    const mine = edit({ escalation: withRules((rules) => (rules.failedTools.inARow = 4)) });
    expect(reapply(theirs, BASE, mine).escalation).toEqual(mine.escalation);
    expect(reapply(theirs, BASE, edit({ greeting: 'Hi' })).escalation).toEqual(theirs.escalation);
  });
});

describe('defaultNote', () => {
  it('says what changed, by the labels the form shows', () => {
    expect(defaultNote(BASE, edit({ systemPrompt: 'New prompt', tools: ['lookup_account'] }))).toBe('changed prompt, tools');
    expect(defaultNote(BASE, edit({ displayName: 'B', handoffTargets: [] }))).toBe('changed display name, handoff targets');
  });

  it('says the console saved it when no content changed', () => {
    expect(defaultNote(BASE, edit({}))).toBe('saved from the console');
    expect(defaultNote(BASE, edit({ note: 'only a note', tools: ['lookup_invoice', 'lookup_account'] }))).toBe('saved from the console');
  });
});

describe('reapply', () => {
  it('keeps their changes to fields I never touched and my changes to the fields I did', () => {
    const theirs = edit({ greeting: 'Hi, billing here.', tools: [...BASE.tools, 'create_ticket'] });
    const mine = edit({ systemPrompt: 'You handle billing and invoices.', voice: 'verse', note: 'clearer prompt' });
    expect(reapply(theirs, BASE, mine)).toEqual({
      ...BASE,
      greeting: 'Hi, billing here.',
      tools: [...BASE.tools, 'create_ticket'],
      systemPrompt: 'You handle billing and invoices.',
      voice: 'verse',
      note: 'clearer prompt',
    });
  });

  it('gives my value where we both changed a field', () => {
    const theirs = edit({ systemPrompt: 'Their prompt.', displayName: 'Their name' });
    const mine = edit({ systemPrompt: 'My prompt.' });
    expect(reapply(theirs, BASE, mine)).toEqual({ ...BASE, systemPrompt: 'My prompt.', displayName: 'Their name' });
  });

  it('gives my list where we both changed it, not a merge of the two', () => {
    const theirs = edit({ handoffTargets: ['refund', 'triage', 'faq'] });
    const mine = edit({ handoffTargets: ['refund'] });
    expect(reapply(theirs, BASE, mine).handoffTargets).toEqual(['refund']);
  });

  it('keeps their list where I only reordered mine', () => {
    const theirs = edit({ tools: ['lookup_account'] });
    const mine = edit({ tools: ['lookup_invoice', 'lookup_account'] });
    expect(reapply(theirs, BASE, mine).tools).toEqual(['lookup_account']);
  });

  it('keeps their value where I changed a field and changed it back', () => {
    const theirs = edit({ greeting: 'Their greeting' });
    const mine = edit({ greeting: BASE.greeting });
    expect(reapply(theirs, BASE, mine).greeting).toBe('Their greeting');
  });

  it('is their version with my note when I changed nothing', () => {
    const theirs = edit({ voice: 'echo', note: 'their note' });
    expect(reapply(theirs, BASE, edit({ note: 'my note' }))).toEqual({ ...theirs, note: 'my note' });
  });

  it('is my draft when they changed nothing', () => {
    const mine = edit({ displayName: 'Billing desk', tools: ['lookup_invoice'], note: 'n' });
    expect(reapply(BASE, BASE, mine)).toEqual(mine);
  });

  it('gives the fields both changed as the ones to review (what the editor warns about)', () => {
    const theirs = edit({ systemPrompt: 'Their prompt.', greeting: 'Their greeting' });
    const mine = edit({ systemPrompt: 'My prompt.', voice: 'verse' });
    const mineChanged = changedFields(BASE, mine);
    expect(changedFields(BASE, theirs).filter((field) => mineChanged.includes(field))).toEqual(['systemPrompt']);
  });

  it('changes none of its arguments', () => {
    const theirs = edit({ greeting: 'Their greeting' });
    const mine = edit({ systemPrompt: 'Mine', note: 'n' });
    const copies = JSON.stringify([theirs, BASE, mine]);
    reapply(theirs, BASE, mine);
    expect(JSON.stringify([theirs, BASE, mine])).toBe(copies);
  });
});

describe('fieldProblemsOf', () => {
  it('reads the list the service sends', () => {
    const fields = [
      { field: 'systemPrompt', messages: ['systemPrompt should not be empty'] },
      { field: 'tools.1', messages: ['unknown tool', 'duplicate'] },
    ];
    expect(fieldProblemsOf(fields)).toEqual(fields);
  });

  it('skips list entries without a field name, and reads odd messages', () => {
    expect(
      fieldProblemsOf([
        null,
        'voice',
        { messages: ['x'] },
        { field: 1, messages: ['x'] },
        { field: 'voice', messages: 'bad voice' },
        { field: 'note' },
        { field: 'tools', messages: [1, true] },
      ]),
    ).toEqual([
      { field: 'voice', messages: ['bad voice'] },
      { field: 'note', messages: [] },
      { field: 'tools', messages: ['1', 'true'] },
    ]);
  });

  it('reads a map of path to messages', () => {
    expect(fieldProblemsOf({ 'voice.value': ['unknown voice'], greeting: 'too long', note: null })).toEqual([
      { field: 'voice.value', messages: ['unknown voice'] },
      { field: 'greeting', messages: ['too long'] },
      { field: 'note', messages: [] },
    ]);
  });

  it.each([undefined, null, 'tools', 42])('reads %p as no problems', (fields) => {
    expect(fieldProblemsOf(fields)).toEqual([]);
  });
});

describe('draftFieldOf', () => {
  it.each([
    ['systemPrompt', 'systemPrompt'],
    ['tools.2', 'tools'],
    ['tools[2]', 'tools'],
    ['voice.value', 'voice'],
    ['handoffTargets.0', 'handoffTargets'],
    ['note', 'note'],
  ])('puts %p beside the %p input', (path, field) => {
    expect(draftFieldOf(path)).toBe(field);
  });

  it.each(['keyterms', 'tool', 'toolsExtra', 'Tools', '', '.tools', 'version', 'constructor'])('puts %p beside no input', (path) => {
    expect(draftFieldOf(path)).toBeUndefined();
  });
});

describe('formInputOf', () => {
  it.each([
    ['escalation.failedTools.inARow', 'escalation.failedTools.inARow'],
    ['escalation.redFlags.phrases.3', 'escalation.redFlags.phrases'],
    ['escalation.redFlag', 'escalation'],
    ['escalation', 'escalation'],
    ['tools.2', 'tools'],
  ])('puts %p beside %p', (path, input) => {
    expect(formInputOf(path)).toBe(input);
  });

  it('names a rule input under the section in the summary', () => {
    expect(formInputLabel('escalation.failedTools.inARow')).toBe('Escalation rules, Tools keep failing: failed tools in a row');
    expect(formInputLabel('greeting')).toBe('Greeting');
  });
});

describe('refusalOf', () => {
  const refusal = (body: Omit<Partial<ErrorBody>, 'fields'> & { fields?: unknown }) =>
    refusalOf(new ApiError(400, { status: 400, message: 'Validation failed', ...body } as ErrorBody));

  it('puts each problem beside its input, in the words the form uses', () => {
    expect(
      refusal({
        fields: [
          { field: 'systemPrompt', messages: ['systemPrompt should not be empty'] },
          { field: 'handoffTargets', messages: ['handoffTargets must contain no more than 4 elements'] },
          { field: 'voice.value', messages: ['voice.value must be one of alloy, verse'] },
        ],
      }),
    ).toEqual({
      message: 'Validation failed',
      byField: {
        systemPrompt: ['Prompt should not be empty'],
        handoffTargets: ['Handoff targets must contain no more than 4 elements'],
        voice: ['voice.value must be one of alloy, verse'],
      },
      unmapped: [],
    });
  });

  it('only rewrites a message that starts with the field name as a word', () => {
    const { byField } = refusal({
      fields: [{ field: 'greeting', messages: ['greetings must be short', 'each greeting must be short', 'greeting must be short'] }],
    });
    expect(byField.greeting).toEqual(['greetings must be short', 'each greeting must be short', 'Greeting must be short']);
  });

  it('gathers the problems of every path under one input', () => {
    const { byField } = refusal({
      fields: [
        { field: 'tools.0', messages: ['unknown tool lookup_x'] },
        { field: 'displayName', messages: ['displayName must be shorter'] },
        { field: 'tools[3]', messages: ['unknown tool lookup_y'] },
      ],
    });
    expect(byField).toEqual({ tools: ['unknown tool lookup_x', 'unknown tool lookup_y'], displayName: ['Display name must be shorter'] });
  });

  it("puts escalation problems beside the rule input they name, in the form's words, and the rest beside the section", () => {
    const { byField, unmapped } = refusal({
      fields: [
        { field: 'escalation.failedTools.inARow', messages: ['escalation.failedTools.inARow must be a whole number from 1 to 20 (got 0)'] },
        {
          field: 'escalation.redFlags.phrases.1',
          messages: ['escalation.redFlags.phrases.1 must contain at least one letter or digit (got "?")'],
        },
        { field: 'escalation.redFlag', messages: ['unknown escalation rule "redFlag"; the rules are humanRequest'] },
      ],
    });
    expect(byField).toEqual({
      'escalation.failedTools.inARow': ['Failed tools in a row must be a whole number from 1 to 20 (got 0)'],
      'escalation.redFlags.phrases': ['Line 2 must contain at least one letter or digit (got "?")'],
      escalation: ['Unknown escalation rule "redFlag"; the rules are humanRequest'],
    });
    expect(unmapped).toEqual([]);
  });

  it('keeps problems no input shows apart, as they came', () => {
    const result = refusal({
      fields: [
        { field: 'keyterms', messages: ['keyterms must be unique'] },
        { field: 'greeting', messages: ['greeting must be shorter'] },
      ],
    });
    expect(result.byField).toEqual({ greeting: ['Greeting must be shorter'] });
    expect(result.unmapped).toEqual([{ field: 'keyterms', messages: ['keyterms must be unique'] }]);
  });

  it('reads a map of fields too', () => {
    expect(refusal({ fields: { 'tools.1': ['duplicate'] } }).byField).toEqual({ tools: ['duplicate'] });
  });

  it.each([
    ['no fields', {}],
    ['an empty list of fields', { fields: [] }],
    ['fields it cannot read', { fields: 'bad' }],
  ])('says the message of a refusal with %s', (_what, body) => {
    expect(refusal({ ...body, message: 'The agent changed since you loaded it' })).toEqual({
      message: 'The agent changed since you loaded it',
      byField: {},
      unmapped: [{ field: '', messages: ['The agent changed since you loaded it'] }],
    });
  });

  it('does not add the message when only unmapped problems came', () => {
    const result = refusal({ fields: [{ field: 'keyterms', messages: ['too many'] }] });
    expect(result.unmapped).toEqual([{ field: 'keyterms', messages: ['too many'] }]);
  });
});
