import { Injectable } from '@nestjs/common';
import { CallEvent } from './call-event.types';
import { CallJournalStore, JournalCallState, JournalRecord } from './call-journal.store';

export type { JournalCallState };

export interface LiveCallView {
  callSid: string;
  fromMasked: string;
  startedAt: string;
  instanceId: string;
  lastHeartbeatAt: string;
  department?: string;
}

/** A live call and the tail of its journal: what a supervisor's view of the call is made from. */
export interface LiveCallWithRecentEvents extends LiveCallView {
  /** The call's latest events, oldest first (at most the limit asked for). */
  recentEvents: CallEvent[];
}

/** What the post-call side and supervisors may do with the journal: read a call, let it expire, list live calls. */
@Injectable()
export class CallJournalReader {
  constructor(private readonly store: CallJournalStore) {}

  /** The call's metadata, events, ending and revision; null when Redis has nothing for it. */
  read(callSid: string): Promise<JournalRecord | null> {
    return this.store.read(callSid);
  }

  /** Whether the journal knows the call as live or ended, in one Redis round trip (no events read). */
  stateOf(callSid: string): Promise<JournalCallState> {
    return this.store.stateOf(callSid);
  }

  /** Once the call is stored in Postgres its journal only needs to outlive late readers. */
  expireAfterStored(callSid: string): Promise<void> {
    return this.store.expireAfterStored(callSid);
  }

  /**
   * Every live call across instances with its last `limit` events, in two Redis round trips. Oldest
   * first, ties by call SID: the same calls read twice come in the same order.
   */
  async liveCallsWithRecentEvents(limit: number): Promise<LiveCallWithRecentEvents[]> {
    const entries = await this.store.liveEntriesWithRecentEvents(limit);
    return entries
      .filter((entry) => entry.metadata !== null)
      .map((entry) => ({
        callSid: entry.callSid,
        fromMasked: entry.metadata!.fromMasked,
        startedAt: entry.metadata!.startedAt,
        instanceId: entry.metadata!.instanceId,
        lastHeartbeatAt: new Date(entry.lastHeartbeatAt).toISOString(),
        ...(entry.department ? { department: entry.department } : {}),
        recentEvents: entry.recentEvents,
      }))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.callSid.localeCompare(b.callSid));
  }
}
