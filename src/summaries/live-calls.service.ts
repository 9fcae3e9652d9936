import { Injectable } from '@nestjs/common';
import { CallJournalReader } from '../call-journal/call-journal.reader';
import { LIVE_CALL_RECENT_EVENTS, LiveCall, liveCallFrom } from './live-calls.rules';

/** Calls on a line right now, across instances, each with what the tail of its journal says. */
@Injectable()
export class LiveCallsService {
  constructor(private readonly journal: CallJournalReader) {}

  async list(): Promise<LiveCall[]> {
    return (await this.journal.liveCallsWithRecentEvents(LIVE_CALL_RECENT_EVENTS)).map(liveCallFrom);
  }
}
