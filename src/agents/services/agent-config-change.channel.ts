import { Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { RedisConnectionFactory } from '../../redis/redis-connection.factory';
import { fieldLogger } from '../../common/field-logger';

export interface AgentConfigChange {
  key: string;
  version: number;
}

/** Messages come from other instances over Redis: anything malformed is ignored. */
export function parseAgentConfigChange(message: string): AgentConfigChange | undefined {
  try {
    const parsed: unknown = JSON.parse(message);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { key, version } = parsed as Record<string, unknown>;
    if (typeof key !== 'string' || key === '' || !Number.isInteger(version) || (version as number) < 1) return undefined;
    return { key, version: version as number };
  } catch {
    return undefined;
  }
}

export interface AgentConfigChangeHandlers {
  onChange(change: AgentConfigChange): void;
  /** The subscriber reconnected: messages sent meanwhile are lost, so reload everything. */
  onResubscribed(): void;
}

const SUBSCRIBE_WAIT_MS = 3000;

/** Redis pub/sub that tells every instance an agent config changed. */
@Injectable()
export class AgentConfigChangeChannel {
  private readonly logger = fieldLogger(new Logger(AgentConfigChangeChannel.name));
  private subscriber?: Redis;

  constructor(
    private readonly redis: RedisConnectionFactory,
    private readonly config: AppConfig,
  ) {}

  get channel(): string {
    return this.config.redisKey('agent-config-changed');
  }

  async publish(change: AgentConfigChange): Promise<void> {
    await this.redis.client.publish(this.channel, JSON.stringify(change));
  }

  /** Resolves once subscribed, or after a short wait while Redis is unreachable (it keeps trying). */
  async subscribe(handlers: AgentConfigChangeHandlers): Promise<void> {
    const channel = this.channel;
    const subscriber = this.redis.createSubscriber(
      'agent-config-changes',
      () => [channel],
      () => handlers.onResubscribed(),
    );
    this.subscriber = subscriber;
    subscriber.on('message', (from: string, message: string) => {
      if (from !== channel) return;
      const change = parseAgentConfigChange(message);
      if (change) handlers.onChange(change);
      else this.logger.warn('Ignored a malformed agent config change message', { channel });
    });
    let timer: NodeJS.Timeout | undefined;
    const subscribed = subscriber.subscribe(channel).then(
      () => true,
      (error: Error) => {
        this.logger.warn('Subscribing failed', { channel, error: error.message });
        return false;
      },
    );
    const gaveUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), SUBSCRIBE_WAIT_MS);
    });
    const ok = await Promise.race([subscribed, gaveUp]);
    clearTimeout(timer);
    if (!ok) this.logger.warn('Not yet subscribed; relying on the periodic reload until Redis answers', { channel });
  }

  close(): void {
    this.subscriber?.removeAllListeners('message');
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}
