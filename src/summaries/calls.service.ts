import { Injectable, Logger } from '@nestjs/common';
import { Page, pageOf } from '../common/pagination.dto';
import { HandoffLogService } from '../handoff/handoff-log/handoff-log.service';
import { HandoffLogEntry } from '../handoff/handoff.types';
import { CallEventEntity } from '../persistence/entities/call-event.entity';
import { CallEntity } from '../persistence/entities/call.entity';
import { CallEndReason, CallEvent, CallOutcome } from '../call-journal/call-event.types';
import { CallJournalReader } from '../call-journal/call-journal.reader';
import { CallRecordsRepository } from './call-records.repository';
import { CallSummary } from './call-summary.types';
import { turnsOf } from './caller-turns.rules';
import { CallDetailView, CallEventView, CallView } from './dtos/call.response';
import { CallsQuery } from './dtos/calls.query.dto';
import { storableRedacted } from '../privacy/storable-redacted';
import { JOURNALED_EVENT_LIMITS } from '../call-journal/journaled-event';
import { describeError, fieldLogger } from '../common/field-logger';

/** A call not yet in Postgres is read from its journal; while Redis cannot be reached that says nothing about whether it exists. */
export type CallDetailLookup = { status: 'found'; call: CallDetailView } | { status: 'not-found' } | { status: 'journal-unavailable' };

/** The supervisor's read side of calls: Postgres once summarised, the Redis journal before. */
@Injectable()
export class CallsService {
  private readonly logger = fieldLogger(new Logger(CallsService.name));

  constructor(
    private readonly records: CallRecordsRepository,
    private readonly journal: CallJournalReader,
    private readonly handoffLog: HandoffLogService,
  ) {}

  async list(query: CallsQuery): Promise<Page<CallView>> {
    const { items, total } = await this.records.list({
      callSid: query.callSid,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      department: query.department,
      outcome: query.outcome,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    return pageOf(items.map(callView), total, query);
  }

  async detail(callSid: string): Promise<CallDetailLookup> {
    const [stored, handoffs] = await Promise.all([this.records.find(callSid), this.handoffLog.ofCall(callSid)]);
    if (stored) {
      const events = stored.events.map(eventView);
      const call: CallDetailView = {
        ...callView(stored.call),
        events,
        turns: turnsOf(events),
        handoffs,
        summary: stored.summary
          ? {
              ...(stored.summary.summary as unknown as CallSummary),
              narrative: stored.summary.narrative,
              writtenAt: stored.summary.createdAt.toISOString(),
            }
          : null,
      };
      return { status: 'found', call };
    }
    return this.fromJournal(callSid, handoffs);
  }

  private async fromJournal(callSid: string, handoffs: HandoffLogEntry[]): Promise<CallDetailLookup> {
    let journal;
    try {
      journal = await this.journal.read(callSid);
    } catch (error) {
      this.logger.warn('Call journal unreadable', { callSid, error: describeError(error) });
      return { status: 'journal-unavailable' };
    }
    if (!journal?.metadata) return { status: 'not-found' };
    const { metadata, ending } = journal;
    const events = journal.events.map((event, index) => journalEventView(event, index));
    const call: CallDetailView = {
      callSid,
      streamSid: metadata.streamSid,
      fromMasked: metadata.fromMasked,
      toMasked: metadata.toMasked,
      startedAt: metadata.startedAt,
      endedAt: ending?.endedAt ?? null,
      durationSeconds: ending ? Math.max(0, Math.round((Date.parse(ending.endedAt) - Date.parse(metadata.startedAt)) / 1000)) : null,
      finalDepartment: ending?.finalDepartment ?? journal.department,
      departments: ending?.departments ?? [],
      outcome: ending?.outcome ?? null,
      endReason: ending?.reason ?? null,
      status: ending ? 'ended' : 'live',
      events,
      turns: turnsOf(events),
      handoffs,
      summary: null,
    };
    return { status: 'found', call };
  }
}

function callView(call: CallEntity): CallView {
  return {
    callSid: call.id,
    streamSid: call.streamSid,
    fromMasked: call.fromMasked,
    toMasked: call.toMasked,
    startedAt: call.startedAt.toISOString(),
    endedAt: call.endedAt.toISOString(),
    durationSeconds: call.durationSeconds,
    finalDepartment: call.finalDepartment,
    departments: call.departments,
    // Written only by the post-call job, from the journal's own values.
    outcome: call.outcome as CallOutcome,
    endReason: call.endReason as CallEndReason,
    status: 'summarised',
  };
}

function eventView(event: CallEventEntity): CallEventView {
  return { ...event.payload, seq: event.seq, at: event.at.toISOString(), type: event.type };
}

function journalEventView(event: CallEvent, index: number): CallEventView {
  const { type, at, ...payload } = event;
  return { ...(storableRedacted(payload, JOURNALED_EVENT_LIMITS).value as Record<string, unknown>), seq: index + 1, at, type };
}
