import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { Request } from 'express';
import { MetricsService } from '../operations/metrics.service';
import { sourceAddress, TwilioRequestLimiter } from './twilio-request.limiter';
import { TwilioSignatureVerifier } from './twilio-signature.verifier';

const TWILIO_FORM = 'application/x-www-form-urlencoded';

/** Twilio webhooks: a missing or wrong signature gets 403 and the handler never runs. */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  constructor(
    private readonly verifier: TwilioSignatureVerifier,
    private readonly limiter: TwilioRequestLimiter,
    private readonly metrics: MetricsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // The signature covers form parameters only: any other body would pass unsigned, and the handlers read a form.
    if (!request.is(TWILIO_FORM))
      throw new UnsupportedMediaTypeException({ code: 'unsupported_media_type', message: `Twilio webhooks must be ${TWILIO_FORM}` });
    const signature = request.header('x-twilio-signature');
    if (this.verifier.verifyWebhook(signature, request.originalUrl, (request.body ?? {}) as Record<string, unknown>)) return true;
    this.metrics.mediaStreamErrors.inc({ reason: 'bad-webhook-signature' });
    await this.limiter.recordFailedSignature(sourceAddress(request));
    throw new ForbiddenException('Invalid or missing X-Twilio-Signature');
  }
}
