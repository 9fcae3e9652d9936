import { Injectable, Logger } from '@nestjs/common';
import { ToolRegistry } from '../agents/tools/tool.registry';
import { HandoffLogService } from '../handoff/handoff-log/handoff-log.service';
import { MetricsService } from '../operations/metrics.service';
import { CallEnding, CallEvent, CallMetadata } from '../call-journal/call-event.types';
import { CallJournalReader } from '../call-journal/call-journal.reader';
import { CallerHistoryService } from '../caller-history/caller-history.service';
import { buildCallSummary, historyEntryFromSummary } from './call-summary.builder';
import { CallRecord, CallRecordsRepository } from './call-records.repository';
import { storableRedacted } from '../privacy/storable-redacted';
import { JOURNALED_EVENT_LIMITS } from '../call-journal/journaled-event';
import { SummaryErrorCode, SummaryException } from './summaries.exception';
import { SummaryNarrativeClient } from './summary-narrative.client';
import { fieldLogger, LogFields } from '../common/field-logger';
import { CallTracer } from '../tracing/call-tracer';

export type SummariseResult = 'written' | 'rewritten' | 'already-written' | 'superseded';

type JournalOfCall = NonNullable<Awaited<ReturnType<CallJournalReader['read']>>>;
type EndedJournal = JournalOfCall & { metadata: CallMetadata; ending: CallEnding };

/** Turns a finished call's journal into its Postgres record and caller-history entry. Safe to repeat. */
@Injectable()
export class PostCallSummaryService {
  private readonly logger = fieldLogger(new Logger(PostCallSummaryService.name));

  constructor(
    private readonly journal: CallJournalReader,
    private readonly records: CallRecordsRepository,
    private readonly handoffLog: HandoffLogService,
    private readonly history: CallerHistoryService,
    private readonly narrator: SummaryNarrativeClient,
    private readonly metrics: MetricsService,
    private readonly tools: ToolRegistry,
    private readonly tracer: CallTracer,
  ) {}

  async summarise(callSid: string): Promise<SummariseResult> {
    const [stored, journal] = await Promise.all([this.records.storedSummary(callSid), this.journal.read(callSid)]);
    // A call taken back after an orphan close has a newer revision than what was stored from the cut-short journal.
    if (stored && stored.revision >= (journal?.revision ?? 0)) {
      // A retry after the write: only the history entry may still be missing (guarded, so added once).
      if (stored.callerHash)
        await this.history.appendOnce(callSid, stored.callerHash, historyEntryFromSummary(stored.summary), stored.revision);
      return 'already-written';
    }
    if (!journal?.metadata)
      throw new SummaryException(SummaryErrorCode.CallNotFound, `Call ${callSid} has no journal in Redis (never started, or expired)`);
    if (!journal.ending) {
      // Its owner took it back and is still on the call: the owner's own job writes the record when it ends.
      if (journal.revision > 0) return 'superseded';
      throw new SummaryException(SummaryErrorCode.CallNotEnded, `Call ${callSid} has not ended yet`);
    }
    if (journal.unreadable > 0) this.logger.warn('Unreadable journal entries skipped', { callSid, skipped: journal.unreadable });
    const { metadata, ending } = journal;
    const attributes = { 'call.sid': callSid, 'job.name': 'post-call-summary', 'call.outcome': ending.outcome };
    return this.tracer.inCallTrace(metadata.traceparent, 'post-call.summary', attributes, async (span) => {
      const logFields = { callSid, ...(span.traceId ? { traceId: span.traceId } : {}) };
      const result = await this.write(callSid, { ...journal, metadata, ending }, stored !== null, logFields);
      span.setAttributes({ 'job.result': result });
      return result;
    });
  }

  private async write(callSid: string, journal: EndedJournal, hadRecord: boolean, logFields: LogFields): Promise<SummariseResult> {
    const { metadata, ending, events } = journal;
    const summary = buildCallSummary(metadata, events, ending, await this.handoffLog.ofCall(callSid), (name) => this.tools.kindOf(name));
    const record: CallRecord = {
      call: {
        id: callSid,
        streamSid: metadata.streamSid,
        fromMasked: metadata.fromMasked,
        toMasked: metadata.toMasked,
        callerHash: metadata.callerHash,
        startedAt: new Date(metadata.startedAt),
        endedAt: new Date(ending.endedAt),
        durationSeconds: summary.durationSeconds,
        finalDepartment: ending.finalDepartment,
        departments: ending.departments,
        outcome: ending.outcome,
        endReason: ending.reason,
        revision: journal.revision,
      },
      events: events.map((event, index) => storedEvent(event, index, ending.endedAt)),
      summary,
      narrative: await this.narrator.narrate(summary),
    };
    const written = await this.records.write(record);
    if (written) this.metrics.summariesWritten.inc();
    await this.journal.expireAfterStored(callSid);
    if (hadRecord)
      this.logger.warn('Record rewritten after its owner took the call back from an orphan close', {
        ...logFields,
        revision: journal.revision,
      });
    if (metadata.callerHash)
      await this.history.appendOnce(callSid, metadata.callerHash, historyEntryFromSummary(summary), journal.revision);
    if (!written) return 'already-written';
    return hadRecord ? 'rewritten' : 'written';
  }
}

function storedEvent(event: CallEvent, index: number, fallbackAt: string): CallRecord['events'][number] {
  const { type, at, ...payload } = event;
  const time = Number.isFinite(Date.parse(at)) ? new Date(at) : new Date(fallbackAt);
  // The journal stored it bounded and redacted already; this pass covers entries written by others (status callbacks, older versions).
  return { seq: index + 1, at: time, type, payload: storableRedacted(payload, JOURNALED_EVENT_LIMITS).value as Record<string, unknown> };
}
