import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OrderEntity } from '../../persistence/entities/order.entity';
import { normalizeOrderId } from './spoken-reference.normalizer';
import { toolError, ToolArguments } from './tool-arguments';
import { amountOf, isoDate } from './tool-result.format';
import { BackendTool, ToolContext, ToolOutcome, ToolResult } from './tool.types';

@Injectable()
export class LookupOrderTool implements BackendTool {
  readonly name = 'lookup_order';
  readonly kind = 'lookup';
  readonly description =
    'Look up an order by its order number. Returns status, estimated delivery date (eta) and tracking number for anyone; amounts and items are included only when the order belongs to the account verified in this call. Use it whenever the caller mentions an order.';
  readonly parameters = {
    type: 'object',
    properties: {
      order_id: { type: 'string', description: "The order number as the caller gave it, e.g. 'ORD-12345' or '12345'." },
    },
    required: ['order_id'],
  };

  constructor(@InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>) {}

  async execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome> {
    const input = new ToolArguments(args);
    const rawOrderId = input.requiredString('order_id');
    if (input.problem) return { result: input.problem };

    const orderId = normalizeOrderId(rawOrderId);
    const order = orderId ? await this.orders.findOneBy({ id: orderId }) : null;
    if (!order) {
      return {
        result: toolError(
          'order_not_found',
          `No order matches "${rawOrderId}". Order numbers look like ORD-12345; ask the caller to repeat it.`,
          {
            order_id: orderId ?? rawOrderId,
          },
        ),
      };
    }

    const result: ToolResult = {
      order_id: order.id,
      status: order.status,
      eta: order.eta,
      tracking_number: order.trackingNumber,
    };
    if (context.facts.verifiedAccount?.id === order.accountId) {
      Object.assign(result, {
        placed_at: isoDate(order.placedAt),
        total: amountOf(order.totalCents),
        total_cents: order.totalCents,
        currency: order.currency,
        items: order.items.map((item) => ({ name: item.name, quantity: item.quantity, unit_price: amountOf(item.unitPriceCents) })),
      });
    } else {
      result.note =
        "Amounts and items are shared only once the caller's account is verified (lookup_account_by_email) and the order is on it.";
    }
    return { result, facts: { orderId: order.id, orderLookedUp: order.id } };
  }
}
