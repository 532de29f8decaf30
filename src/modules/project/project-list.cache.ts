import { Injectable } from '@nestjs/common';
import { unlessUnavailable } from '@/common/dependency-failure';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import { RequestScope } from '@/infra/generations/request-scope';
import { pipelineReplies, type RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';

// The hash tag keeps a member's keys in one Redis Cluster slot (one pipeline, one script).
const listsKey = (memberId: number) => `project:{member:${memberId}}:lists`;
const recentWriteKey = (memberId: number) => `project:{member:${memberId}}:recent-write`;
const versionKey = (memberId: number) => `project:{member:${memberId}}:version`;

/**
 * Kept well beyond any request's life: a counter that expired between a request's read and
 * its store would let a stale page in.
 */
const VERSION_TTL_SECONDS = 24 * 60 * 60;

/** Stores a page only if no write bumped the member's version since the page was read. */
const SET_IF_VERSION = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return 1
`;

/** A cached page, or null, and the member's list version it was looked up at. */
export interface CachedLookup<T> {
  value: T | null;
  /** Hand it back to set(): a write since then keeps the page out of the cache. */
  version: string;
}

/**
 * How long after a write a member's reads go to the primary: replicas may not have the row
 * yet, and the writer's next request must see it.
 */
const RECENT_WRITE_SECONDS = 5;

/**
 * Each member's project list pages in one Redis hash (TTL `cache.projectListTtlSeconds`, read
 * at use time), dropped whole by every write that changes what the member would see. Every
 * such write also bumps the member's version counter; a page is stored only at the version
 * it was looked up at, so a page read before a write never lands after the write's drop.
 */
@Injectable()
export class ProjectListCache {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly scope: RequestScope,
  ) {}

  /**
   * The cached page (or null) and the member's list version, read before the database is.
   * When the member wrote moments ago, no page, and this unit of work reads from the primary
   * (one round trip for all): a page cached from a lagging replica just before the write must
   * not be served.
   */
  async get<T>(memberId: number, page: string): Promise<CachedLookup<T>> {
    const replies = await unlessUnavailable(
      pipelineReplies(
        this.redis
          .pipeline()
          .hget(listsKey(memberId), page)
          .exists(recentWriteKey(memberId))
          .get(versionKey(memberId)),
      ),
      null,
    );
    // Without Redis a recent write cannot be ruled out: read from the primary.
    if (!replies) {
      this.scope.markUsedPrimary();
      return { value: null, version: '0' };
    }
    const [cached, recent, version] = replies as [string | null, number, string | null];
    const lookup = { value: null, version: version ?? '0' };
    if (recent) {
      this.scope.markUsedPrimary();
      return lookup;
    }
    return cached ? { ...lookup, value: JSON.parse(cached) as T } : lookup;
  }

  /** Stores a page read after get() returned `version`, unless a write came in between. */
  async set(memberId: number, page: string, value: unknown, version: string): Promise<void> {
    const ttl = this.config.get('cache', { infer: true }).projectListTtlSeconds;
    if (ttl <= 0 || this.scope.usedPrimary) return;
    await unlessUnavailable(
      this.redis.eval(
        SET_IF_VERSION,
        2,
        listsKey(memberId),
        versionKey(memberId),
        version,
        page,
        JSON.stringify(value),
        ttl,
      ),
      null,
    );
  }

  /** Reads of a member who wrote moments ago go to the primary. */
  async preferPrimaryIfRecent(memberId: number): Promise<void> {
    const recent = await unlessUnavailable(this.redis.exists(recentWriteKey(memberId)), 1);
    if (recent) this.scope.markUsedPrimary();
  }

  /**
   * After a write: drops the lists of every member it changes, and sends the writer's reads to
   * the primary for a moment.
   */
  async written(writerId: number, affectedMemberIds: number[] = [writerId]): Promise<void> {
    const affected = [...new Set([writerId, ...affectedMemberIds])];
    // Per member (auto-pipelined), so that a cluster never sees keys of two slots together.
    // A pipeline resolves even when Redis is unreachable: the write stands, and a page cached
    // before the outage may show until its TTL.
    await Promise.all(
      affected.map((memberId) =>
        this.redis
          .pipeline()
          .incr(versionKey(memberId))
          .expire(versionKey(memberId), VERSION_TTL_SECONDS)
          .del(listsKey(memberId))
          .set(recentWriteKey(memberId), '1', 'EX', RECENT_WRITE_SECONDS)
          .exec(),
      ),
    );
  }
}
