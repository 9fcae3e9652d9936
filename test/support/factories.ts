import { AgentConfig } from '../../src/agents/agent-config.types';
import { defaultEscalationRules } from '../../src/agents/escalation-rules';
import { emptyFacts, KnownFacts } from '../../src/agents/tools/known-facts';
import { ProviderTool } from '../../src/voice-agent/voice-agent.types';

let sequence = 0;

export const factory = {
  agent(overrides: Partial<AgentConfig> = {}): AgentConfig {
    const key = overrides.key ?? `dept${++sequence}`;
    return {
      key,
      displayName: key[0].toUpperCase() + key.slice(1),
      version: 1,
      systemPrompt: `You are the ${key} agent for Acme support.\nFollow the runbook.`,
      greeting: `Hello from ${key}.`,
      voice: 'ivy',
      tools: [],
      handoffTargets: [],
      keyterms: [],
      escalation: defaultEscalationRules(overrides.key ?? key),
      ...overrides,
    };
  },

  /** triage -> billing/refund/faq/escalation, as the defaults wire them. */
  departments(): Map<string, AgentConfig> {
    const agents = [
      factory.agent({
        key: 'triage',
        displayName: 'Triage',
        tools: ['lookup_order', 'lookup_account_by_email'],
        handoffTargets: ['billing', 'refund', 'faq', 'escalation'],
      }),
      factory.agent({
        key: 'billing',
        displayName: 'Billing',
        voice: 'james',
        tools: ['lookup_account_by_email', 'check_billing', 'create_ticket'],
        handoffTargets: ['refund', 'faq', 'escalation', 'triage'],
      }),
      factory.agent({
        key: 'refund',
        displayName: 'Refunds',
        voice: 'sophie',
        tools: ['lookup_order', 'process_refund'],
        handoffTargets: ['billing', 'escalation', 'triage'],
      }),
      factory.agent({ key: 'faq', displayName: 'FAQ', tools: ['search_faq'], handoffTargets: ['triage', 'escalation'] }),
      factory.agent({ key: 'escalation', displayName: 'Escalation', tools: ['create_ticket', 'transfer_to_human'], handoffTargets: [] }),
    ];
    return new Map(agents.map((agent) => [agent.key, agent]));
  },

  tool(name: string): ProviderTool {
    return { type: 'function', name, description: `${name} tool`, parameters: { type: 'object', properties: {} } };
  },

  facts(overrides: Partial<KnownFacts> = {}): KnownFacts {
    return { ...emptyFacts(), ...overrides };
  },
};
