import { Injectable, Logger } from '@nestjs/common';
import twilio from 'twilio';
import { AppConfig } from '../config/app-config';
import { HumanTransferOutcome } from '../sessions/call-session.ports';
import { humanTransferTwiml, parseHumanTarget } from './twiml.builder';
import { fieldLogger } from '../common/field-logger';

/** A transfer is bounded like every other step of a failing call: the caller is waiting. */
const TWILIO_REQUEST_TIMEOUT_MS = 5000;

/** Twilio's REST API, for the one thing we do to a live call: move it to a human. */
@Injectable()
export class TwilioCallControl {
  private readonly logger = fieldLogger(new Logger(TwilioCallControl.name));
  private client?: ReturnType<typeof twilio>;

  constructor(private readonly config: AppConfig) {}

  get canTransfer(): boolean {
    return Boolean(this.config.env.TWILIO_ACCOUNT_SID && this.config.env.TWILIO_AUTH_TOKEN);
  }

  async transferToHuman(callSid: string, reason: string, summary: string): Promise<HumanTransferOutcome> {
    const target = parseHumanTarget(this.config.env.HUMAN_QUEUE_TARGET);
    if (!this.canTransfer) {
      // Only outside production (production requires the account): nothing to place the call with.
      return {
        status: 'simulated',
        detail: `local mode: no Twilio credentials; transfer to ${target.kind} "${target.value}" recorded, not placed`,
      };
    }
    const twimlText = humanTransferTwiml(target, { callSid, reason, summary });
    this.client ??= twilio(this.config.env.TWILIO_ACCOUNT_SID, this.config.env.TWILIO_AUTH_TOKEN, { timeout: TWILIO_REQUEST_TIMEOUT_MS });
    try {
      await this.client.calls(callSid).update({ twiml: twimlText });
      return { status: 'transferred', detail: `transferred to ${target.kind} ${target.value}` };
    } catch (error) {
      this.logger.error('Twilio transfer to a human failed', { callSid, error: error instanceof Error ? error.message : String(error) });
      return { status: 'failed', detail: `Twilio refused the transfer: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
