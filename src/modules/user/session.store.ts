import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan, Repository } from 'typeorm';
import { unlessUnavailable } from '../../common/dependency-failure';
import { ConfigCenter } from '../../config/config-center';
import type { RedisClient } from '../../infra/redis/redis.factory';
import { InjectRedis } from '../../infra/redis/redis.tokens';
import { Session } from './entities';

export type RotationResult =
  { ok: true; tokenId: string } | { ok: false; reason: 'unknown' | 'revoked' | 'reused' };

const stateKey = (sessionId: string) => `auth:session:${sessionId}`;
const STATE_CACHE_SECONDS = 60;

/**
 * Login sessions (refresh-token families) in the database, with their active / revoked state
 * cached in Redis so that checking an access token costs one GET. While Redis is unreachable
 * the database answers alone; only a revocation insists on reaching Redis, where a cached
 * "active" would otherwise outlive it.
 */
@Injectable()
export class SessionStore {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: RedisClient,
    private readonly center: ConfigCenter,
  ) {}

  async open(memberId: number): Promise<{ sessionId: string; tokenId: string }> {
    const session = this.sessions.create({
      id: randomUUID(),
      memberId,
      currentTokenId: randomUUID(),
      expiresAt: new Date(Date.now() + this.center.config.jwt.refreshExp * 1000),
      revokedAt: null,
    });
    await this.sessions.insert(session);
    await unlessUnavailable(
      this.redis.set(stateKey(session.id), 'active', 'EX', STATE_CACHE_SECONDS),
      null,
    );
    return { sessionId: session.id, tokenId: session.currentTokenId };
  }

  /**
   * Replaces the family's current refresh token. Presenting any other token of the family
   * (one already rotated away) means it was copied: the whole family is revoked.
   */
  async rotate(sessionId: string, presentedTokenId: string): Promise<RotationResult> {
    const next = randomUUID();
    const result = await this.sessions.update(
      {
        id: sessionId,
        currentTokenId: presentedTokenId,
        revokedAt: IsNull(),
        expiresAt: MoreThan(new Date()),
      },
      { currentTokenId: next },
    );
    if (result.affected === 1) return { ok: true, tokenId: next };
    const session = await this.readFromPrimary(sessionId);
    if (!session) return { ok: false, reason: 'unknown' };
    if (session.revokedAt || session.expiresAt <= new Date())
      return { ok: false, reason: 'revoked' };
    await this.revoke(sessionId);
    return { ok: false, reason: 'reused' };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.redis.set(stateKey(sessionId), 'revoked', 'EX', this.center.config.jwt.accessExp);
  }

  async isActive(sessionId: string): Promise<boolean> {
    const cached = await unlessUnavailable(this.redis.get(stateKey(sessionId)), null);
    if (cached) return cached === 'active';
    const session = await this.readFromPrimary(sessionId);
    const active = !!session && !session.revokedAt && session.expiresAt > new Date();
    // NX: a revocation written meanwhile must win over what was read before it.
    await unlessUnavailable(
      this.redis.set(
        stateKey(sessionId),
        active ? 'active' : 'revoked',
        'EX',
        active ? STATE_CACHE_SECONDS : this.center.config.jwt.accessExp,
        'NX',
      ),
      null,
    );
    return active;
  }

  /** A replica may not have the session yet (or its revocation): ask the primary. */
  private async readFromPrimary(sessionId: string): Promise<Session | null> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      return await runner.manager.findOneBy(Session, { id: sessionId });
    } finally {
      await runner.release();
    }
  }
}
