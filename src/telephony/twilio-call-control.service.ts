import { Injectable, Logger } from '@nestjs/common';
import twilio from 'twilio';
import { AppConfig } from '../config/app-config';
import { humanTransferTwiml, parseHumanTarget } from './twiml.builder';

export interface HumanTransferResult {
  transferred: boolean;
  detail: string;
}

/** Twilio's REST API, for the one thing we do to a live call: move it to a human. */
@Injectable()
export class TwilioCallControl {
  private readonly logger = new Logger(TwilioCallControl.name);
  private client?: ReturnType<typeof twilio>;

  constructor(private readonly config: AppConfig) {}

  get canTransfer(): boolean {
    return Boolean(this.config.env.TWILIO_ACCOUNT_SID && this.config.env.TWILIO_AUTH_TOKEN);
  }

  async transferToHuman(callSid: string, reason: string, summary: string): Promise<HumanTransferResult> {
    const target = parseHumanTarget(this.config.env.HUMAN_QUEUE_TARGET);
    if (!this.canTransfer) {
      return { transferred: false, detail: `local mode: no Twilio credentials; transfer to ${target.kind} "${target.value}" recorded, not placed` };
    }
    const twimlText = humanTransferTwiml(target, { callSid, reason, summary });
    this.client ??= twilio(this.config.env.TWILIO_ACCOUNT_SID, this.config.env.TWILIO_AUTH_TOKEN);
    try {
      await this.client.calls(callSid).update({ twiml: twimlText });
      return { transferred: true, detail: `transferred to ${target.kind} ${target.value}` };
    } catch (error) {
      this.logger.error({ callSid, error: String(error) }, 'Twilio transfer to a human failed');
      return { transferred: false, detail: `Twilio refused the transfer: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
