import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan, Repository } from 'typeorm';
import { unlessUnavailable } from '@/common/dependency-failure';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';
import { Session } from './entities';

export type RotationFailure = 'unknown' | 'revoked' | 'reused';

export type RotationResult = { ok: true; tokenId: string } | { ok: false; reason: RotationFailure };

const stateKey = (sessionId: string) => `auth:session:${sessionId}`;
const STATE_CACHE_SECONDS = 60;
const REVOKED = 'revoked';
/** A live session's cached state names its member: a token is good only for its own member. */
const activeState = (memberId: number) => `active:${memberId}`;

/**
 * Login sessions (refresh-token families) in the database, with their state (the member of a
 * live session, or revoked) cached in Redis so that checking an access token costs one GET.
 * Every check takes the member the token names: a session id never vouches for anyone else.
 * While Redis is unreachable the database answers alone; only a revocation insists on reaching
 * Redis, where a cached "active" would otherwise outlive it.
 */
@Injectable()
export class SessionStore {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: RedisClient,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async open(memberId: number): Promise<{ sessionId: string; tokenId: string }> {
    const session = this.sessions.create({
      id: randomUUID(),
      memberId,
      currentTokenId: randomUUID(),
      expiresAt: new Date(Date.now() + this.config.get('jwt', { infer: true }).refreshExp * 1000),
      revokedAt: null,
    });
    await this.sessions.insert(session);
    await unlessUnavailable(
      this.redis.set(stateKey(session.id), activeState(memberId), 'EX', STATE_CACHE_SECONDS),
      null,
    );
    return { sessionId: session.id, tokenId: session.currentTokenId };
  }

  /**
   * Replaces the family's current refresh token. Presenting any other token of the family
   * (one already rotated away) means it was copied: the whole family is revoked. A session of
   * another member is unknown to this one, and left as it is.
   */
  async rotate(
    sessionId: string,
    memberId: number,
    presentedTokenId: string,
  ): Promise<RotationResult> {
    const next = randomUUID();
    const result = await this.sessions.update(
      {
        id: sessionId,
        memberId,
        currentTokenId: presentedTokenId,
        revokedAt: IsNull(),
        expiresAt: MoreThan(new Date()),
      },
      { currentTokenId: next },
    );
    if (result.affected === 1) return { ok: true, tokenId: next };
    const session = await this.readFromPrimary(sessionId);
    if (!session || session.memberId !== memberId) return { ok: false, reason: 'unknown' };
    if (session.revokedAt || session.expiresAt <= new Date())
      return { ok: false, reason: 'revoked' };
    await this.revoke(sessionId, memberId);
    return { ok: false, reason: 'reused' };
  }

  /** The live session's current refresh token id; null when it is not live or not the member's. */
  async currentTokenOf(sessionId: string, memberId: number): Promise<string | null> {
    const session = await this.readFromPrimary(sessionId);
    const live =
      !!session &&
      session.memberId === memberId &&
      !session.revokedAt &&
      session.expiresAt > new Date();
    return live ? session.currentTokenId : null;
  }

  /** Whether `tokenId` is the live session's current refresh token (nothing changes). */
  async isCurrentToken(sessionId: string, memberId: number, tokenId: string): Promise<boolean> {
    const session = await this.readFromPrimary(sessionId);
    return (
      !!session &&
      session.memberId === memberId &&
      !session.revokedAt &&
      session.expiresAt > new Date() &&
      session.currentTokenId === tokenId
    );
  }

  /** Ends the member's session; a session of another member is not touched. */
  async revoke(sessionId: string, memberId: number): Promise<void> {
    const result = await this.sessions.update(
      { id: sessionId, memberId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    if (result.affected !== 1) return;
    await this.redis.set(
      stateKey(sessionId),
      REVOKED,
      'EX',
      this.config.get('jwt', { infer: true }).accessExp,
    );
  }

  /** Ends every live session of the member but `keptSessionId` (after a password change). */
  async revokeOthers(memberId: number, keptSessionId: string): Promise<void> {
    const live = await this.sessions.find({
      select: { id: true },
      where: { memberId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
    });
    for (const { id } of live) if (id !== keptSessionId) await this.revoke(id, memberId);
  }

  /** Whether the session is live and belongs to `memberId`. */
  async isActive(sessionId: string, memberId: number): Promise<boolean> {
    const cached = await unlessUnavailable(this.redis.get(stateKey(sessionId)), null);
    if (cached === REVOKED) return false;
    if (cached?.startsWith('active:')) return cached === activeState(memberId);
    const session = await this.readFromPrimary(sessionId);
    const owner =
      session && !session.revokedAt && session.expiresAt > new Date() ? session.memberId : null;
    // NX: a revocation written meanwhile must win over what was read before it.
    await unlessUnavailable(
      this.redis.set(
        stateKey(sessionId),
        owner === null ? REVOKED : activeState(owner),
        'EX',
        owner === null ? this.config.get('jwt', { infer: true }).accessExp : STATE_CACHE_SECONDS,
        'NX',
      ),
      null,
    );
    return owner === memberId;
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
