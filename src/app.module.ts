import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { ToolsModule } from './agents/tools/tools.module';
import { AgentsModule } from './agents/agents.module';
import { CallJournalModule } from './call-journal/call-journal.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { Environment } from './config/environment';
import { HandoffLogModule } from './handoff/handoff-log.module';
import { OperationsModule } from './operations/operations.module';
import { PersistenceModule } from './persistence/persistence.module';
import { RedisConnectionFactory } from './redis/redis-connection.factory';
import { RedisModule } from './redis/redis.module';
import { PostCallQueueModule } from './summaries/post-call-queue.module';
import { PostCallSummaryQueue } from './summaries/post-call-summary.queue';
import { SummariesModule } from './summaries/summaries.module';
import { SupervisionModule } from './supervision/supervision.module';
import { TelephonyModule } from './telephony/telephony.module';
import { TracingModule } from './tracing/tracing.module';

const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-twilio-signature"]',
  'req.headers["sec-websocket-protocol"]',
  'req.headers.cookie',
  'req.body.From',
  'req.body.To',
  'req.body.Caller',
  'req.body.Called',
];

/** The infrastructure every process role shares: config, logs, Postgres, Redis, BullMQ, tracing. */
@Module({})
export class InfrastructureModule {
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: InfrastructureModule,
      global: true,
      imports: [
        ConfigModule.forRoot(environment),
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.env.LOG_LEVEL,
              genReqId: (request, response) => {
                const given = request.headers['x-request-id'];
                const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
                response.setHeader('x-request-id', id);
                return id;
              },
              redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
              autoLogging: { ignore: (request) => ['/health', '/ready', '/metrics'].includes(request.url ?? '') },
            },
          }),
        }),
        RedisModule,
        PersistenceModule,
        OperationsModule,
        TracingModule,
        BullModule.forRootAsync({
          inject: [RedisConnectionFactory, AppConfig],
          useFactory: (redis: RedisConnectionFactory, config: AppConfig) => ({
            connection: redis.bullConnectionOptions(),
            prefix: config.redisKey('bull'),
          }),
        }),
      ],
      exports: [ConfigModule, RedisModule, OperationsModule, TracingModule],
    };
  }
}

/**
 * The call journal of this process, handing closed calls to the post-call queue. Both roles run
 * it: the service records its live calls; both sweep calls whose instance died.
 */
export function callJournalModule(): DynamicModule {
  return CallJournalModule.forRoot({ closedCallQueue: { module: PostCallQueueModule, queue: PostCallSummaryQueue } });
}

/** The HTTP and WebSocket service: call handling, REST, and (by default) the post-call worker. */
@Module({})
export class AppModule {
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.forRoot(environment),
        callJournalModule(),
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: 600 }]),
        SummariesModule.forRoot({ runWorker: environment.RUN_WORKER }),
        AgentsModule,
        HandoffLogModule,
        ToolsModule,
        TelephonyModule,
        SupervisionModule,
        ConsoleModule.forRoot(),
      ],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    };
  }
}
