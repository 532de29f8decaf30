import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '../common/with-timeout';
import type { RedisClient } from '../infra/redis/redis.factory';
import { REDIS_CLIENT } from '../infra/redis/redis.tokens';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly health: HealthIndicatorService,
  ) {}

  async pingCheck(key: string, timeoutMs = 1_000) {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.redis.ping(), timeoutMs);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
