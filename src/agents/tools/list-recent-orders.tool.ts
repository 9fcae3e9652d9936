import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OrderEntity } from '../../persistence/entities/order.entity';
import { accountAccessDecision } from './account-access.policy';
import { ToolArguments } from './tool-arguments';
import { amountOf, isoDate } from './tool-result.format';
import { BackendTool, ToolContext, ToolOutcome } from './tool.types';

const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 20;

@Injectable()
export class ListRecentOrdersTool implements BackendTool {
  readonly name = 'list_recent_orders';
  readonly kind = 'lookup';
  readonly description =
    "List the most recent orders of the verified account, newest first, with status, date and total. Only works for the account verified in this call (lookup_account_by_email). Use it when the caller doesn't know the order number.";
  readonly parameters = {
    type: 'object',
    properties: {
      account_id: { type: 'string', description: "The verified account's id from lookup_account_by_email, e.g. 'ACC-001'." },
      limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: `How many orders to return (default ${DEFAULT_LIMIT}).` },
    },
    required: ['account_id'],
  };

  constructor(@InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>) {}

  async execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome> {
    const input = new ToolArguments(args);
    const requestedAccountId = input.requiredString('account_id');
    const limit = input.optionalInteger('limit', { min: 1, max: MAX_LIMIT }) ?? DEFAULT_LIMIT;
    if (input.problem) return { result: input.problem };

    const access = accountAccessDecision(requestedAccountId, context.facts);
    if (!access.allowed) return { result: access.result };

    const orders = await this.orders.find({ where: { accountId: access.accountId }, order: { placedAt: 'DESC' }, take: limit });
    return {
      result: {
        account_id: access.accountId,
        orders: orders.map((order) => ({
          order_id: order.id,
          status: order.status,
          placed_at: isoDate(order.placedAt),
          eta: order.eta,
          total: amountOf(order.totalCents),
          currency: order.currency,
          item_count: order.items.reduce((count, item) => count + item.quantity, 0),
        })),
      },
    };
  }
}
