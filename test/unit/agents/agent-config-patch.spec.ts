import { defaultEscalationRules } from '../../../src/agents/escalation-rules';
import { AgentConfigPatch, mergeAgentConfigPatch, patchedFields } from '../../../src/agents/services/agent-config-patch';
import { agentConfigFactory } from './agent-config.factory';

describe('mergeAgentConfigPatch', () => {
  const current = agentConfigFactory.content({ tools: ['lookup_order', 'search_faq'], keyterms: ['points', 'tier'] });

  it('changes only the fields the patch names', () => {
    const { content, problems } = mergeAgentConfigPatch('loyalty', current, { greeting: 'Hello there.' });
    expect(content).toEqual({ ...current, greeting: 'Hello there.' });
    expect(problems).toEqual([]);
  });

  it('replaces a list whole rather than merging its items', () => {
    expect(mergeAgentConfigPatch('loyalty', current, { tools: ['create_ticket'] }).content.tools).toEqual(['create_ticket']);
  });

  it('empties a list removed with null', () => {
    const { content, problems } = mergeAgentConfigPatch('loyalty', current, { keyterms: null, handoffTargets: null });
    expect(content).toMatchObject({ keyterms: [], handoffTargets: [] });
    expect(problems).toEqual([]);
  });

  it('refuses to remove a text field, naming it, and keeps the current value in the merged content', () => {
    const { content, problems } = mergeAgentConfigPatch('loyalty', current, { displayName: null, voice: null, greeting: 'Hi' });
    expect(problems.map((problem) => problem.field)).toEqual(['displayName', 'voice']);
    expect(problems[0].messages).toEqual(['displayName cannot be removed (null): an agent always has one']);
    expect(content).toEqual({ ...current, greeting: 'Hi' });
  });

  it('does not touch the current content', () => {
    const before = structuredClone(current);
    mergeAgentConfigPatch('loyalty', current, { tools: [], displayName: 'Other' });
    expect(current).toEqual(before);
  });
});

describe('patchedFields', () => {
  it('lists the content fields a patch sets, null included, in a fixed order', () => {
    expect(patchedFields({})).toEqual([]);
    expect(patchedFields({ keyterms: null, displayName: 'x', voice: undefined })).toEqual(['displayName', 'keyterms']);
  });
});

describe('mergeAgentConfigPatch of the escalation rules', () => {
  const current = agentConfigFactory.content({ escalation: defaultEscalationRules('loyalty') });

  it('merges rules and their fields, keeping what the patch leaves out', () => {
    const { content, problems } = mergeAgentConfigPatch('loyalty', current, {
      escalation: { failedTools: { inARow: 5 }, redFlags: { action: 'off' } },
    });
    expect(problems).toEqual([]);
    expect(content.escalation).toEqual({
      ...current.escalation,
      failedTools: { ...current.escalation.failedTools, inARow: 5 },
      redFlags: { ...current.escalation.redFlags, action: 'off' },
    });
  });

  it('replaces a phrase list whole, and empties it on null', () => {
    const replaced = mergeAgentConfigPatch('loyalty', current, { escalation: { redFlags: { phrases: ['gas leak'] } } });
    expect(replaced.content.escalation.redFlags).toEqual({ phrases: ['gas leak'], action: 'human-transfer' });
    const emptied = mergeAgentConfigPatch('loyalty', current, { escalation: { humanRequest: { phrases: null } } });
    expect(emptied.content.escalation.humanRequest.phrases).toEqual([]);
    expect(emptied.problems).toEqual([]);
  });

  it('refuses to remove a rule or a number, naming the field', () => {
    const { problems } = mergeAgentConfigPatch('loyalty', current, { escalation: { noProgress: null, failedTools: { inARow: null } } });
    expect(problems.map((problem) => problem.field)).toEqual(['escalation.noProgress', 'escalation.failedTools.inARow']);
    expect(problems[0].messages[0]).toMatch(/set its action to off/);
  });

  it('restores the department defaults when escalation itself is removed', () => {
    const changed = { ...current, escalation: { ...current.escalation, redFlags: { phrases: [], action: 'off' as const } } };
    expect(mergeAgentConfigPatch('escalation', changed, { escalation: null }).content.escalation).toEqual(
      defaultEscalationRules('escalation'),
    );
  });

  it('keeps unknown keys (even __proto__) as own fields, for validation to refuse', () => {
    const patch = JSON.parse('{"escalation":{"__proto__":{"x":1},"redFlag":{"action":"off"}}}') as AgentConfigPatch;
    const merged = mergeAgentConfigPatch('loyalty', current, patch).content.escalation as unknown as Record<string, unknown>;
    expect(Object.keys(merged)).toEqual(expect.arrayContaining(['__proto__', 'redFlag']));
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });

  it('does not touch the current rules', () => {
    const before = structuredClone(current);
    mergeAgentConfigPatch('loyalty', current, { escalation: { redFlags: { phrases: ['x'] }, failedTools: { inARow: 9 } } });
    expect(current).toEqual(before);
  });
});
