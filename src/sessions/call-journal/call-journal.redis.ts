import { Logger, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisConnectionFactory } from '../../redis/redis-connection.factory';

export const CALL_JOURNAL_REDIS = Symbol('CALL_JOURNAL_REDIS');
const READY_WAIT_MS = 3000;
// A black-holed connection must not stall the journal: fail the command, buffer, retry.
const COMMAND_TIMEOUT_MS = 2000;

/**
 * The journal's own connection. No offline queue: while Redis is down a command fails at once,
 * so events stay in our bounded buffer (and history loads give up) instead of piling up unseen.
 */
export const callJournalRedisProvider: Provider = {
  provide: CALL_JOURNAL_REDIS,
  inject: [RedisConnectionFactory],
  useFactory: async (factory: RedisConnectionFactory): Promise<Redis> => {
    const connection = factory.create('call-journal', { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS });
    if (connection.status !== 'ready') {
      const ready = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), READY_WAIT_MS);
        connection.once('ready', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!ready) new Logger('CallJournal').warn('Redis is not reachable yet: call events are buffered until it is');
    }
    return connection;
  },
};
