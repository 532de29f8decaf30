import { Global, Inject, Injectable, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { ConfigCenter } from '@/config/config-center';
import { ReactsToConfig } from '@/config/config-reaction';
import type { AppConfig } from '@/config/schema';
import { forwardingProxy } from '../generations/forwarding-proxy';
import { GenerationReloader } from '../generations/generation-reloader';
import { RequestScope } from '../generations/request-scope';
import { Swappable } from '../generations/swappable';
import { closeRedis, describeRedis, openRedis, type RedisClient } from './redis.factory';
import { REDIS_CLIENT, REDIS_GENERATIONS, type RedisGenerations } from './redis.tokens';

/** Rebuilds the Redis client when the `redis` section changes. */
@Injectable()
@ReactsToConfig('redis')
export class RedisReloader extends GenerationReloader<RedisClient> {
  constructor(
    center: ConfigCenter,
    scope: RequestScope,
    @Inject(REDIS_GENERATIONS) generations: RedisGenerations,
  ) {
    super('redis', center, scope, generations);
  }

  protected open(config: AppConfig): Promise<RedisClient> {
    return openRedis(config.redis);
  }

  protected close(client: RedisClient): Promise<void> {
    return closeRedis(client);
  }

  protected label(config: AppConfig): string {
    return describeRedis(config.redis);
  }

  protected drainTimeoutMs(config: AppConfig): number {
    return config.redis.drainTimeoutMs;
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS_GENERATIONS,
      inject: [ConfigCenter],
      useFactory: async (center: ConfigCenter): Promise<RedisGenerations> => {
        const { redis } = center.config;
        const client = await openRedis(redis);
        return new Swappable<RedisClient>('redis', client, describeRedis(redis), closeRedis);
      },
    },
    {
      provide: REDIS_CLIENT,
      inject: [REDIS_GENERATIONS, RequestScope],
      useFactory: (generations: RedisGenerations, scope: RequestScope) =>
        forwardingProxy<RedisClient>(Redis.prototype, () => scope.resolve(generations)),
    },
    RedisReloader,
  ],
  exports: [REDIS_CLIENT, REDIS_GENERATIONS],
})
export class RedisModule {}
