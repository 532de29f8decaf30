import { Injectable } from '@nestjs/common';
import { unlessUnavailable } from '@/common/dependency-failure';
import { RequestScope } from '@/infra/generations/request-scope';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';

const recentWriteKey = (memberId: number) => `notification:{member:${memberId}}:recent-write`;

/** Longer than any replica lag worth serving through. */
const RECENT_WRITE_SECONDS = 5;

/**
 * Read-your-writes across requests: a member who just marked notifications read polls the
 * count next, and a lagging replica would show them unread again. For a few seconds after
 * such a write, that member's notification reads go to the primary (on every instance: the
 * mark lives in Redis).
 */
@Injectable()
export class NotificationFreshness {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly scope: RequestScope,
  ) {}

  async preferPrimaryIfRecent(memberId: number): Promise<void> {
    // Without Redis a recent write cannot be ruled out: the primary.
    const recent = await unlessUnavailable(this.redis.exists(recentWriteKey(memberId)), 1);
    if (recent) this.scope.markUsedPrimary();
  }

  async written(memberId: number): Promise<void> {
    await unlessUnavailable(
      this.redis.set(recentWriteKey(memberId), '1', 'EX', RECENT_WRITE_SECONDS),
      null,
    );
  }
}
