import { Injectable } from '@nestjs/common';
import { unlessUnavailable } from '@/common/dependency-failure';
import { encodeId } from '@/common/public-id';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';
import { memberView, type MemberView } from './dto/user.views';
import { MemberRepository } from './member.repository';

const profileKey = (id: number) => `member:profile:${id}`;

/**
 * Member profiles through a Redis cache (TTL `cache.memberTtlSeconds`, read at use time),
 * invalidated on every update. Batches read the cache in one auto-pipelined round trip and
 * the database with one query for the misses. While Redis is unreachable every read is a miss;
 * an invalidation it missed leaves a profile cached before the outage until its TTL.
 */
@Injectable()
export class MemberProfiles {
  constructor(
    private readonly members: MemberRepository,
    @InjectRedis() private readonly redis: RedisClient,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async get(id: number): Promise<MemberView | null> {
    return (await this.getMany([id])).get(id) ?? null;
  }

  async getMany(ids: number[]): Promise<Map<number, MemberView>> {
    const unique = [...new Set(ids)];
    const found = new Map<number, MemberView>();
    if (unique.length === 0) return found;
    // One GET per key, auto-pipelined: MGET would fail across Redis Cluster slots.
    const cached = await Promise.all(
      unique.map((id) => unlessUnavailable(this.redis.get(profileKey(id)), null)),
    );
    const missing: number[] = [];
    unique.forEach((id, index) => {
      const hit = cached[index];
      // The id is sealed again: a cached one may predate a new ids.secret.
      if (hit) found.set(id, { ...(JSON.parse(hit) as MemberView), id: encodeId(id, 'member') });
      else missing.push(id);
    });
    if (missing.length) {
      const ttl = this.config.get('cache', { infer: true }).memberTtlSeconds;
      const loaded = await this.members.findByIds(missing);
      const writes: Promise<unknown>[] = [];
      for (const member of loaded) {
        const view = memberView(member);
        found.set(member.id, view);
        if (ttl > 0)
          writes.push(
            unlessUnavailable(
              this.redis.set(profileKey(member.id), JSON.stringify(view), 'EX', ttl),
              null,
            ),
          );
      }
      await Promise.all(writes);
    }
    return found;
  }

  async invalidate(id: number): Promise<void> {
    await unlessUnavailable(this.redis.del(profileKey(id)), 0);
  }
}
