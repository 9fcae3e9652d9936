import { failFastRedisProvider } from '../redis/redis-connection.factory';

export const CALL_JOURNAL_REDIS = Symbol('CALL_JOURNAL_REDIS');

/** The journal's own fail-fast connection: while Redis is down events wait in the journal's bounded buffer. */
export const callJournalRedisProvider = failFastRedisProvider(CALL_JOURNAL_REDIS, 'call-journal', 'call events are buffered until it is');
