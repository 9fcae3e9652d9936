import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CallStatusUpdateEntity } from '../persistence/entities/call-status-update.entity';
import { CallEvent } from '../sessions/call-event.types';
import { CallJournalService } from '../sessions/call-journal/call-journal.service';
import { CallJournalStore } from '../sessions/call-journal/call-journal.store';

/** Twilio status callbacks: kept in Postgres, and added to the journal of a call still live. */
@Injectable()
export class CallStatusService {
  private readonly logger = new Logger(CallStatusService.name);

  constructor(
    @InjectRepository(CallStatusUpdateEntity) private readonly updates: Repository<CallStatusUpdateEntity>,
    private readonly journal: CallJournalService,
    private readonly store: CallJournalStore,
  ) {}

  /** Never throws: a lost status callback must not fail Twilio's request. */
  async record(callSid: string, status: string, durationSeconds?: number): Promise<void> {
    const at = new Date();
    const event: CallEvent = { type: 'twilio.status', at: at.toISOString(), status };
    try {
      if (this.journal.isLocal(callSid)) this.journal.record(callSid, event);
      else if (await this.store.isRegistered(callSid)) await this.store.appendForeign(callSid, event);
    } catch (error) {
      this.logger.warn(`Call ${callSid}: status ${status} not added to the call journal: ${describe(error)}`);
    }
    try {
      await this.updates.insert({ callSid, status, at, durationSeconds: durationSeconds ?? null });
    } catch (error) {
      this.logger.warn(`Call ${callSid}: status ${status} not stored: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
