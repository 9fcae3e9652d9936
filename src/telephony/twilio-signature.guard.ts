import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { MetricsService } from '../operations/metrics.service';
import { TwilioSignatureVerifier } from './twilio-signature.verifier';

/** Twilio webhooks: a missing or wrong signature gets 403 and the handler never runs. */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  constructor(
    private readonly verifier: TwilioSignatureVerifier,
    private readonly metrics: MetricsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const signature = request.header('x-twilio-signature');
    if (this.verifier.verifyWebhook(signature, request.originalUrl, (request.body ?? {}) as Record<string, unknown>)) return true;
    this.metrics.mediaStreamErrors.inc({ reason: 'bad-webhook-signature' });
    throw new ForbiddenException('Invalid or missing X-Twilio-Signature');
  }
}
