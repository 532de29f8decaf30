import { Injectable } from '@nestjs/common';
import type { RedisClient } from '../infra/redis/redis.factory';
import { InjectRedis } from '../infra/redis/redis.tokens';
import { Problem } from './problem';

/**
 * Fixed-window limits counted in Redis, so that every instance shares them. `hit` throws a
 * 429 (with Retry-After) once `limit` is exceeded within the window.
 */
@Injectable()
export class RateLimiter {
  constructor(@InjectRedis() private readonly redis: RedisClient) {}

  async hit(key: string, limit: number, windowSeconds: number, detail?: string): Promise<void> {
    const redisKey = `ratelimit:${key}`;
    // Created with its expiry in the same transaction: a key is never left without one.
    const [, [, count], [, ttl]] = (await this.redis
      .multi()
      .set(redisKey, 0, 'EX', windowSeconds, 'NX')
      .incr(redisKey)
      .ttl(redisKey)
      .exec()) as [unknown, [null, number], [null, number]];
    if (count > limit) throw Problem.tooManyRequests(ttl > 0 ? ttl : windowSeconds, detail);
  }
}
