import { Injectable, Logger } from '@nestjs/common';
import twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient';
import { AppConfig } from '../config/app-config';
import { HumanTransferOutcome } from '../sessions/call-session.ports';
import { humanTransferTwiml, parseHumanTarget, warmTransferTwiml } from './twiml.builder';
import { fieldLogger } from '../common/field-logger';
import { WarmTransfers } from './warm-transfers.service';

/** A transfer is bounded like every other step of a failing call: the caller is waiting. */
const TWILIO_REQUEST_TIMEOUT_MS = 5000;

/** Development and tests: the same REST requests, sent to a simulated Twilio (TWILIO_API_BASE_URL). */
class RedirectedRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super({ timeout: TWILIO_REQUEST_TIMEOUT_MS });
  }

  override request<TData>(opts: TwilioRequestClient.RequestOptions<TData>) {
    const url = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: `${this.baseUrl.replace(/\/$/, '')}${url.pathname}${url.search}` });
  }
}

/** Twilio's REST API, for the one thing we do to a live call: move it to a human. */
@Injectable()
export class TwilioCallControl {
  private readonly logger = fieldLogger(new Logger(TwilioCallControl.name));
  private client?: ReturnType<typeof twilio>;

  constructor(
    private readonly config: AppConfig,
    private readonly warmTransfers: WarmTransfers,
  ) {}

  get canTransfer(): boolean {
    return Boolean(this.config.env.TWILIO_ACCOUNT_SID && this.config.env.TWILIO_AUTH_TOKEN);
  }

  /**
   * Warm (the default, for numbers and SIP): the person is dialled with a whisper and a timeout, the
   * result comes back to /twilio/transfer-result. Cold (queues, HUMAN_TRANSFER_MODE=cold, or asked
   * for): the call is handed over for good.
   */
  async transferToHuman(callSid: string, reason: string, summary: string, options: { cold?: boolean } = {}): Promise<HumanTransferOutcome> {
    const target = parseHumanTarget(this.config.env.HUMAN_QUEUE_TARGET);
    if (!this.canTransfer) {
      // Only outside production (production requires the account): nothing to place the call with.
      return {
        status: 'simulated',
        detail: `local mode: no Twilio credentials; transfer to ${target.kind} "${target.value}" recorded, not placed`,
      };
    }
    const warm = target.kind !== 'queue' && this.config.env.HUMAN_TRANSFER_MODE === 'warm' && !options.cold;
    let twimlText: string;
    if (warm) {
      const transferId = await this.warmTransfers.open({ callSid, reason, summary });
      const base = this.config.publicBaseUrl;
      twimlText = warmTransferTwiml(target as Exclude<typeof target, { kind: 'queue' }>, {
        resultUrl: `${base}/twilio/transfer-result?transferId=${transferId}`,
        whisperUrl: `${base}/twilio/transfer-whisper?transferId=${transferId}`,
        timeoutSeconds: this.config.env.HUMAN_DIAL_TIMEOUT_SECONDS,
      });
    } else {
      twimlText = humanTransferTwiml(target, { callSid, reason, summary });
    }
    try {
      await this.rest().calls(callSid).update({ twiml: twimlText });
      return warm
        ? { status: 'dialing', detail: `dialling ${target.kind} ${target.value} (warm, ${this.config.env.HUMAN_DIAL_TIMEOUT_SECONDS} s)` }
        : { status: 'transferred', detail: `transferred to ${target.kind} ${target.value}` };
    } catch (error) {
      this.logger.error('Twilio transfer to a human failed', { callSid, error: error instanceof Error ? error.message : String(error) });
      return { status: 'failed', detail: `Twilio refused the transfer: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private rest(): ReturnType<typeof twilio> {
    const { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_BASE_URL } = this.config.env;
    this.client ??= twilio(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, {
      timeout: TWILIO_REQUEST_TIMEOUT_MS,
      ...(TWILIO_API_BASE_URL ? { httpClient: new RedirectedRequestClient(TWILIO_API_BASE_URL) } : {}),
    });
    return this.client;
  }
}
