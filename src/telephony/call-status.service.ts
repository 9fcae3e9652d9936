import { Injectable, Logger } from '@nestjs/common';
import { describeError, fieldLogger } from '../common/field-logger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CallStatusUpdateEntity } from '../persistence/entities/call-status-update.entity';
import { CallEvent } from '../call-journal/call-event.types';
import { CallJournalService } from '../call-journal/call-journal.service';

/** Twilio status callbacks: kept in Postgres, and added to the journal of a call still live. */
@Injectable()
export class CallStatusService {
  private readonly logger = fieldLogger(new Logger(CallStatusService.name));

  constructor(
    @InjectRepository(CallStatusUpdateEntity) private readonly updates: Repository<CallStatusUpdateEntity>,
    private readonly journal: CallJournalService,
  ) {}

  /** Never throws: a lost status callback must not fail Twilio's request. */
  async record(callSid: string, status: string, durationSeconds?: number): Promise<void> {
    const at = new Date();
    const event: CallEvent = { type: 'twilio.status', at: at.toISOString(), status };
    try {
      await this.journal.recordFromOutside(callSid, event);
    } catch (error) {
      this.logger.warn('Twilio status not added to the call journal', { callSid, status, error: describeError(error) });
    }
    try {
      await this.updates.insert({ callSid, status, at, durationSeconds: durationSeconds ?? null });
    } catch (error) {
      this.logger.warn('Twilio status not stored', { callSid, status, error: describeError(error) });
    }
  }
}
