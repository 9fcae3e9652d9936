import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import { sourceAddress, TwilioRequestLimiter } from './twilio-request.limiter';

/** Twilio webhooks: a source over its budget gets 429 with Retry-After, before any signature work. */
@Injectable()
export class TwilioRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: TwilioRequestLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const verdict = await this.limiter.admit(sourceAddress(http.getRequest<Request>()));
    if (verdict.allowed) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(verdict.retryAfterSeconds));
    throw new HttpException(
      { code: 'rate_limited', message: `Too many Twilio requests from this address (${verdict.budget} budget spent); retry later` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
