import { DEFAULT_AGENT_CONFIGS } from '../../../src/agents/agent-config.defaults';
import { ENTRY_AGENT_KEY } from '../../../src/agents/agent-config.types';
import { RUNBOOK_SECTIONS } from '../../../src/agents/agent-runbook';
import { agentConfigProblems } from '../../../src/agents/utils/agent-config.validation';
import { VOICE_AGENT_VOICES } from '../../../src/voice-agent/voice-agent.voices';
import { factory as toolFactory } from '../tools/tool-test.factory';
import { agentConfigFactory, DOCUMENTED_BACKEND_TOOLS } from './agent-config.factory';

describe('default agent configs', () => {
  const keys = DEFAULT_AGENT_CONFIGS.map((config) => config.key);
  const byKey = Object.fromEntries(DEFAULT_AGENT_CONFIGS.map((config) => [config.key, config]));

  it('are the five built-in departments, triage (the entry agent) first', () => {
    expect(keys).toEqual(['triage', 'billing', 'refund', 'faq', 'escalation']);
    expect(keys[0]).toBe(ENTRY_AGENT_KEY);
  });

  it('pass the same validation an admin edit does, against the documented tools and the voice catalog', () => {
    const catalog = agentConfigFactory.catalog({ voices: VOICE_AGENT_VOICES, agentKeys: keys });
    for (const config of DEFAULT_AGENT_CONFIGS) {
      expect({ key: config.key, problems: agentConfigProblems(config.key, config, catalog) }).toEqual({ key: config.key, problems: [] });
    }
  });

  it('only list tools the registry serves (or transfer_to_human)', () => {
    expect(
      toolFactory
        .registeredTools()
        .map((tool) => tool.name)
        .sort(),
    ).toEqual([...DOCUMENTED_BACKEND_TOOLS].sort());
    for (const config of DEFAULT_AGENT_CONFIGS) {
      for (const tool of config.tools) expect([...DOCUMENTED_BACKEND_TOOLS, 'transfer_to_human']).toContain(tool);
    }
  });

  it('match the tool and route table of DESIGN.md', () => {
    expect(byKey.triage).toMatchObject({
      tools: ['lookup_order', 'lookup_account_by_email'],
      handoffTargets: ['billing', 'refund', 'faq', 'escalation'],
    });
    expect(byKey.billing).toMatchObject({
      tools: ['lookup_order', 'lookup_account_by_email', 'list_recent_orders', 'check_billing', 'create_ticket'],
      handoffTargets: ['refund', 'faq', 'escalation', 'triage'],
    });
    expect(byKey.refund).toMatchObject({
      tools: ['lookup_order', 'lookup_account_by_email', 'list_recent_orders', 'process_refund', 'create_ticket'],
      handoffTargets: ['billing', 'escalation', 'triage'],
    });
    expect(byKey.faq).toMatchObject({ tools: ['lookup_order', 'search_faq'], handoffTargets: ['triage', 'escalation'] });
    expect(byKey.escalation).toMatchObject({ tools: ['create_ticket', 'transfer_to_human'], handoffTargets: [] });
    expect(byKey.triage.greeting).toBe('Hi, thanks for calling Acme support. This is Avery. How can I help you today?');
  });

  it('give every department a distinct voice from the catalog', () => {
    const voices = DEFAULT_AGENT_CONFIGS.map((config) => config.voice);
    expect(new Set(voices).size).toBe(voices.length);
    for (const voice of voices) expect(VOICE_AGENT_VOICES).toContain(voice);
  });

  it('open every prompt with the department line and contain every runbook section in order', () => {
    const names: Record<string, string> = { triage: 'Triage', billing: 'Billing', refund: 'Refund', faq: 'FAQ', escalation: 'Escalation' };
    for (const config of DEFAULT_AGENT_CONFIGS) {
      expect(config.systemPrompt.split('\n')[0]).toBe(`You are the ${names[config.key]} agent for Acme support.`);
      const positions = RUNBOOK_SECTIONS.map((section) => config.systemPrompt.indexOf(`## ${section}\n`));
      expect(positions.every((position) => position > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  });

  it('carry the rules every department must follow', () => {
    for (const config of DEFAULT_AGENT_CONFIGS) {
      const prompt = config.systemPrompt;
      expect(prompt).toContain('lookup_account_by_email has verified the caller in this call');
      expect(prompt).toContain('"Handoff context"');
      expect(prompt).toMatch(/NEVER invent an order ID, order status, .*tracking number, amount.*refund/);
      expect(prompt).toContain('"Let me check that for you."');
      expect(prompt).toMatch(/one or two short sentences per turn/);
      expect(prompt).toMatch(/Never use lists, bullet points, markdown/);
      for (const target of config.handoffTargets) expect(prompt).toContain(`transfer_to_${target}`);
      // The local provider reads these markers as facts; a runbook must never contain them.
      expect(prompt).not.toMatch(/Verified account:|Order in question:|Caller name:/i);
    }
  });

  it('state the department rules: refund window, escalation to a human, FAQ answers from search only', () => {
    expect(byKey.refund.systemPrompt).toMatch(/within 30 days/);
    expect(byKey.refund.systemPrompt).toMatch(/original payment method/);
    expect(byKey.refund.systemPrompt).toMatch(/5 to 7 business days/);
    expect(byKey.refund.systemPrompt).toMatch(/amount comes from the order/);
    expect(byKey.refund.systemPrompt).toMatch(/disputes their eligibility.*escalation/s);
    expect(byKey.escalation.systemPrompt).toMatch(/transfer_to_human with a short reason and a one-sentence summary/);
    expect(byKey.escalation.systemPrompt).toMatch(/Never promise an outcome/);
    expect(byKey.escalation.systemPrompt).toMatch(/name, the account email, the order ID.*what happened, and what the caller wants/s);
    expect(byKey.faq.systemPrompt).toMatch(/Answer only from the search_faq results/);
  });

  it('include speech keyterms such as order ids', () => {
    for (const config of DEFAULT_AGENT_CONFIGS) expect(config.keyterms).toContain('ORD');
    expect(byKey.billing.keyterms).toContain('invoice');
    expect(byKey.refund.keyterms).toContain('refund');
  });
});
