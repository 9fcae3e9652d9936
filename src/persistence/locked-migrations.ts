import { DataSource } from 'typeorm';

// Any constant shared by every process of this service; pg advisory locks are per database.
const MIGRATION_LOCK_KEY = 74_115_001;

/**
 * Runs pending migrations while holding a Postgres advisory lock, so a service, its workers and
 * a cluster primary starting together never run the same migration twice.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
