import { Injectable, InjectionToken, Logger, OnApplicationShutdown, OnModuleInit, Provider } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import type { RedisOptions as BullConnectionOptions } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { fieldLogger } from '../common/field-logger';
import { waitAtMost } from '../common/wait-at-most';

const QUIT_WAIT_MS = 1000;
const FAIL_FAST_READY_WAIT_MS = 3000;
// A black-holed connection must not stall a live call: the command fails, its caller buffers or gives up.
const FAIL_FAST_COMMAND_TIMEOUT_MS = 2000;

/**
 * The one place Redis connections are made. Commands use the shared client; BullMQ and
 * pub/sub subscribers need connections of their own, which are made here too so every
 * connection has the same settings and is closed at shutdown.
 */
@Injectable()
export class RedisConnectionFactory implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = fieldLogger(new Logger(RedisConnectionFactory.name));
  private readonly connections = new Set<Redis>();
  private sharedClient?: Redis;

  constructor(private readonly config: AppConfig) {}

  /*
   * Made at start-up, never lazily inside a request: its event handlers would otherwise log in
   * that request's context (its id and headers) for the life of the process.
   */
  onModuleInit(): void {
    void this.client;
  }

  /** Shared command connection. Commands fail fast while Redis is down instead of queueing forever. */
  get client(): Redis {
    if (!this.sharedClient) this.sharedClient = this.create('shared', { maxRetriesPerRequest: 1 });
    return this.sharedClient;
  }

  /** BullMQ requires maxRetriesPerRequest null on the connections it blocks on. */
  bullConnectionOptions(): BullConnectionOptions {
    return {
      url: this.config.env.REDIS_URL,
      connectionName: 'bullmq',
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
      maxRetriesPerRequest: null,
    };
  }

  create(name: string, overrides: RedisOptions = {}): Redis {
    const connection = new Redis(this.config.env.REDIS_URL, { ...this.baseOptions(), connectionName: name, ...overrides });
    let reportedDown = false;
    connection.on('error', (error: Error) => {
      if (!reportedDown) this.logger.warn('Redis connection error', { connection: name, error: error.message });
      reportedDown = true;
    });
    connection.on('ready', () => {
      if (reportedDown) this.logger.log('Redis connection is back', { connection: name });
      reportedDown = false;
    });
    this.connections.add(connection);
    connection.once('end', () => this.connections.delete(connection));
    return connection;
  }

  /**
   * A connection for work a live call waits on (its journal, its caller's history). No offline
   * queue: while Redis is down a command fails at once, so callers keep their own bounded
   * buffers instead of piling commands up unseen. Waits a little for the first connect.
   */
  async createFailFast(name: string): Promise<{ connection: Redis; ready: boolean }> {
    const connection = this.create(name, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: FAIL_FAST_COMMAND_TIMEOUT_MS,
    });
    if (connection.status === 'ready') return { connection, ready: true };
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), FAIL_FAST_READY_WAIT_MS);
      connection.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    return { connection, ready };
  }

  /**
   * A pub/sub connection that subscribes again, itself, to `channels()` (read at that moment) each
   * time it reconnects, then calls `onResubscribed` (messages sent meanwhile are lost). ioredis's
   * own resubscribing would leave a rejected promise nobody listens to when the connection closes
   * mid-resubscribe, and an unhandled rejection stops the process.
   */
  createSubscriber(name: string, channels: () => string[], onResubscribed?: () => void): Redis {
    const subscriber = this.create(name, { autoResubscribe: false });
    let connectedBefore = false;
    subscriber.on('ready', () => {
      const wanted = channels();
      if (connectedBefore && wanted.length > 0) {
        subscriber
          .subscribe(...wanted)
          .catch((error: Error) => this.logger.warn('Resubscribing failed', { connection: name, error: error.message }));
      }
      if (connectedBefore) onResubscribed?.();
      connectedBefore = true;
    });
    return subscriber;
  }

  /** QUIT where Redis answers; a connection that is down or between reconnects is simply dropped. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [...this.connections].map(async (connection) => {
        const quit = connection.status === 'ready' ? await waitAtMost(connection.quit(), QUIT_WAIT_MS) : false;
        if (!quit) connection.disconnect();
      }),
    );
  }

  private baseOptions(): RedisOptions {
    return {
      lazyConnect: false,
      enableOfflineQueue: true,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    };
  }
}

/**
 * A fail-fast connection of its own for a module on the live call path, under `token`; says once,
 * at start-up, what the module does while Redis is not reachable yet.
 */
export function failFastRedisProvider(token: InjectionToken, name: string, whileDown: string): Provider {
  return {
    provide: token,
    inject: [RedisConnectionFactory],
    useFactory: async (factory: RedisConnectionFactory): Promise<Redis> => {
      const { connection, ready } = await factory.createFailFast(name);
      if (!ready) new Logger(RedisConnectionFactory.name).warn(`Redis is not reachable yet (${name}): ${whileDown}`);
      return connection;
    },
  };
}
