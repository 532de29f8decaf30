import { randomUUID } from 'node:crypto';
import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { unlessUnavailable } from '@/common/dependency-failure';
import { ConfigCenter } from '@/config/config-center';
import type { RedisClient } from '../redis/redis.factory';
import { InjectRedis } from '../redis/redis.tokens';

/** Every instance sharing this Redis, by id, scored with the time its presence runs out. */
const INSTANCES_KEY = 'instances:alive';
const PRESENCE_MS = 90_000;
const CHECK_EVERY_MS = 30_000;

/**
 * Files on one instance's local disk can be downloaded through that instance only. Each
 * instance keeps its presence in Redis (so it sees every instance sharing the deployment's
 * state, registered in Nacos naming or not) and warns while new files go to its local disk
 * and it is not alone: such a deployment needs `storage.default: s3`.
 */
@Injectable()
export class LocalStorageNeighbours implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly id = randomUUID();
  private timer?: NodeJS.Timeout;
  private warned = false;

  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly center: ConfigCenter,
  ) {}

  onApplicationBootstrap(): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await unlessUnavailable(this.redis.zrem(INSTANCES_KEY, this.id), 0);
  }

  /** Renews this instance's presence; answers how many instances are present, null without Redis. */
  async check(): Promise<number | null> {
    const now = Date.now();
    const replies = await unlessUnavailable(
      this.redis
        .multi()
        .zadd(INSTANCES_KEY, now + PRESENCE_MS, this.id)
        .zremrangebyscore(INSTANCES_KEY, 0, now)
        .zcard(INSTANCES_KEY)
        .pexpire(INSTANCES_KEY, PRESENCE_MS)
        .exec(),
      null,
    );
    const instances = Number(replies?.[2]?.[1] ?? Number.NaN);
    if (!Number.isFinite(instances)) return null;
    const alone = instances <= 1 || this.center.config.storage.default !== 'local';
    if (!alone && !this.warned) {
      this.center.logger.warn(
        { instances },
        'new files go to this instance’s local disk, but it is not the only instance: files uploaded here cannot be downloaded through the others; set storage.default to s3',
      );
    }
    this.warned = !alone;
    return instances;
  }
}
