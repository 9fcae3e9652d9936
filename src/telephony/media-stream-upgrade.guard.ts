import { Injectable } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { UpgradeVerdict } from '../common/guarded-ws.adapter';
import { MetricsService } from '../operations/metrics.service';
import { sourceAddress, TwilioRequestLimiter } from './twilio-request.limiter';
import { TwilioSignatureVerifier } from './twilio-signature.verifier';

/** The Media Stream upgrade: per-source budgets first (429), then the signature (403). */
@Injectable()
export class MediaStreamUpgradeGuard {
  constructor(
    private readonly verifier: TwilioSignatureVerifier,
    private readonly limiter: TwilioRequestLimiter,
    private readonly metrics: MetricsService,
  ) {}

  async check(request: IncomingMessage): Promise<UpgradeVerdict> {
    const source = sourceAddress(request);
    const admitted = await this.limiter.admit(source);
    if (!admitted.allowed) {
      return { allowed: false, status: 429, message: 'Too Many Requests', headers: { 'Retry-After': String(admitted.retryAfterSeconds) } };
    }
    const verdict = this.verifier.verifyUpgrade(request);
    if (!verdict.allowed) {
      this.metrics.mediaStreamErrors.inc({ reason: 'bad-upgrade-signature' });
      await this.limiter.recordFailedSignature(source);
    }
    return verdict;
  }
}
