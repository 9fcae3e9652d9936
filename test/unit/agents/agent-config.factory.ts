import { AgentConfigContent, AgentConfigCatalog } from '../../../src/agents/utils/agent-config.validation';
import { AgentConfigRecord } from '../../../src/agents/services/agent-config.repository';
import { defaultEscalationRules } from '../../../src/agents/escalation-rules';

// The tools DESIGN.md documents (the registry serves the backend ones).
export const DOCUMENTED_BACKEND_TOOLS = [
  'lookup_order',
  'lookup_account_by_email',
  'list_recent_orders',
  'check_billing',
  'process_refund',
  'search_faq',
  'create_ticket',
];
export const DOCUMENTED_VOICES = ['ivy', 'james', 'sophie', 'claire', 'dawn'];

export const agentConfigFactory = {
  content(overrides: Partial<AgentConfigContent> = {}): AgentConfigContent {
    return {
      displayName: 'Loyalty',
      systemPrompt: 'You are the Loyalty agent for Acme support. Help callers with loyalty points, briefly and warmly.',
      greeting: 'Hi, this is Acme loyalty. How can I help?',
      voice: 'ivy',
      tools: ['lookup_order'],
      handoffTargets: ['triage'],
      keyterms: ['points'],
      escalation: defaultEscalationRules('loyalty'),
      ...overrides,
    };
  },

  catalog(overrides: Partial<AgentConfigCatalog> = {}): AgentConfigCatalog {
    return {
      voices: DOCUMENTED_VOICES,
      isBackendTool: (name) => DOCUMENTED_BACKEND_TOOLS.includes(name),
      backendToolNames: DOCUMENTED_BACKEND_TOOLS,
      agentKeys: ['triage', 'billing', 'refund', 'faq', 'escalation'],
      ...overrides,
    };
  },

  record(overrides: Partial<AgentConfigRecord> = {}): AgentConfigRecord {
    return {
      key: 'loyalty',
      version: 1,
      ...agentConfigFactory.content(),
      author: 'admin',
      note: 'test',
      createdAt: new Date(0).toISOString(),
      ...overrides,
    };
  },
};
