import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { unlessUnavailable } from '@/common/dependency-failure';
import type { AppConfig } from '@/config/schema';
import { isReplicated } from '@/infra/database/data-source.options';
import { RequestScope } from '@/infra/generations/request-scope';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';

// The hash tag keeps a member's keys in one Redis Cluster slot.
const recentWriteKey = (memberId: number) => `project:{member:${memberId}}:recent-write`;

/**
 * How long after a write a member's reads go to the primary: replicas may not have the row
 * yet, and the writer's next request must see it.
 */
const RECENT_WRITE_SECONDS = 5;

/**
 * Read-your-writes over replicas: a member's writes are marked in Redis for a few seconds, on
 * every instance at once, and that member's reads meanwhile go to the primary. Without
 * replicas every read is the primary's, and nothing is looked up.
 */
@Injectable()
export class RecentWrites {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly scope: RequestScope,
  ) {}

  private get replicated(): boolean {
    return isReplicated(this.config.get('db', { infer: true }));
  }

  /** Reads of a member who wrote moments ago go to the primary. */
  async preferPrimaryIfRecent(memberId: number): Promise<void> {
    if (!this.replicated) return;
    // Without Redis a recent write cannot be ruled out: read from the primary.
    const recent = await unlessUnavailable(this.redis.exists(recentWriteKey(memberId)), 1);
    if (recent) this.scope.markUsedPrimary();
  }

  /**
   * After a write: the writer's reads go to the primary for a moment. Unreachable Redis leaves
   * the write standing; the writer may then briefly read a replica's older rows.
   */
  async written(writerId: number): Promise<void> {
    if (!this.replicated) return;
    await unlessUnavailable(
      this.redis.set(recentWriteKey(writerId), '1', 'EX', RECENT_WRITE_SECONDS),
      null,
    );
  }
}
