import { Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountEntity } from '../../persistence/entities/account.entity';
import { FaqEntryEntity } from '../../persistence/entities/faq-entry.entity';
import { InvoiceEntity } from '../../persistence/entities/invoice.entity';
import { OrderEntity } from '../../persistence/entities/order.entity';
import { RefundEntity } from '../../persistence/entities/refund.entity';
import { TicketEntity } from '../../persistence/entities/ticket.entity';
import { CheckBillingTool } from './check-billing.tool';
import { CreateTicketTool } from './create-ticket.tool';
import { ListRecentOrdersTool } from './list-recent-orders.tool';
import { LookupAccountByEmailTool } from './lookup-account-by-email.tool';
import { LookupOrderTool } from './lookup-order.tool';
import { ProcessRefundTool } from './process-refund.tool';
import { SearchFaqTool } from './search-faq.tool';
import { BACKEND_TOOLS, ToolRegistry } from './tool.registry';
import { ToolRunner } from './tool.runner';
import { BackendTool } from './tool.types';

/** Every backend tool, registered here and only here: the registry, the agents' tool lists and the summaries follow. */
export const TOOL_CLASSES: Type<BackendTool>[] = [
  LookupOrderTool,
  LookupAccountByEmailTool,
  ListRecentOrdersTool,
  CheckBillingTool,
  ProcessRefundTool,
  SearchFaqTool,
  CreateTicketTool,
];

/** The backend tools the agents call, their registry and the runner (timeouts, metrics, errors as results). */
@Module({
  imports: [TypeOrmModule.forFeature([AccountEntity, OrderEntity, InvoiceEntity, RefundEntity, FaqEntryEntity, TicketEntity])],
  providers: [
    ...TOOL_CLASSES,
    { provide: BACKEND_TOOLS, inject: TOOL_CLASSES, useFactory: (...tools: BackendTool[]) => tools },
    ToolRegistry,
    ToolRunner,
  ],
  exports: [ToolRegistry, ToolRunner],
})
export class ToolsModule {}
