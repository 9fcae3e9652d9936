import { Logger, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';

export const CALL_JOURNAL_REDIS = Symbol('CALL_JOURNAL_REDIS');

/** The journal's own fail-fast connection: while Redis is down events wait in the journal's bounded buffer. */
export const callJournalRedisProvider: Provider = {
  provide: CALL_JOURNAL_REDIS,
  inject: [RedisConnectionFactory],
  useFactory: async (factory: RedisConnectionFactory): Promise<Redis> => {
    const { connection, ready } = await factory.createFailFast('call-journal');
    if (!ready) new Logger('CallJournal').warn('Redis is not reachable yet: call events are buffered until it is');
    return connection;
  },
};
