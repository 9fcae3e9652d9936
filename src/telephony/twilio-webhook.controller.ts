import { BadRequestException, Body, Controller, Header, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiConsumes,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../operations/metrics.service';
import { CallSessionService } from '../sessions/call-session.service';
import { CallStatusService } from './call-status.service';
import { MediaStreamTickets } from './media-stream-tickets.service';
import { TwilioRateLimitGuard } from './twilio-rate-limit.guard';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { backToTheAgentTwiml, busyTwiml, hangupTwiml, mediaStreamTwiml, transferWhisperTwiml } from './twiml.builder';
import { WarmTransfers } from './warm-transfers.service';
import { WARM_TRANSFER_STATUSES, WarmTransferStatus } from '../call-journal/call-event.types';

// Twilio posts many more fields than we read; they are not validated against a whitelist.
type TwilioForm = Record<string, string | undefined>;

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

@ApiTags('twilio')
// The REST throttle would treat Twilio's few egress addresses as one client; TwilioRateLimitGuard has budgets made for them.
@SkipThrottle()
@UseGuards(TwilioRateLimitGuard, TwilioSignatureGuard)
@ApiForbiddenResponse({ description: 'Missing or invalid X-Twilio-Signature (when TWILIO_AUTH_TOKEN is set)' })
@ApiUnsupportedMediaTypeResponse({ description: 'The body is not application/x-www-form-urlencoded' })
@ApiTooManyRequestsResponse({ description: 'This source address spent its request or failed-signature budget; see Retry-After' })
@Controller('twilio')
export class TwilioWebhookController {
  constructor(
    private readonly config: AppConfig,
    private readonly sessions: CallSessionService,
    private readonly metrics: MetricsService,
    private readonly callStatus: CallStatusService,
    private readonly streamTickets: MediaStreamTickets,
    private readonly warmTransfers: WarmTransfers,
  ) {}

  @Post('voice')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'TwiML <Connect><Stream> to the Media Stream' })
  async voice(@Body() form: TwilioForm): Promise<string> {
    const callSid = requireCallSid(form);
    const admission = this.sessions.reserve(callSid);
    if (!admission.admitted) {
      this.metrics.callsRefused.inc({ reason: admission.reason });
      return busyTwiml();
    }
    const streamToken = await this.streamTickets.issue(callSid, this.sessions.describeCaller(form.From ?? '', form.To ?? ''));
    return mediaStreamTwiml(this.config.mediaStreamUrl, { callSid, streamToken });
  }

  /** The person answered a warm transfer: what they hear before the caller is connected. The call is then theirs. */
  @Post('transfer-whisper')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'TwiML <Say> for the person taking the transfer' })
  async transferWhisper(@Query('transferId') transferId: string | undefined, @Body() form: TwilioForm): Promise<string> {
    const handover = transferId ? await this.warmTransfers.find(transferId) : undefined;
    const callSid = handover?.callSid ?? form.ParentCallSid;
    if (callSid) this.sessions.find(callSid)?.warmTransferResult('answered');
    return transferWhisperTwiml(handover);
  }

  /**
   * Twilio's <Dial action>: how the warm transfer's dial ended. Answered: nothing more for us. Not
   * answered (busy, failed): the caller comes back to the agent on a new Media Stream of the same call.
   */
  @Post('transfer-result')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'TwiML: <Connect><Stream> back to the agent, or <Hangup/>' })
  async transferResult(@Query('transferId') transferId: string | undefined, @Body() form: TwilioForm): Promise<string> {
    const callSid = requireCallSid(form);
    const handover = transferId ? await this.warmTransfers.find(transferId) : undefined;
    if (handover && handover.callSid !== callSid) return hangupTwiml();
    const status = dialStatusOf(form.DialCallStatus);
    const session = this.sessions.find(callSid);
    const outcome = session?.warmTransferResult(status);
    if (status === 'answered' || status === 'canceled') return hangupTwiml();
    // Another instance holds the call, or it ended meanwhile: nobody here can take the caller back.
    if (!session || (outcome !== 'rejoin' && !session.awaitingRejoin))
      return hangupTwiml('Sorry, nobody could take your call just now. Please call us again.');
    // The caller is known to this call already; the ticket only binds the new stream to it.
    const streamToken = await this.streamTickets.issue(callSid, { fromMasked: '', toMasked: '', callerHash: null }, { rejoin: true });
    return backToTheAgentTwiml(this.config.mediaStreamUrl, { callSid, streamToken });
  }

  @Post('status')
  @HttpCode(204)
  @ApiConsumes('application/x-www-form-urlencoded')
  async status(@Body() form: TwilioForm): Promise<void> {
    const callSid = requireCallSid(form);
    const status = form.CallStatus;
    if (!status || !/^[a-z-]{3,20}$/.test(status))
      throw new BadRequestException({
        message: 'CallStatus is required',
        fields: [{ field: 'CallStatus', messages: ['CallStatus is required'] }],
      });
    const duration = form.CallDuration !== undefined ? Number(form.CallDuration) : undefined;
    await this.callStatus.record(callSid, status, Number.isFinite(duration) ? duration : undefined);
  }
}

/** Twilio's DialCallStatus; `completed` means the person answered and the bridged call has ended. */
function dialStatusOf(status: string | undefined): WarmTransferStatus {
  if (status === 'completed' || status === 'answered') return 'answered';
  return WARM_TRANSFER_STATUSES.includes(status as WarmTransferStatus) ? (status as WarmTransferStatus) : 'failed';
}

function requireCallSid(form: TwilioForm): string {
  const callSid = form.CallSid;
  if (!callSid || !CALL_SID.test(callSid)) {
    throw new BadRequestException({
      message: 'CallSid must be CA followed by 32 hex characters',
      fields: [{ field: 'CallSid', messages: ['CallSid must be CA followed by 32 hex characters'] }],
    });
  }
  return callSid;
}
