import 'reflect-metadata';
import { Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { InfrastructureModule } from './app.module';
import { EnvironmentError, validateEnvironment } from './config/environment';
import { SummariesWorkerModule } from './summaries/summaries-worker.module';
import { exitIfCloseHangs } from './operations/shutdown-deadline';

// The post-call worker on its own, so workers scale apart from call handling (npm run start:worker).
async function bootstrap(): Promise<void> {
  const environment = validateEnvironment(process.env);

  @Module({ imports: [InfrastructureModule.forRoot(environment), SummariesWorkerModule] })
  class WorkerModule {}

  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  await app.init();
  const logger = new NestLogger('Worker');
  logger.log('Post-call summary worker running');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing the jobs in hand, then stopping`);
    exitIfCloseHangs(logger);
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

bootstrap().catch((error: unknown) => {
  if (error instanceof EnvironmentError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
