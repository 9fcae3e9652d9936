import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { OrderEntity } from '../../persistence/entities/order.entity';
import { RefundEntity } from '../../persistence/entities/refund.entity';
import { REFUND_EXPECTED_TIMING, REFUND_METHOD, refundDecision } from './refund.policy';
import { normalizeOrderId } from './spoken-reference.normalizer';
import { toolError, ToolArguments } from './tool-arguments';
import { amountOf } from './tool-result.format';
import { BackendTool, ToolContext, ToolOutcome } from './tool.types';

const MAX_REASON_LENGTH = 500;

interface InsertedRefundRow {
  id: string;
  created_at: Date;
}

@Injectable()
export class ProcessRefundTool implements BackendTool {
  readonly name = 'process_refund';
  readonly kind = 'side-effect';
  readonly description =
    "Refund an order of the verified account in full, to the original payment method (arrives in 5-7 business days). Rules enforced here: the caller's account must be verified (lookup_account_by_email), the order must be on that account, placed within the last 30 days and not cancelled; each order is refunded at most once (asking again returns the existing refund). The amount is always the order total: do not pass an amount. Confirm with the caller before calling.";
  readonly parameters = {
    type: 'object',
    properties: {
      order_id: { type: 'string', description: "The order to refund, e.g. 'ORD-12345'." },
      reason: { type: 'string', description: "Why the caller wants the refund, in a few words (e.g. 'arrived damaged')." },
    },
    required: ['order_id', 'reason'],
  };

  constructor(
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    @InjectRepository(RefundEntity) private readonly refunds: Repository<RefundEntity>,
  ) {}

  // Any "amount" argument is ignored on purpose: the refund is always the order's total.
  async execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome> {
    const input = new ToolArguments(args);
    const rawOrderId = input.requiredString('order_id');
    const reason = input.requiredString('reason', { maxLength: MAX_REASON_LENGTH });
    if (input.problem) return { result: input.problem };

    const verified = context.facts.verifiedAccount;
    if (!verified) {
      return {
        result: toolError(
          'account_not_verified',
          "Verify the caller's account first: ask for the email and billing postcode on the account and call lookup_account_by_email.",
        ),
      };
    }
    const orderId = normalizeOrderId(rawOrderId);
    const order = orderId ? await this.orders.findOneBy({ id: orderId }) : null;
    if (!order) {
      return { result: toolError('order_not_found', `No order matches "${rawOrderId}".`, { order_id: orderId ?? rawOrderId }) };
    }

    const decision = refundDecision(order, verified.id, new Date());
    if (!decision.eligible && (decision.error === 'account_not_verified' || decision.error === 'order_not_on_account')) {
      return { result: toolError(decision.error, decision.message, decision.details) };
    }
    // Checked before the window so a caller asking again later hears about the refund they got.
    const existing = await this.refunds.findOneBy({ orderId: order.id });
    if (existing) return this.alreadyRefunded(existing);
    if (!decision.eligible) return { result: toolError(decision.error, decision.message, decision.details) };
    if (context.signal.aborted) return { result: toolError('tool_cancelled', 'The refund was not started because the request timed out.') };

    // The unique order_id decides between concurrent calls: exactly one insert wins.
    const inserted: InsertedRefundRow[] = await this.refunds.query(
      `INSERT INTO refunds (id, order_id, account_id, amount_cents, currency, reason, call_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (order_id) DO NOTHING
       RETURNING id, created_at`,
      [newRefundId(), order.id, order.accountId, decision.amountCents, decision.currency, reason, context.callId],
    );
    if (inserted.length === 0) {
      const winner = await this.refunds.findOneByOrFail({ orderId: order.id });
      return this.alreadyRefunded(winner);
    }
    const refundId = inserted[0].id;
    return {
      result: {
        refund_id: refundId,
        order_id: order.id,
        amount: amountOf(decision.amountCents),
        amount_cents: decision.amountCents,
        currency: decision.currency,
        status: 'processed',
        refund_method: REFUND_METHOD,
        expected: REFUND_EXPECTED_TIMING,
        already_refunded: false,
      },
      facts: { orderId: order.id, refund: { refundId, orderId: order.id, amountCents: decision.amountCents, currency: decision.currency } },
    };
  }

  private alreadyRefunded(refund: RefundEntity): ToolOutcome {
    return {
      result: {
        refund_id: refund.id,
        order_id: refund.orderId,
        amount: amountOf(refund.amountCents),
        amount_cents: refund.amountCents,
        currency: refund.currency,
        status: 'processed',
        refund_method: REFUND_METHOD,
        expected: REFUND_EXPECTED_TIMING,
        already_refunded: true,
        refunded_at: refund.createdAt.toISOString(),
        message: `Order ${refund.orderId} was already refunded; no new refund was created.`,
      },
      facts: {
        orderId: refund.orderId,
        refund: { refundId: refund.id, orderId: refund.orderId, amountCents: refund.amountCents, currency: refund.currency },
      },
    };
  }
}

function newRefundId(): string {
  return `RF-${randomBytes(5).toString('hex').toUpperCase()}`;
}
