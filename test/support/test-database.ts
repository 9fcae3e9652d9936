import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/persistence/data-source-options';
import { databaseUrl, runId, templateDatabaseName, withAdminClient } from './test-run';

export interface TestIsolation {
  databaseUrl: string;
  databaseName: string;
  redisKeyPrefix: string;
}

/** A fresh database cloned from the run's migrated template, plus a Redis key prefix of its own. */
export async function isolate(label = 'file'): Promise<TestIsolation> {
  const id = runId();
  const suffix = `${label
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 20)
    .toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const databaseName = `${templateDatabaseName(id).replace(/_template$/, '')}_${suffix}`;
  await withAdminClient(async (client) => {
    // Concurrent clones of one template can briefly collide ("being accessed by other users").
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${databaseName}" TEMPLATE "${templateDatabaseName(id)}"`);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return { databaseUrl: databaseUrl(databaseName), databaseName, redisKeyPrefix: `test:${id}:${suffix}` };
}

/** A plain TypeORM data source on an isolated database, for tests below the app. */
export async function openTestDataSource(label?: string): Promise<{ dataSource: DataSource; isolation: TestIsolation }> {
  const isolation = await isolate(label);
  const dataSource = new DataSource(dataSourceOptions(isolation.databaseUrl));
  await dataSource.initialize();
  return { dataSource, isolation };
}
