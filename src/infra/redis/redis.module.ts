import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigCenter } from '../../config/config-center';
import { connectRedis, createRedisClient, type RedisClient } from './redis.factory';
import { REDIS_CLIENT } from './redis.tokens';

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [ConfigCenter],
      useFactory: async (center: ConfigCenter): Promise<RedisClient> => {
        const client = createRedisClient(center.config.redis);
        // Errors surface through commands and readiness; the event must not crash the process.
        client.on('error', () => undefined);
        await connectRedis(client);
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
