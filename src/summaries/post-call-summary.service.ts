import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../operations/metrics.service';
import { CallEvent } from '../sessions/call-event.types';
import { CallJournalStore } from '../sessions/call-journal/call-journal.store';
import { CallerHistoryService } from '../sessions/caller-history/caller-history.service';
import { buildCallSummary, historyEntryFromSummary } from './call-summary.builder';
import { CallRecord, CallRecordsRepository } from './call-records.repository';
import { redactDeep } from './sensitive-data.redactor';
import { SummaryErrorCode, SummaryException } from './summaries.exception';
import { SummaryNarrativeClient } from './summary-narrative.client';

export type SummariseResult = 'written' | 'already-written';

/** Turns a finished call's journal into its Postgres record and caller-history entry. Safe to repeat. */
@Injectable()
export class PostCallSummaryService {
  private readonly logger = new Logger(PostCallSummaryService.name);

  constructor(
    private readonly journal: CallJournalStore,
    private readonly records: CallRecordsRepository,
    private readonly history: CallerHistoryService,
    private readonly narrator: SummaryNarrativeClient,
    private readonly metrics: MetricsService,
  ) {}

  async summarise(callSid: string): Promise<SummariseResult> {
    const stored = await this.records.storedSummary(callSid);
    if (stored) {
      // A retry after the write: only the history entry may still be missing (guarded, so added once).
      if (stored.callerHash) await this.history.appendOnce(callSid, stored.callerHash, historyEntryFromSummary(stored.summary));
      return 'already-written';
    }
    const journal = await this.journal.read(callSid);
    if (!journal?.metadata) throw new SummaryException(SummaryErrorCode.CallNotFound, `Call ${callSid} has no journal in Redis (never started, or expired)`);
    if (!journal.ending) throw new SummaryException(SummaryErrorCode.CallNotEnded, `Call ${callSid} has not ended yet`);
    if (journal.unreadable > 0) this.logger.warn(`Call ${callSid}: ${journal.unreadable} unreadable journal entries skipped`);
    const { metadata, ending, events } = journal;
    const summary = buildCallSummary(metadata, events, ending, await this.records.handoffsFor(callSid));
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
      },
      events: events.map((event, index) => storedEvent(event, index, ending.endedAt)),
      summary,
      narrative: await this.narrator.narrate(summary),
    };
    const written = await this.records.write(record);
    if (written) this.metrics.summariesWritten.inc();
    if (metadata.callerHash) await this.history.appendOnce(callSid, metadata.callerHash, historyEntryFromSummary(summary));
    return written ? 'written' : 'already-written';
  }
}

function storedEvent(event: CallEvent, index: number, fallbackAt: string): CallRecord['events'][number] {
  const { type, at, ...payload } = event;
  const time = Number.isFinite(Date.parse(at)) ? new Date(at) : new Date(fallbackAt);
  return { seq: index + 1, at: time, type, payload: redactDeep(payload as Record<string, unknown>) };
}
