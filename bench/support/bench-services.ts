import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { createPgClient } from './pg-client';

/* The outside world of a bench run: its own database, its own Redis prefix, the service. */

export const ADMIN_DATABASE_URL = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createDatabase(name: string): Promise<void> {
  if (!/^voice_agents_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to create ${name}: not a bench database name`);
  const client = createPgClient(ADMIN_DATABASE_URL);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** Drops only databases named like a bench database (never anything else). */
export async function dropDatabase(name: string): Promise<void> {
  if (!/^voice_agents_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}: not a bench database name`);
  const client = createPgClient(ADMIN_DATABASE_URL);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Deletes the run's Redis keys (SCAN, bounded). */
export async function deleteRedisPrefix(prefix: string): Promise<number> {
  if (!/^bench-[A-Za-z0-9-]+$/.test(prefix)) throw new Error(`refusing to delete keys under ${prefix}: not a bench prefix`);
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    for (let round = 0; round < 100_000; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) deleted += await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export async function versions(databaseName: string): Promise<{ postgres?: string; redis?: string }> {
  const found: { postgres?: string; redis?: string } = {};
  const client = createPgClient(databaseUrl(databaseName));
  try {
    await client.connect();
    found.postgres = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
  } catch {
    // Reported as unknown.
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    found.redis = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1];
  } catch {
    // Reported as unknown.
  } finally {
    redis.disconnect();
  }
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface ServiceProcess {
  process: ChildProcess;
  port: number;
  baseUrl: string;
  logFile: string;
  /** Relay processes: 1 = the spawned process itself; N > 1 = its cluster workers. */
  workers: number;
  /** Cluster mode: the primary appends each worker's pid here once it listens. */
  listeningFile: string;
}

export interface ServiceSettings {
  repoRoot: string;
  port: number;
  databaseName: string;
  redisPrefix: string;
  /** Where the service finds Redis; default REDIS_URL (a fault run points it at its blip proxy). */
  redisUrl?: string;
  providerUrl: string;
  logFile: string;
  /** WEB_CONCURRENCY */
  workers: number;
  /** ADMISSION_MAX_EVENT_LOOP_LAG_MS (0: off) */
  admissionLagMs: number;
  /** MAX_LIVE_CALLS (0: no limit) */
  maxLiveCalls: number;
  profileDirectory?: string;
  profilePrefix?: string;
}

/**
 * `node dist/main.js` against the bench's database, Redis prefix and provider peer. With
 * workers > 1 the spawned process is a cluster primary (it migrates, then forks the relay
 * workers, which share the port).
 */
export function startService(settings: ServiceSettings): ServiceProcess {
  const log = openSync(settings.logFile, 'a');
  const listeningFile = settings.logFile.replace(/\.log$/, '') + '.listening';
  rmSync(listeningFile, { force: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    PORT: String(settings.port),
    DATABASE_URL: databaseUrl(settings.databaseName),
    REDIS_URL: settings.redisUrl ?? REDIS_URL,
    REDIS_KEY_PREFIX: settings.redisPrefix,
    VOICE_AGENT_PROVIDER: 'assemblyai',
    VOICE_AGENT_URL: settings.providerUrl,
    ASSEMBLYAI_API_KEY: 'bench-key-123',
    LOG_LEVEL: 'warn',
    // Every call has ended by the time the bench stops the service.
    SHUTDOWN_DRAIN_SECONDS: '2',
    WEB_CONCURRENCY: String(settings.workers),
    ADMISSION_MAX_EVENT_LOOP_LAG_MS: String(settings.admissionLagMs),
    MAX_LIVE_CALLS: String(settings.maxLiveCalls),
    // Every simulated call comes from 127.0.0.1; the per-source Twilio budget is for the real Twilio.
    TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE: '1000000',
    // The bench's callers stream audio but the bench peer never transcribes it: to the silence guard every caller is silent.
    CALLER_SILENCE_PROMPT_SECONDS: '0',
    BENCH_LISTENING_FILE: listeningFile,
    ...(settings.profileDirectory
      ? { BENCH_PROFILE_DIR: settings.profileDirectory, BENCH_PROFILE_PREFIX: settings.profilePrefix ?? 'service' }
      : {}),
  };
  // BENCH_SERVICE_NODE_ARGS: extra node flags for experiments (e.g. --trace-gc, --max-semi-space-size=32).
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '-r', resolve(__dirname, 'service-preload.js'), 'dist/main.js'], {
    cwd: settings.repoRoot,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  return {
    process: child,
    port: settings.port,
    baseUrl: `http://127.0.0.1:${settings.port}`,
    logFile: settings.logFile,
    workers: settings.workers,
    listeningFile,
  };
}

/** The service's own event-loop delay p99 over its last second (the gauge admission control reads), in ms. */
export function parseEventLoopLagMs(metricsText: string): number | undefined {
  const match = /^voice_agent_event_loop_lag_p99_seconds(?:\{[^}]*\})? (\S+)$/m.exec(metricsText);
  const seconds = match ? Number(match[1]) : NaN;
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

function getText(url: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolveText) => {
    const request = http.get(url, { timeout: timeoutMs, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolveText(response.statusCode === 200 ? Buffer.concat(chunks).toString('utf8') : undefined));
      response.on('error', () => resolveText(undefined));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolveText(undefined));
  });
}

/**
 * Polls GET /metrics every intervalMs for the service's event-loop lag gauge. In cluster mode
 * each scrape reaches one worker (connections are spread round-robin), so the values mix the
 * workers: read them as "some relay process lagged this much".
 */
export class EventLoopLagPoller {
  private values: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;

  constructor(
    private readonly baseUrl: string,
    private readonly intervalMs = 2000,
  ) {}

  start(): void {
    this.values = [];
    this.timer = setInterval(() => void this.scrape(), this.intervalMs);
    this.timer.unref();
  }

  stop(): number[] {
    clearInterval(this.timer);
    this.timer = undefined;
    return [...this.values];
  }

  private async scrape(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const text = await getText(`${this.baseUrl}/metrics`, 2000);
      const lag = text === undefined ? undefined : parseEventLoopLagMs(text);
      if (lag !== undefined) this.values.push(lag);
    } finally {
      this.inFlight = false;
    }
  }
}

function getStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolveStatus) => {
    const request = http.get(url, { timeout: timeoutMs, agent: false }, (response) => {
      response.resume();
      resolveStatus(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolveStatus(0));
  });
}

/** Worker pids the cluster primary reported listening, in order (restarted workers add lines). */
export function listeningWorkers(service: ServiceProcess): number[] {
  if (!existsSync(service.listeningFile)) return [];
  return readFileSync(service.listeningFile, 'utf8').split('\n').filter(Boolean).map(Number);
}

/** Polls GET /ready until 200 (in cluster mode: once every worker listens), the process exits, or the time is up. */
export async function waitUntilReady(service: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null || service.process.signalCode !== null) {
      throw new Error(
        `the service exited (${service.process.exitCode ?? service.process.signalCode}) before it was ready:\n${tail(service.logFile)}`,
      );
    }
    const everyWorker = service.workers <= 1 || listeningWorkers(service).length >= service.workers;
    if (everyWorker && (await getStatus(`${service.baseUrl}/ready`, 2000)) === 200) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  throw new Error(`the service was not ready within ${timeoutMs} ms:\n${tail(service.logFile)}`);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
