import { AccountEntity } from './entities/account.entity';
import { OrderEntity } from './entities/order.entity';
import { InvoiceEntity } from './entities/invoice.entity';
import { RefundEntity } from './entities/refund.entity';
import { FaqEntryEntity } from './entities/faq-entry.entity';
import { TicketEntity } from './entities/ticket.entity';
import { AgentConfigVersionEntity } from './entities/agent-config-version.entity';
import { AgentConfigEntity } from './entities/agent-config.entity';
import { HandoffEntity } from './entities/handoff.entity';
import { CallEntity } from './entities/call.entity';
import { CallEventEntity } from './entities/call-event.entity';
import { CallSummaryEntity } from './entities/call-summary.entity';
import { CallStatusUpdateEntity } from './entities/call-status-update.entity';
// Every TypeORM entity of the service. Add new entities here (and a migration for them).
export const ENTITIES: (new () => object)[] = [
  AgentConfigEntity,
  AgentConfigVersionEntity,
  HandoffEntity,
  AccountEntity,
  OrderEntity,
  InvoiceEntity,
  RefundEntity,
  FaqEntryEntity,
  TicketEntity,
  CallEntity,
  CallEventEntity,
  CallSummaryEntity,
  CallStatusUpdateEntity,
];
