import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { TICKET_PRIORITIES, TicketEntity } from '../../persistence/entities/ticket.entity';
import { toolError, ToolArguments } from './tool-arguments';
import { BackendTool, ToolContext, ToolOutcome } from './tool.types';

const MAX_SUMMARY_LENGTH = 2000;
const MAX_CATEGORY_LENGTH = 64;

@Injectable()
export class CreateTicketTool implements BackendTool {
  readonly name = 'create_ticket';
  readonly kind = 'side-effect';
  readonly description =
    'Open a follow-up ticket for the support team when the issue cannot be solved in this call. Give a summary a colleague can act on without calling back (what the caller wants, order or account ids, what was already tried). Returns the ticket_id to read to the caller.';
  readonly parameters = {
    type: 'object',
    properties: {
      summary: { type: 'string', description: 'What the issue is and what the caller needs, in one or two sentences.' },
      category: {
        type: 'string',
        description: "Topic of the ticket, e.g. 'billing', 'refund', 'order', 'technical', 'complaint' (default 'general').",
      },
      priority: {
        type: 'string',
        enum: [...TICKET_PRIORITIES],
        description: "How urgent it is (default 'normal'); 'urgent' only for safety or money at risk.",
      },
    },
    required: ['summary'],
  };

  constructor(@InjectRepository(TicketEntity) private readonly tickets: Repository<TicketEntity>) {}

  async execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome> {
    const input = new ToolArguments(args);
    const summary = input.requiredString('summary', { maxLength: MAX_SUMMARY_LENGTH });
    const category = input.optionalString('category', { maxLength: MAX_CATEGORY_LENGTH })?.toLowerCase() ?? 'general';
    const priority = input.optionalEnum('priority', TICKET_PRIORITIES) ?? 'normal';
    if (input.problem) return { result: input.problem };
    if (context.signal.aborted) return { result: toolError('tool_cancelled', 'The ticket was not created because the request timed out.') };

    const ticket = this.tickets.create({
      id: `TCK-${randomBytes(5).toString('hex').toUpperCase()}`,
      callId: context.callId,
      accountId: context.facts.verifiedAccount?.id ?? null,
      summary,
      category,
      priority,
      status: 'open',
      createdAt: new Date(),
    });
    await this.tickets.insert(ticket);
    return {
      result: { ticket_id: ticket.id, status: ticket.status, category: ticket.category, priority: ticket.priority },
      facts: { ticket: { ticketId: ticket.id, summary: ticket.summary } },
    };
  }
}
