import { failFastRedisProvider } from '../redis/redis-connection.factory';

export const CALLER_HISTORY_REDIS = Symbol('CALLER_HISTORY_REDIS');

/** Caller history's own fail-fast connection: a call never waits on Redis for a caller's history. */
export const callerHistoryRedisProvider = failFastRedisProvider(
  CALLER_HISTORY_REDIS,
  'caller-history',
  'calls start without caller history until it is',
);
