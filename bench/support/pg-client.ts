import { Client } from 'pg';

export type PgClient = Client;

export function createPgClient(connectionString: string): PgClient {
  return new Client({ connectionString });
}
