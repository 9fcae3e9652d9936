import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DrainState } from './drain-state';
import { EventLoopMonitor } from './event-loop-monitor';
import { MetricsService } from './metrics.service';
import { OperationsController } from './operations.controller';
import { RedisHealthIndicator } from './redis.health';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false })],
  controllers: [OperationsController],
  providers: [MetricsService, DrainState, RedisHealthIndicator, EventLoopMonitor],
  exports: [MetricsService, DrainState, EventLoopMonitor],
})
export class OperationsModule {}
