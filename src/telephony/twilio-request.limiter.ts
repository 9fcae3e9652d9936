import { Inject, Injectable, Logger } from '@nestjs/common';
import { normalizeIp, ThrottlerStorage } from '@nestjs/throttler';
import { IncomingMessage } from 'node:http';
import { budgetSpent, budgetVerdict, SourceBlocklist } from '../common/source-rate-limit';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../operations/metrics.service';
import { fieldLogger } from '../common/field-logger';

const WINDOW_MS = 60_000;

export type TwilioBudget = 'requests' | 'failed-signatures';
export type TwilioLimitVerdict = { allowed: true } | { allowed: false; budget: TwilioBudget; retryAfterSeconds: number };

/** The peer address (no proxy is trusted), IPv6 grouped by /64 as the throttler does. */
export function sourceAddress(request: IncomingMessage): string {
  return normalizeIp(request.socket.remoteAddress ?? 'unknown');
}

/**
 * Per-source budgets for everything that claims to be Twilio (webhooks and Media Stream
 * upgrades): a generous one for all requests, since Twilio's egress addresses carry many calls,
 * and a tight one for failed signatures, after which the source is refused without signature
 * work until the window passes. Counts live in the throttler's storage, per process.
 */
@Injectable()
export class TwilioRequestLimiter {
  private readonly logger = fieldLogger(new Logger(TwilioRequestLimiter.name));
  private readonly blocked = new SourceBlocklist();

  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** Counts one request from the source, or refuses it while the source is over a budget. */
  async admit(source: string): Promise<TwilioLimitVerdict> {
    const blockedFor = this.blocked.retryAfterSeconds(source, Date.now());
    if (blockedFor !== undefined) return this.refuse('failed-signatures', blockedFor);
    const record = await this.storage.increment(
      `twilio-requests:${source}`,
      WINDOW_MS,
      this.config.env.TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE,
      0,
      'twilio-requests',
    );
    const verdict = budgetVerdict(record);
    return verdict.allowed ? verdict : this.refuse('requests', verdict.retryAfterSeconds);
  }

  async recordFailedSignature(source: string): Promise<void> {
    const limit = this.config.env.TWILIO_FAILED_SIGNATURES_PER_MINUTE_PER_SOURCE;
    const record = await this.storage.increment(`twilio-failed-signatures:${source}`, WINDOW_MS, limit, 0, 'twilio-failed-signatures');
    if (!budgetSpent(record, limit)) return;
    const now = Date.now();
    if (this.blocked.retryAfterSeconds(source, now) !== undefined) return;
    this.blocked.block(source, now + WINDOW_MS, now);
    this.logger.warn('Too many failed Twilio signature checks from one source; its Twilio requests get 429 for a while', {
      source,
      failures: limit,
      blockedSeconds: WINDOW_MS / 1000,
    });
  }

  private refuse(budget: TwilioBudget, retryAfterSeconds: number): TwilioLimitVerdict {
    this.metrics.twilioRequestsLimited.inc({ budget });
    return { allowed: false, budget, retryAfterSeconds };
  }
}
