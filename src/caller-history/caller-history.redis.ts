import { Logger, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';

export const CALLER_HISTORY_REDIS = Symbol('CALLER_HISTORY_REDIS');

/** Caller history's own fail-fast connection: a call never waits on Redis for a caller's history. */
export const callerHistoryRedisProvider: Provider = {
  provide: CALLER_HISTORY_REDIS,
  inject: [RedisConnectionFactory],
  useFactory: async (factory: RedisConnectionFactory): Promise<Redis> => {
    const { connection, ready } = await factory.createFailFast('caller-history');
    if (!ready) new Logger('CallerHistory').warn('Redis is not reachable yet: calls start without caller history until it is');
    return connection;
  },
};
