import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { fieldLogger } from '../common/field-logger';
import { withinTime } from '../common/wait-at-most';
import { AppConfig } from '../config/app-config';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';

/** What the person answering a warm transfer is told, and which call it belongs to. */
export interface WarmHandover {
  callSid: string;
  reason: string;
  summary: string;
}

/** Long enough for any dial and the conversation that follows; the dial result may come when it ends. */
const HANDOVER_TTL_MS = 6 * 3600 * 1000;
const REDIS_WAIT_MS = 500;

/**
 * The warm transfers this service has started, by an id that goes into the TwiML's callback URLs:
 * Twilio's whisper and dial-result requests carry it back. In Redis, so any instance can answer the
 * whisper; in this process too, so a Redis blip does not leave the person without it.
 */
@Injectable()
export class WarmTransfers {
  private readonly logger = fieldLogger(new Logger(WarmTransfers.name));
  private readonly local = new Map<string, WarmHandover & { expiresAt: number }>();

  constructor(
    private readonly redis: RedisConnectionFactory,
    private readonly config: AppConfig,
  ) {}

  async open(handover: WarmHandover): Promise<string> {
    const transferId = randomUUID();
    const now = Date.now();
    for (const [id, known] of this.local) if (known.expiresAt <= now) this.local.delete(id);
    this.local.set(transferId, { ...handover, expiresAt: now + HANDOVER_TTL_MS });
    await withinTime(this.redis.client.set(this.key(transferId), JSON.stringify(handover), 'PX', HANDOVER_TTL_MS), REDIS_WAIT_MS).catch(
      (error: unknown) =>
        this.logger.warn('Warm transfer kept in this process only (Redis unavailable)', {
          callSid: handover.callSid,
          error: String(error),
        }),
    );
    return transferId;
  }

  async find(transferId: string): Promise<WarmHandover | undefined> {
    const local = this.local.get(transferId);
    if (local && local.expiresAt > Date.now()) return { callSid: local.callSid, reason: local.reason, summary: local.summary };
    const stored = await withinTime(this.redis.client.get(this.key(transferId)), REDIS_WAIT_MS).catch(() => null);
    return parseHandover(stored);
  }

  private key(transferId: string): string {
    return this.config.redisKey('warm-transfer', transferId);
  }
}

function parseHandover(raw: string | null): WarmHandover | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<WarmHandover>;
    return typeof value.callSid === 'string' && typeof value.reason === 'string' && typeof value.summary === 'string'
      ? { callSid: value.callSid, reason: value.reason, summary: value.summary }
      : undefined;
  } catch {
    return undefined;
  }
}
