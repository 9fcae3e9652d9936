import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { createApp, listen } from '../../src/app.factory';
import { isolate, TestIsolation } from './test-database';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_SUPERVISOR_TOKEN = 'test-supervisor-token-0123456789';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  wsBaseUrl: string;
  port: number;
  isolation: TestIsolation;
  close(): Promise<void>;
}

/**
 * Boots the real service (HTTP, WebSockets, Postgres, Redis, BullMQ, local provider) on a
 * random port, on a database and Redis prefix of its own.
 */
export async function startTestApp(environment: Record<string, string | undefined> = {}, label = 'app'): Promise<TestApp> {
  const isolation = await isolate(label);
  const saved = { ...process.env };
  Object.assign(process.env, {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: isolation.databaseUrl,
    REDIS_KEY_PREFIX: isolation.redisKeyPrefix,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    SUPERVISOR_TOKEN: TEST_SUPERVISOR_TOKEN,
    SHUTDOWN_DRAIN_SECONDS: '2',
  });
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  let app: INestApplication;
  try {
    app = await createApp();
    await listen(app, 0);
  } finally {
    process.env = saved;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    app,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    wsBaseUrl: `ws://127.0.0.1:${port}`,
    isolation,
    close: () => app.close(),
  };
}
