import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { InfrastructureModule } from './app.module';
import { EnvironmentError, validateEnvironment } from './config/environment';
import { SummariesWorkerModule } from './summaries/summaries-worker.module';

// The post-call worker on its own, so workers scale apart from call handling (npm run start:worker).
async function bootstrap(): Promise<void> {
  const environment = validateEnvironment(process.env);

  @Module({ imports: [InfrastructureModule.forRoot(environment), SummariesWorkerModule] })
  class WorkerModule {}

  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  app.get(Logger).log('Post-call summary worker running', 'Worker');
}

bootstrap().catch((error: unknown) => {
  if (error instanceof EnvironmentError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
