import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../../config/schema';

export type RedisClient = Redis | Cluster;

/**
 * Builds the client for the `redis` section. `memory` is the embedded profile's in-process
 * substitute, with the same ioredis interface.
 */
export function createRedisClient(config: AppConfig['redis']): RedisClient {
  const common: RedisOptions = {
    username: config.username || undefined,
    password: config.password || undefined,
    db: config.db,
    keyPrefix: config.keyPrefix || undefined,
    connectTimeout: config.connectTimeoutMs,
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
  };
  switch (config.mode) {
    case 'memory': {
      // Loaded on demand: production images never need it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const RedisMock = require('ioredis-mock') as typeof Redis;
      return new RedisMock({ ...common, lazyConnect: false });
    }
    case 'standalone':
      return new Redis({ ...common, host: config.host, port: config.port });
    case 'sentinel':
      return new Redis({ ...common, sentinels: config.sentinels, name: config.sentinelName });
    case 'cluster':
      return new Cluster(config.nodes, { redisOptions: common, lazyConnect: true });
  }
}

/** Connects and PINGs, so that a bad address or password fails here, not on first use. */
export async function connectRedis(client: RedisClient): Promise<void> {
  if (client.status === 'wait') await client.connect();
  await client.ping();
}
