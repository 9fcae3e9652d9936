import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { CallJournalReader } from '../call-journal/call-journal.reader';
import { fieldLogger } from '../common/field-logger';
import { AppConfig } from '../config/app-config';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';
import { CallSessionService } from '../sessions/call-session.service';
import { CallRecordsRepository } from '../summaries/call-records.repository';
import { SupervisionCommand, SupervisionOutcome } from './supervision-command.types';
import { CommandEnvelope, parseCommandEnvelope, parseReplyEnvelope } from './supervision-envelope';
import { SupervisionExecutor } from './supervision.executor';
import { callEnded, callNotFound, callUnreachable, refused } from './supervision-outcomes';

/** How long the instance holding a call has to answer; a takeover waits on Twilio's REST API (5 s at most). */
const ANSWER_WAIT_MS: Record<SupervisionCommand['kind'], number> = {
  whisper: 3000,
  'withdraw-whisper': 3000,
  takeover: 8000,
  end: 3000,
  listen: 3000,
  'stop-listening': 3000,
  status: 3000,
};

type CallWhereabouts = 'live' | 'ended' | 'unknown' | 'unavailable';

/**
 * Routes a supervision command to the instance that holds the call: in process when it is this
 * one, else over Redis pub/sub (every instance hears each command; only the holder answers).
 */
@Injectable()
export class SupervisionCommandBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = fieldLogger(new Logger(SupervisionCommandBus.name));
  private readonly replyChannel: string;
  private readonly commandChannel: string;
  private readonly awaiting = new Map<string, (outcome: SupervisionOutcome) => void>();
  private subscriber?: Redis;

  constructor(
    private readonly sessions: CallSessionService,
    private readonly executor: SupervisionExecutor,
    private readonly journal: CallJournalReader,
    private readonly records: CallRecordsRepository,
    private readonly redis: RedisConnectionFactory,
    config: AppConfig,
  ) {
    this.commandChannel = config.redisKey('supervision', 'commands');
    this.replyChannel = config.redisKey('supervision', 'replies', randomUUID());
  }

  async send(callSid: string, command: SupervisionCommand): Promise<SupervisionOutcome> {
    const local = this.sessions.supervised(callSid);
    if (local) return this.executor.execute(local, command);
    const before = await this.whereabouts(callSid);
    if (before !== 'live') return this.refusalFor(callSid, before);
    const answer = await this.ask(callSid, command);
    if (answer) return answer;
    // Nobody answered: the call may have ended meanwhile, or its instance is gone (the orphan sweeper will close it).
    const after = await this.whereabouts(callSid);
    return after === 'live' ? callUnreachable(callSid) : this.refusalFor(callSid, after);
  }

  async onModuleInit(): Promise<void> {
    const channels = [this.commandChannel, this.replyChannel];
    const subscriber = this.redis.createSubscriber('supervision-commands', () => channels);
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.commandChannel) void this.onCommand(message);
      else if (channel === this.replyChannel) this.onReply(message);
    });
    // Not awaited past a short wait: a Redis that is down at start-up must not hold the service up.
    await Promise.race([
      subscriber.subscribe(...channels).catch((error: Error) => this.logger.warn('Subscribing failed', { error: error.message })),
      new Promise((resolve) => setTimeout(resolve, 3000).unref()),
    ]);
  }

  onModuleDestroy(): void {
    this.subscriber?.removeAllListeners('message');
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    for (const answer of this.awaiting.values()) answer(refused(503, 'shutting_down', 'This instance is shutting down.'));
    this.awaiting.clear();
  }

  private async ask(callSid: string, command: SupervisionCommand): Promise<SupervisionOutcome | undefined> {
    const requestId = randomUUID();
    const envelope: CommandEnvelope = { requestId, replyTo: this.replyChannel, callSid, command };
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<SupervisionOutcome | undefined>((resolve) => {
      this.awaiting.set(requestId, resolve);
      timer = setTimeout(() => resolve(undefined), ANSWER_WAIT_MS[command.kind]);
    });
    try {
      await this.redis.client.publish(this.commandChannel, JSON.stringify(envelope));
      return await answered;
    } catch (error) {
      this.logger.warn('Could not route a supervision command', { callSid, command: command.kind, error: String(error) });
      return undefined;
    } finally {
      clearTimeout(timer);
      this.awaiting.delete(requestId);
    }
  }

  private async onCommand(message: string): Promise<void> {
    const envelope = parseCommandEnvelope(message);
    if (!envelope) return this.logger.warn('Ignored a malformed supervision command', { channel: this.commandChannel });
    const call = this.sessions.supervised(envelope.callSid);
    if (!call) return;
    const outcome = await this.executor
      .execute(call, envelope.command)
      .catch((error: unknown) =>
        refused(503, 'supervision_failed', `The command failed on the instance holding the call: ${String(error)}`),
      );
    await this.redis.client
      .publish(envelope.replyTo, JSON.stringify({ requestId: envelope.requestId, outcome }))
      .catch((error: Error) =>
        this.logger.warn('Could not answer a supervision command', { callSid: envelope.callSid, error: error.message }),
      );
  }

  private onReply(message: string): void {
    const reply = parseReplyEnvelope(message);
    if (reply) this.awaiting.get(reply.requestId)?.(reply.outcome);
  }

  private async whereabouts(callSid: string): Promise<CallWhereabouts> {
    try {
      const state = await this.journal.stateOf(callSid);
      if (state !== 'unknown') return state;
      return (await this.records.isStored(callSid)) ? 'ended' : 'unknown';
    } catch (error) {
      this.logger.warn('Could not tell where a call is', { callSid, error: String(error) });
      return 'unavailable';
    }
  }

  private refusalFor(callSid: string, whereabouts: Exclude<CallWhereabouts, 'live'>): SupervisionOutcome {
    switch (whereabouts) {
      case 'ended':
        return callEnded(callSid);
      case 'unknown':
        return callNotFound(callSid);
      case 'unavailable':
        return refused(
          503,
          'supervision_unavailable',
          'Live calls cannot be reached right now (Redis or Postgres is down); try again shortly.',
        );
    }
  }
}
