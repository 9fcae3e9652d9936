import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import cluster from 'node:cluster';
import { AppConfig } from './config/app-config';
import { EnvironmentError, validateEnvironment } from './config/environment';
import { runClusterPrimary } from './cluster-primary';
import { stopOnSignals } from './operations/stop-on-signals';
import { startTracing } from './tracing/tracing-sdk';

async function main(): Promise<void> {
  const environment = validateEnvironment(process.env);
  if (environment.WEB_CONCURRENCY > 1 && cluster.isPrimary) return runClusterPrimary(environment);
  return bootstrap();
}

async function bootstrap(): Promise<void> {
  await startTracing(process.env, 'service');
  // Loaded here so a cluster primary never pulls in the whole application.
  const { createApp, listen } = await import('./app.factory');
  const { CallSessionService } = await import('./sessions/call-session.service');
  const app = await createApp();
  const config = app.get(AppConfig);
  await listen(app, config.port);
  const logger = new Logger('Shutdown');

  stopOnSignals(app, logger, async (signal) => {
    const seconds = config.env.SHUTDOWN_DRAIN_SECONDS;
    logger.log(`${signal}: draining; new calls are turned away, live calls get ${seconds}s to finish`);
    const remaining = await app.get(CallSessionService).drain(seconds * 1000);
    if (remaining > 0) logger.warn(`${remaining} call(s) still live after the drain window; ending them`);
  });
}

main().catch((error: unknown) => {
  if (error instanceof EnvironmentError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Service failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
