import { BadRequestException, Body, Controller, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiConsumes, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../operations/metrics.service';
import { CallSessionService } from '../sessions/call-session.service';
import { CallStatusService } from '../summaries/call-status.service';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { busyTwiml, mediaStreamTwiml } from './twiml.builder';

// Twilio posts many more fields than we read; they are not validated against a whitelist.
type TwilioForm = Record<string, string | undefined>;

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

@ApiTags('twilio')
@SkipThrottle()
@UseGuards(TwilioSignatureGuard)
@ApiForbiddenResponse({ description: 'Missing or invalid X-Twilio-Signature (when TWILIO_AUTH_TOKEN is set)' })
@Controller('twilio')
export class TwilioWebhookController {
  constructor(
    private readonly config: AppConfig,
    private readonly sessions: CallSessionService,
    private readonly metrics: MetricsService,
    private readonly callStatus: CallStatusService,
  ) {}

  @Post('voice')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'TwiML <Connect><Stream> to the Media Stream' })
  voice(@Body() form: TwilioForm): string {
    const callSid = requireCallSid(form);
    const admission = this.sessions.reserve(callSid);
    if (!admission.admitted) {
      this.metrics.callsRefused.inc({ reason: admission.reason });
      return busyTwiml();
    }
    return mediaStreamTwiml(`${this.config.mediaStreamUrl}`, { from: form.From ?? '', to: form.To ?? '', callSid });
  }

  @Post('status')
  @HttpCode(204)
  @ApiConsumes('application/x-www-form-urlencoded')
  async status(@Body() form: TwilioForm): Promise<void> {
    const callSid = requireCallSid(form);
    const status = form.CallStatus;
    if (!status || !/^[a-z-]{3,20}$/.test(status)) throw new BadRequestException({ message: 'CallStatus is required', fields: [{ field: 'CallStatus', messages: ['CallStatus is required'] }] });
    const duration = form.CallDuration !== undefined ? Number(form.CallDuration) : undefined;
    await this.callStatus.record(callSid, status, Number.isFinite(duration) ? duration : undefined);
  }
}

function requireCallSid(form: TwilioForm): string {
  const callSid = form.CallSid;
  if (!callSid || !CALL_SID.test(callSid)) {
    throw new BadRequestException({ message: 'CallSid must be CA followed by 32 hex characters', fields: [{ field: 'CallSid', messages: ['CallSid must be CA followed by 32 hex characters'] }] });
  }
  return callSid;
}
