import { mergeAgentConfigPatch, patchedFields } from '../../../src/agents/services/agent-config-patch';
import { agentConfigFactory } from './agent-config.factory';

describe('mergeAgentConfigPatch', () => {
  const current = agentConfigFactory.content({ tools: ['lookup_order', 'search_faq'], keyterms: ['points', 'tier'] });

  it('changes only the fields the patch names', () => {
    const { content, problems } = mergeAgentConfigPatch(current, { greeting: 'Hello there.' });
    expect(content).toEqual({ ...current, greeting: 'Hello there.' });
    expect(problems).toEqual([]);
  });

  it('replaces a list whole rather than merging its items', () => {
    expect(mergeAgentConfigPatch(current, { tools: ['create_ticket'] }).content.tools).toEqual(['create_ticket']);
  });

  it('empties a list removed with null', () => {
    const { content, problems } = mergeAgentConfigPatch(current, { keyterms: null, handoffTargets: null });
    expect(content).toMatchObject({ keyterms: [], handoffTargets: [] });
    expect(problems).toEqual([]);
  });

  it('refuses to remove a text field, naming it, and keeps the current value in the merged content', () => {
    const { content, problems } = mergeAgentConfigPatch(current, { displayName: null, voice: null, greeting: 'Hi' });
    expect(problems.map((problem) => problem.field)).toEqual(['displayName', 'voice']);
    expect(problems[0].messages).toEqual(['displayName cannot be removed (null): an agent always has one']);
    expect(content).toEqual({ ...current, greeting: 'Hi' });
  });

  it('does not touch the current content', () => {
    const before = structuredClone(current);
    mergeAgentConfigPatch(current, { tools: [], displayName: 'Other' });
    expect(current).toEqual(before);
  });
});

describe('patchedFields', () => {
  it('lists the content fields a patch sets, null included, in a fixed order', () => {
    expect(patchedFields({})).toEqual([]);
    expect(patchedFields({ keyterms: null, displayName: 'x', voice: undefined })).toEqual(['displayName', 'keyterms']);
  });
});
