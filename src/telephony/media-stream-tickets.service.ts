import { Injectable, Logger } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { withinTime } from '../common/wait-at-most';
import { AppConfig } from '../config/app-config';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';
import { AdmittedCaller } from '../sessions/call-session.service';
import { fieldLogger } from '../common/field-logger';

/** Twilio opens the Media Stream within a second or two of our TwiML; a ticket lives this long. */
export const STREAM_TICKET_TTL_MS = 30_000;
const REDIS_WAIT_MS = 500;

interface Ticket {
  token: string;
  caller: AdmittedCaller;
  /** The stream brings back a caller from a warm transfer nobody took, to the call already live. */
  rejoin?: boolean;
}

export type TicketRedemption = { ok: true; caller: AdmittedCaller; rejoin: boolean } | { ok: false; reason: 'no-ticket' | 'wrong-token' };

/**
 * Binds a Media Stream to the voice webhook that admitted its call. The upgrade signature
 * covers only the URL, so it proves nothing about which call a stream belongs to: the
 * webhook issues a one-time token for the call SID (it reaches the stream only through the
 * TwiML Twilio fetched), and `start` must present it within the window. The caller's
 * identity comes from what the webhook saw, never from the stream's own parameters.
 *
 * Tickets live in Redis so a stream may land on another instance than its webhook, and in
 * this process's memory so a Redis blip does not turn away the calls it admitted itself.
 */
@Injectable()
export class MediaStreamTickets {
  private readonly logger = fieldLogger(new Logger(MediaStreamTickets.name));
  private readonly local = new Map<string, Ticket & { expiresAt: number }>();

  constructor(
    private readonly redis: RedisConnectionFactory,
    private readonly config: AppConfig,
  ) {}

  async issue(callSid: string, caller: AdmittedCaller, options: { rejoin?: boolean } = {}): Promise<string> {
    this.forgetExpired();
    const ticket: Ticket = { token: randomBytes(18).toString('base64url'), caller, ...(options.rejoin ? { rejoin: true } : {}) };
    this.local.set(callSid, { ...ticket, expiresAt: Date.now() + STREAM_TICKET_TTL_MS });
    const stored = this.redis.client.set(this.key(callSid), JSON.stringify(ticket), 'PX', STREAM_TICKET_TTL_MS);
    await withinTime(stored, REDIS_WAIT_MS).catch((error: unknown) =>
      this.logger.warn('Stream ticket kept in this process only (Redis unavailable)', { callSid, error: String(error) }),
    );
    return ticket.token;
  }

  /** One use: a redeemed or expired ticket opens nothing. */
  async redeem(callSid: string, token: string): Promise<TicketRedemption> {
    const local = this.local.get(callSid);
    this.local.delete(callSid);
    const shared = await withinTime(this.redis.client.getdel(this.key(callSid)), REDIS_WAIT_MS).catch((error: unknown) => {
      if (!local) this.logger.warn('Stream ticket not readable from Redis', { callSid, error: String(error) });
      return null;
    });
    const ticket = local && local.expiresAt > Date.now() ? local : parseTicket(shared);
    if (!ticket) return { ok: false, reason: 'no-ticket' };
    if (!sameToken(ticket.token, token)) return { ok: false, reason: 'wrong-token' };
    return { ok: true, caller: ticket.caller, rejoin: ticket.rejoin === true };
  }

  private key(callSid: string): string {
    return this.config.redisKey('stream-ticket', callSid);
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [callSid, ticket] of this.local) if (ticket.expiresAt <= now) this.local.delete(callSid);
  }
}

function parseTicket(raw: string | null): Ticket | null {
  if (!raw) return null;
  try {
    const ticket = JSON.parse(raw) as Ticket;
    return typeof ticket?.token === 'string' && typeof ticket.caller?.fromMasked === 'string' ? ticket : null;
  } catch {
    return null;
  }
}

function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
