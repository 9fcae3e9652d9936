import Redis from 'ioredis';
import { assertTestDatabase, runId, TEST_DATABASE_PREFIX, TEST_REDIS_URL, withAdminClient } from './test-run';

export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_DATA === '1') return;
  const id = runId();
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${TEST_DATABASE_PREFIX}${id}_%`,
    ]);
    for (const { datname } of rows) {
      assertTestDatabase(datname);
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `test:${id}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
