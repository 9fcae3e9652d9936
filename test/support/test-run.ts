import { Client } from 'pg';

/**
 * One test run = one template database (migrated once) and one Redis key prefix root.
 * Each e2e file clones its own database from the template and uses its own key prefix,
 * so files running in parallel (and runs on the same machine) never collide.
 */
export const TEST_DATABASE_PREFIX = 'vat_';
export const ADMIN_DATABASE_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function runId(): string {
  const id = process.env.TEST_RUN_ID;
  if (!id) throw new Error('TEST_RUN_ID is not set: e2e tests must run through jest globalSetup');
  return id;
}

export function templateDatabaseName(id = runId()): string {
  return `${TEST_DATABASE_PREFIX}${id}_template`;
}

export function databaseUrl(database: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export function assertTestDatabase(name: string): void {
  if (!name.startsWith(TEST_DATABASE_PREFIX)) throw new Error(`Refusing destructive test cleanup on non-test database "${name}"`);
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
