import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { createApp, listen } from '../../src/app.factory';
import { isolate, TestIsolation } from './test-database';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_SUPERVISOR_TOKEN = 'test-supervisor-token-0123456789';

/** Well above the service's own bounded shutdown steps; a close past it is a bug to report, not wait out. */
const CLOSE_LIMIT_MS = 20_000;

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
    // Off unless a suite is about the silence guard: many suites hold quiet calls open on purpose.
    CALLER_SILENCE_PROMPT_SECONDS: '0',
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
    close: () => closeWithin(app, CLOSE_LIMIT_MS),
  };
}

const SHUTDOWN_HOOKS = ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] as const;

/**
 * app.close(), failing with the names of the shutdown hooks still running when it takes too
 * long, so a hang is a readable test failure instead of a test run that never ends.
 */
async function closeWithin(app: INestApplication, limitMs: number): Promise<void> {
  const running = new Set<string>();
  for (const instance of providerInstances(app)) {
    for (const hook of SHUTDOWN_HOOKS) {
      const original = instance[hook];
      if (typeof original !== 'function') continue;
      const name = `${instance.constructor.name}.${hook}`;
      instance[hook] = async (...args: unknown[]) => {
        running.add(name);
        try {
          return await original.apply(instance, args);
        } finally {
          running.delete(name);
        }
      };
    }
  }
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`app.close() still running after ${limitMs} ms, in: ${[...running].join(', ') || '(no hook)'}`)),
      limitMs,
    );
  });
  try {
    await Promise.race([app.close(), tooLong]);
  } finally {
    clearTimeout(timer);
  }
}

type HookedInstance = Record<string, unknown> & { constructor: { name: string } };

function providerInstances(app: INestApplication): HookedInstance[] {
  // Nest has no public list of provider instances; its container is stable across v10/v11.
  const container = (app as unknown as { container: { getModules(): Map<string, { providers: Map<unknown, { instance: unknown }> }> } })
    .container;
  const instances = new Set<HookedInstance>();
  for (const module of container.getModules().values()) {
    for (const wrapper of module.providers.values()) {
      if (wrapper.instance && typeof wrapper.instance === 'object') instances.add(wrapper.instance as HookedInstance);
    }
  }
  return [...instances];
}
