import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CheckBillingTool } from '../../../src/agents/tools/check-billing.tool';
import { CreateTicketTool } from '../../../src/agents/tools/create-ticket.tool';
import { applyFactsPatch, emptyFacts, KnownFacts } from '../../../src/agents/tools/known-facts';
import { ListRecentOrdersTool } from '../../../src/agents/tools/list-recent-orders.tool';
import { LookupAccountByEmailTool } from '../../../src/agents/tools/lookup-account-by-email.tool';
import { LookupOrderTool } from '../../../src/agents/tools/lookup-order.tool';
import { ProcessRefundTool } from '../../../src/agents/tools/process-refund.tool';
import { SearchFaqTool } from '../../../src/agents/tools/search-faq.tool';
import { ToolRegistry } from '../../../src/agents/tools/tool.registry';
import { ToolRun, ToolRunner } from '../../../src/agents/tools/tool.runner';
import { BackendTool, ToolContext } from '../../../src/agents/tools/tool.types';
import { AccountEntity } from '../../../src/persistence/entities/account.entity';
import { FaqEntryEntity } from '../../../src/persistence/entities/faq-entry.entity';
import { InvoiceEntity } from '../../../src/persistence/entities/invoice.entity';
import { OrderEntity } from '../../../src/persistence/entities/order.entity';
import { RefundEntity } from '../../../src/persistence/entities/refund.entity';
import { TicketEntity } from '../../../src/persistence/entities/ticket.entity';
import { MetricsService } from '../../../src/operations/metrics.service';

const DAY_MS = 24 * 60 * 60 * 1000;

export type ToolSet = Record<
  'lookupOrder' | 'lookupAccountByEmail' | 'listRecentOrders' | 'checkBilling' | 'processRefund' | 'searchFaq' | 'createTicket',
  BackendTool
>;

/** The real tools over a test database, as ToolsModule wires them. */
export function toolsOver(dataSource: DataSource): ToolSet {
  const repository = dataSource.getRepository.bind(dataSource);
  return {
    lookupOrder: new LookupOrderTool(repository(OrderEntity)),
    lookupAccountByEmail: new LookupAccountByEmailTool(repository(AccountEntity)),
    listRecentOrders: new ListRecentOrdersTool(repository(OrderEntity)),
    checkBilling: new CheckBillingTool(repository(AccountEntity), repository(InvoiceEntity)),
    processRefund: new ProcessRefundTool(repository(OrderEntity), repository(RefundEntity)),
    searchFaq: new SearchFaqTool(repository(FaqEntryEntity)),
    createTicket: new CreateTicketTool(repository(TicketEntity)),
  };
}

/** One call's tool calls in order, through the real runner, with facts carried as the call session carries them. */
export interface CallOverTools {
  callId: string;
  facts(): KnownFacts;
  run(name: string, args: Record<string, unknown>): Promise<ToolRun>;
}

export const factory = {
  callId(): string {
    return `CA${randomInt(10 ** 9, 10 ** 10)}`;
  },

  context(overrides: Partial<ToolContext> = {}): ToolContext {
    return { callId: factory.callId(), facts: emptyFacts(), signal: new AbortController().signal, ...overrides };
  },

  call(tools: ToolSet): CallOverTools {
    const runner = new ToolRunner(new ToolRegistry(Object.values(tools)), new MetricsService());
    const callId = factory.callId();
    let facts = emptyFacts();
    return {
      callId,
      facts: () => facts,
      async run(name, args) {
        const run = await runner.run(name, args, { callId, facts }, 5000);
        facts = applyFactsPatch(facts, run.facts);
        return run;
      },
    };
  },

  /** Facts as they are after lookup_account_by_email verified this account. */
  verifiedFacts(account: Pick<AccountEntity, 'id' | 'name' | 'email'>): KnownFacts {
    return applyFactsPatch(emptyFacts(), { verifiedAccount: { id: account.id, name: account.name, email: account.email } });
  },

  async account(dataSource: DataSource, overrides: Partial<AccountEntity> = {}): Promise<AccountEntity> {
    const suffix = randomInt(100_000, 1_000_000);
    const account = dataSource.getRepository(AccountEntity).create({
      id: `ACC-${suffix}`,
      name: `Test Caller ${suffix}`,
      email: `caller${suffix}@example.test`,
      postcode: `${suffix}`.slice(0, 5),
      phoneE164: null,
      balanceCents: 0,
      currency: 'USD',
      ...overrides,
    });
    await dataSource.getRepository(AccountEntity).insert(account);
    return account;
  },

  async order(dataSource: DataSource, overrides: Partial<OrderEntity> & Pick<OrderEntity, 'accountId'>): Promise<OrderEntity> {
    const order = dataSource.getRepository(OrderEntity).create({
      id: `ORD-${randomInt(100_000, 1_000_000)}`,
      status: 'delivered',
      eta: null,
      trackingNumber: null,
      totalCents: 2599,
      currency: 'USD',
      items: [{ sku: 'TST-1', name: 'Test item', quantity: 1, unitPriceCents: 2599 }],
      placedAt: new Date(Date.now() - 3 * DAY_MS),
      ...overrides,
    });
    await dataSource.getRepository(OrderEntity).insert(order);
    return order;
  },

  daysAgo(days: number): Date {
    return new Date(Date.now() - days * DAY_MS);
  },
};
