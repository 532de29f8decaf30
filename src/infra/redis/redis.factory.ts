import Redis, { Cluster, type ChainableCommander, type RedisOptions } from 'ioredis';
import { withTimeout } from '@/common/with-timeout';
import type { AppConfig } from '@/config/schema';

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
    connectionName: config.clientName || undefined,
    connectTimeout: config.connectTimeoutMs,
    lazyConnect: true,
    // While Redis is unreachable a command fails at once (503) instead of waiting in a queue
    // for a reconnection; a command on a connection that went silent fails after this long.
    enableOfflineQueue: false,
    commandTimeout: config.commandTimeoutMs,
    maxRetriesPerRequest: 2,
    retryStrategy: reconnectDelay,
    // Commands issued in the same tick share a round trip (per node in a cluster).
    enableAutoPipelining: true,
  };
  switch (config.mode) {
    case 'memory': {
      // Loaded on demand: deployments against a real Redis never need it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const RedisMock = require('ioredis-mock') as typeof Redis;
      return new RedisMock({ ...common, lazyConnect: false });
    }
    case 'standalone':
      return new Redis({ ...common, host: config.host, port: config.port });
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: config.sentinels,
        name: config.sentinelName,
        sentinelRetryStrategy: reconnectDelay,
      });
    case 'cluster':
      return new Cluster(config.nodes, {
        redisOptions: common,
        lazyConnect: true,
        enableOfflineQueue: false,
        clusterRetryStrategy: reconnectDelay,
      });
  }
}

/**
 * Reconnection attempts come at most a quarter of a second apart, so that serving resumes
 * within a second of Redis returning; a refused connection costs nothing to retry.
 */
function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 50, 250);
}

/**
 * Runs a pipeline and returns its replies. ioredis resolves a pipeline even when its commands
 * failed (Redis unreachable included); this rejects with the first command's error instead.
 */
export async function pipelineReplies(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  for (const [error] of results) if (error) throw error;
  return results.map(([, reply]) => reply);
}

export function describeRedis(config: AppConfig['redis']): string {
  switch (config.mode) {
    case 'memory':
      return 'memory';
    case 'standalone':
      return `${config.host}:${config.port}/${config.db}`;
    case 'sentinel':
      return `sentinel ${config.sentinelName}`;
    case 'cluster':
      return `cluster of ${config.nodes.length}`;
  }
}

/**
 * Builds, connects and PINGs a client, so that a bad address or password fails here rather
 * than on first use. Throws after disconnecting what it opened.
 */
export async function openRedis(config: AppConfig['redis']): Promise<RedisClient> {
  const client = createRedisClient(config);
  // Errors surface through commands and readiness; the event must not crash the process.
  client.on('error', () => undefined);
  try {
    if (client.status === 'wait') await client.connect();
    await withTimeout(client.ping(), config.connectTimeoutMs, 'PING timed out');
    return client;
  } catch (error) {
    client.disconnect();
    const { message } = error as Error;
    throw new Error(`redis ${describeRedis(config)} unreachable: ${message.slice(0, 200)}`);
  }
}

/** Closes a client politely: QUIT lets pending replies arrive first. */
export async function closeRedis(client: RedisClient): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}
