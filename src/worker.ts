import 'reflect-metadata';
import { Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { callJournalModule, InfrastructureModule } from './app.module';
import { EnvironmentError, validateEnvironment } from './config/environment';
import { SummariesWorkerModule } from './summaries/summaries-worker.module';
import { stopOnSignals } from './operations/stop-on-signals';
import { startTracing } from './tracing/tracing-sdk';

// The post-call worker on its own, so workers scale apart from call handling (npm run start:worker):
// post-call summary jobs, and the orphan sweep that closes calls whose instance died.
async function bootstrap(): Promise<void> {
  const environment = validateEnvironment(process.env);
  await startTracing(process.env, 'worker');

  @Module({ imports: [InfrastructureModule.forRoot(environment), callJournalModule(), SummariesWorkerModule] })
  class WorkerModule {}

  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  await app.init();
  const logger = new NestLogger('Worker');
  logger.log('Post-call summary worker running');

  stopOnSignals(app, logger, (signal) => logger.log(`${signal}: finishing the jobs in hand, then stopping`));
}

bootstrap().catch((error: unknown) => {
  if (error instanceof EnvironmentError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
