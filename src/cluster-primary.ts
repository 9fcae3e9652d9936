import cluster, { Worker } from 'node:cluster';
import { DataSource } from 'typeorm';
import { Environment } from './config/environment';
import { dataSourceOptions } from './persistence/data-source-options';
import { runMigrationsLocked } from './persistence/locked-migrations';

const log = (message: string) =>
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), context: 'ClusterPrimary', msg: message })}\n`);

/**
 * Several relay processes per instance (one per core): the primary migrates the database
 * once, forks the workers (they share the port; the kernel spreads connections), restarts
 * any that die, and passes SIGTERM on so each drains its own calls.
 */
export async function runClusterPrimary(environment: Environment): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(environment.DATABASE_URL));
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }

  let stopping = false;
  const restarts: number[] = [];
  const fork = (): Worker => cluster.fork();
  for (let index = 0; index < environment.WEB_CONCURRENCY; index++) fork();
  log(`started ${environment.WEB_CONCURRENCY} relay processes`);

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0] < now - 60_000) restarts.shift();
    if (restarts.length > 10) {
      log('relay processes keep dying (more than 10 restarts in a minute); stopping');
      process.exit(1);
    }
    log(`relay process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: passing it to the relay processes`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
