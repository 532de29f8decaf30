import {
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import Redis from 'ioredis';
import { ConfigCenter } from '../../config/config-center';
import { forwardingProxy } from '../generations/forwarding-proxy';
import { RequestScope } from '../generations/request-scope';
import { Swappable } from '../generations/swappable';
import { closeRedis, describeRedis, openRedis, type RedisClient } from './redis.factory';
import { REDIS_CLIENT, REDIS_GENERATIONS, type RedisGenerations } from './redis.tokens';

/** Rebuilds the Redis client when the `redis` section changes. */
@Injectable()
export class RedisReloader implements OnModuleInit, OnApplicationShutdown {
  private unregister?: () => void;

  constructor(
    private readonly center: ConfigCenter,
    private readonly scope: RequestScope,
    @Inject(REDIS_GENERATIONS) private readonly generations: RedisGenerations,
  ) {}

  onModuleInit(): void {
    this.scope.register(this.generations as Swappable<unknown>);
    this.unregister = this.center.addParticipant({
      name: 'redis',
      sections: ['redis'],
      prepare: async (next) => {
        const client = await openRedis(next.redis);
        let previous: ReturnType<RedisGenerations['switchTo']>;
        return {
          commit: () => {
            previous = this.generations.switchTo(client, describeRedis(next.redis));
          },
          release: () => closeRedis(client),
          retire: async () => {
            const report = await this.generations.retire(previous, next.db.drainTimeoutMs);
            this.center.logger.info({ resource: 'redis', ...report }, 'old generation retired');
          },
        };
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.unregister?.();
    this.scope.unregister(this.generations as Swappable<unknown>);
    await this.generations.closeCurrent(this.center.config.db.drainTimeoutMs);
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
