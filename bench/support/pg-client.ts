// `pg` ships without types here (no @types/pg in the project); this is the little the bench uses.
export interface PgClient {
  connect(): Promise<void>;
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
  end(): Promise<void>;
}

const pg = require('pg') as { Client: new (config: { connectionString: string }) => PgClient };

export function createPgClient(connectionString: string): PgClient {
  return new pg.Client({ connectionString });
}
