import { VerifiableAccount } from '../../../src/agents/tools/account-verification.policy';
import { emptyFacts, KnownFacts } from '../../../src/agents/tools/known-facts';
import { RefundableOrder } from '../../../src/agents/tools/refund.policy';
import { BackendTool, BackendToolKind, ToolContext, ToolOutcome } from '../../../src/agents/tools/tool.types';
import { TOOL_CLASSES } from '../../../src/agents/tools/tools.module';

export const NOW = new Date('2026-11-21T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

export const factory = {
  daysBefore(days: number, from = NOW): Date {
    return new Date(from.getTime() - days * DAY_MS);
  },

  order(overrides: Partial<RefundableOrder> = {}): RefundableOrder {
    return {
      id: 'ORD-12345',
      accountId: 'ACC-001',
      status: 'shipped',
      placedAt: factory.daysBefore(5),
      totalCents: 8499,
      currency: 'USD',
      ...overrides,
    };
  },

  account(overrides: Partial<VerifiableAccount> = {}): VerifiableAccount {
    return { id: 'ACC-001', name: 'Jane Doe', email: 'jane@example.com', postcode: '94107', ...overrides };
  },

  facts(overrides: Partial<KnownFacts> = {}): KnownFacts {
    return { ...emptyFacts(), ...overrides };
  },

  verifiedFacts(accountId = 'ACC-001'): KnownFacts {
    return factory.facts({ verifiedAccount: { id: accountId, name: 'Jane Doe', email: 'jane@example.com' } });
  },

  context(overrides: Partial<ToolContext> = {}): ToolContext {
    return { callId: 'CA-test', facts: factory.facts(), signal: new AbortController().signal, ...overrides };
  },

  tool(
    name: string,
    execute: BackendTool['execute'] = async () => ({ result: { ok: true } }),
    kind: BackendToolKind = 'lookup',
  ): BackendTool {
    return { name, kind, description: `${name} for tests`, parameters: { type: 'object', properties: {} }, execute };
  },

  /** The real tools as ToolsModule registers them, with no repositories: for their names and kinds, never to execute. */
  registeredTools(): BackendTool[] {
    return TOOL_CLASSES.map((ToolClass) => new ToolClass());
  },

  outcome(overrides: Partial<ToolOutcome> = {}): ToolOutcome {
    return { result: { ok: true }, ...overrides };
  },
};
