import {
  agentConfigProblems,
  agentKeyProblems,
  handoffTargetProblems,
  toolProblems,
} from '../../../src/agents/utils/agent-config.validation';
import { agentConfigFactory } from './agent-config.factory';

describe('agent config validation', () => {
  const catalog = agentConfigFactory.catalog();
  const fields = (problems: { field: string }[]) => problems.map((problem) => problem.field);

  it('accepts a valid new department', () => {
    expect(agentConfigProblems('loyalty', agentConfigFactory.content(), catalog)).toEqual([]);
  });

  it.each([
    ['a', 'too short'],
    ['Billing', 'uppercase'],
    ['1abc', 'leading digit'],
    ['has-dash', 'dash'],
    ['x'.repeat(33), 'too long'],
  ])('refuses the key %p (%s)', (key) => {
    expect(agentKeyProblems(key)).toHaveLength(1);
  });

  it('refuses the reserved key human', () => {
    expect(agentKeyProblems('human')[0]).toMatch(/reserved/);
    expect(agentKeyProblems('vip_2')).toEqual([]);
  });

  it('accepts registered tools and transfer_to_human', () => {
    expect(toolProblems(['lookup_order', 'create_ticket', 'transfer_to_human'], catalog)).toEqual([]);
  });

  it('names an unknown tool and lists the known ones', () => {
    const [problem] = toolProblems(['lookup_weather'], catalog);
    expect(problem).toMatch(/unknown tool "lookup_weather"/);
    expect(problem).toContain('transfer_to_human');
  });

  it('refuses transfer_to_<department> in tools, pointing at handoffTargets', () => {
    const [problem] = toolProblems(['transfer_to_billing'], catalog);
    expect(problem).toMatch(/handoffs come from handoffTargets/);
    expect(problem).toContain('"billing"');
  });

  it('refuses duplicate tools', () => {
    expect(toolProblems(['lookup_order', 'lookup_order'], catalog)).toEqual(['tool "lookup_order" is listed more than once']);
  });

  it('refuses a self target, an unknown target, human and duplicates', () => {
    expect(handoffTargetProblems('billing', ['billing'], catalog.agentKeys)[0]).toMatch(/cannot hand off to itself/);
    expect(handoffTargetProblems('billing', ['shipping'], catalog.agentKeys)[0]).toMatch(/unknown agent "shipping"/);
    expect(handoffTargetProblems('billing', ['human'], catalog.agentKeys)[0]).toMatch(/transfer_to_human/);
    expect(handoffTargetProblems('billing', ['faq', 'faq'], catalog.agentKeys)).toEqual(['target "faq" is listed more than once']);
    expect(handoffTargetProblems('billing', ['faq', 'triage'], catalog.agentKeys)).toEqual([]);
  });

  it('refuses a voice outside the catalog', () => {
    const problems = agentConfigProblems('loyalty', agentConfigFactory.content({ voice: 'robot' }), catalog);
    expect(fields(problems)).toEqual(['voice']);
    expect(problems[0].messages[0]).toContain('ivy');
  });

  it('checks lengths, not counting whitespace towards the minimum', () => {
    const content = agentConfigFactory.content({ systemPrompt: `${' '.repeat(60)}short`, greeting: '   ', displayName: 'x'.repeat(81) });
    expect(fields(agentConfigProblems('loyalty', content, catalog))).toEqual(['displayName', 'systemPrompt', 'greeting']);
  });

  it('names every failing field at once', () => {
    const content = agentConfigFactory.content({
      voice: 'robot',
      tools: ['nope'],
      handoffTargets: ['loyalty'],
      keyterms: Array.from({ length: 101 }, (_, index) => `k${index}`),
    });
    expect(fields(agentConfigProblems('Bad-Key', content, catalog))).toEqual(['key', 'voice', 'tools', 'handoffTargets', 'keyterms']);
  });
});
