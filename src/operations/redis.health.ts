import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withinTime } from '../common/wait-at-most';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly redis: RedisConnectionFactory,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key: 'redis') {
    const indicator = this.health.check(key);
    try {
      const started = Date.now();
      await withinTime(this.redis.client.ping(), 1000);
      return indicator.up({ latencyMs: Date.now() - started });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
