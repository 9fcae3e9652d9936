import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { DrainState } from './drain-state';
import { MetricsService } from './metrics.service';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('operations')
@SkipThrottle()
@Controller()
export class OperationsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly metrics: MetricsService,
    private readonly drain: DrainState,
  ) {}

  @Get('health')
  @ApiOkResponse({ description: 'The process is alive' })
  liveness() {
    return { status: 'ok', draining: this.drain.draining };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'Postgres and Redis are reachable; the instance takes calls' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down or the instance is draining' })
  async readiness() {
    if (this.drain.draining)
      throw new ServiceUnavailableException({ message: 'Draining for shutdown: not taking new calls', code: 'draining' });
    return this.health.check([() => this.database.pingCheck('postgres', { timeout: 1000 }), () => this.redis.isHealthy('redis')]);
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ description: 'Prometheus text format' })
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
