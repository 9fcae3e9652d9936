import { Injectable } from '@nestjs/common';
import { CallJournalStore, JournalRecord } from './call-journal.store';

export interface LiveCallView {
  callSid: string;
  fromMasked: string;
  startedAt: string;
  instanceId: string;
  lastHeartbeatAt: string;
  department?: string;
}

/** What the post-call side and supervisors may do with the journal: read a call, let it expire, list live calls. */
@Injectable()
export class CallJournalReader {
  constructor(private readonly store: CallJournalStore) {}

  /** The call's metadata, events, ending and revision; null when Redis has nothing for it. */
  read(callSid: string): Promise<JournalRecord | null> {
    return this.store.read(callSid);
  }

  /** Once the call is stored in Postgres its journal only needs to outlive late readers. */
  expireAfterStored(callSid: string): Promise<void> {
    return this.store.expireAfterStored(callSid);
  }

  async liveCalls(): Promise<LiveCallView[]> {
    const entries = await this.store.liveEntries();
    return entries
      .filter((entry) => entry.metadata !== null)
      .map((entry) => ({
        callSid: entry.callSid,
        fromMasked: entry.metadata!.fromMasked,
        startedAt: entry.metadata!.startedAt,
        instanceId: entry.metadata!.instanceId,
        lastHeartbeatAt: new Date(entry.lastHeartbeatAt).toISOString(),
        ...(entry.department ? { department: entry.department } : {}),
      }))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
}
