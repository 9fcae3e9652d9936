import { BadRequestException, Body, Controller, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
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
import { busyTwiml, mediaStreamTwiml } from './twiml.builder';

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
