import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AccountEntity } from '../../persistence/entities/account.entity';
import { InvoiceEntity } from '../../persistence/entities/invoice.entity';
import { accountAccessDecision } from './account-access.policy';
import { toolError, ToolArguments } from './tool-arguments';
import { amountOf, isoDate } from './tool-result.format';
import { BackendTool, ToolContext, ToolOutcome } from './tool.types';

const RECENT_INVOICES = 5;

@Injectable()
export class CheckBillingTool implements BackendTool {
  readonly name = 'check_billing';
  readonly kind = 'lookup';
  readonly description =
    "Get the verified account's current balance and its most recent invoices (amount, status paid/open/overdue, description, date). Only works for the account verified in this call (lookup_account_by_email).";
  readonly parameters = {
    type: 'object',
    properties: {
      account_id: { type: 'string', description: "The verified account's id from lookup_account_by_email, e.g. 'ACC-001'." },
    },
    required: ['account_id'],
  };

  constructor(
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
    @InjectRepository(InvoiceEntity) private readonly invoices: Repository<InvoiceEntity>,
  ) {}

  async execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome> {
    const input = new ToolArguments(args);
    const requestedAccountId = input.requiredString('account_id');
    if (input.problem) return { result: input.problem };

    const access = accountAccessDecision(requestedAccountId, context.facts);
    if (!access.allowed) return { result: access.result };

    const [account, invoices] = await Promise.all([
      this.accounts.findOneBy({ id: access.accountId }),
      this.invoices.find({ where: { accountId: access.accountId }, order: { issuedAt: 'DESC' }, take: RECENT_INVOICES }),
    ]);
    if (!account)
      return { result: toolError('account_not_found', `Account ${access.accountId} no longer exists.`, { account_id: access.accountId }) };
    return {
      result: {
        account_id: account.id,
        balance: amountOf(account.balanceCents),
        balance_cents: account.balanceCents,
        currency: account.currency,
        invoices: invoices.map((invoice) => ({
          invoice_id: invoice.id,
          amount: amountOf(invoice.amountCents),
          amount_cents: invoice.amountCents,
          currency: invoice.currency,
          status: invoice.status,
          description: invoice.description,
          issued_at: isoDate(invoice.issuedAt),
        })),
      },
    };
  }
}
