import { Injectable } from '@nestjs/common';
import { ConfigCenter } from '../../config/config-center';
import { RequestScope } from '../../infra/generations/request-scope';
import type { RedisClient } from '../../infra/redis/redis.factory';
import { InjectRedis } from '../../infra/redis/redis.tokens';

// The hash tag keeps a member's two keys in one Redis Cluster slot (one pipeline).
const listsKey = (memberId: number) => `project:{member:${memberId}}:lists`;
const recentWriteKey = (memberId: number) => `project:{member:${memberId}}:recent-write`;

/**
 * How long after a write a member's reads go to the primary: replicas may not have the row
 * yet, and the writer's next request must see it.
 */
const RECENT_WRITE_SECONDS = 5;

/**
 * Each member's project list pages in one Redis hash (TTL `cache.projectListTtlSeconds`, read
 * at use time), dropped whole by every write that changes what the member would see.
 */
@Injectable()
export class ProjectListCache {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly center: ConfigCenter,
    private readonly scope: RequestScope,
  ) {}

  /**
   * The cached page, or null. When the member wrote moments ago, null and this unit of work
   * reads from the primary (one round trip for both): a page cached from a lagging replica
   * just before the write must not be served.
   */
  async get<T>(memberId: number, page: string): Promise<T | null> {
    const [[, cached], [, recent]] = (await this.redis
      .pipeline()
      .hget(listsKey(memberId), page)
      .exists(recentWriteKey(memberId))
      .exec()) as [[null, string | null], [null, number]];
    if (recent) {
      this.scope.markUsedPrimary();
      return null;
    }
    return cached ? (JSON.parse(cached) as T) : null;
  }

  async set(memberId: number, page: string, value: unknown): Promise<void> {
    const ttl = this.center.config.cache.projectListTtlSeconds;
    if (ttl <= 0 || this.scope.usedPrimary) return;
    await this.redis
      .pipeline()
      .hset(listsKey(memberId), page, JSON.stringify(value))
      .expire(listsKey(memberId), ttl)
      .exec();
  }

  /** Reads of a member who wrote moments ago go to the primary. */
  async preferPrimaryIfRecent(memberId: number): Promise<void> {
    if (await this.redis.exists(recentWriteKey(memberId))) this.scope.markUsedPrimary();
  }

  /**
   * After a write: drops the lists of every member it changes, and sends the writer's reads to
   * the primary for a moment.
   */
  async written(writerId: number, affectedMemberIds: number[] = [writerId]): Promise<void> {
    const affected = [...new Set([writerId, ...affectedMemberIds])];
    // Per member (auto-pipelined), so that a cluster never sees keys of two slots together.
    await Promise.all(
      affected.map((memberId) =>
        this.redis
          .pipeline()
          .del(listsKey(memberId))
          .set(recentWriteKey(memberId), '1', 'EX', RECENT_WRITE_SECONDS)
          .exec(),
      ),
    );
  }
}
