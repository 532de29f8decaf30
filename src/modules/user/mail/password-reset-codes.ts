import { randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Problem } from '@/common/problem';
import { RateLimiter } from '@/common/rate-limiter';
import type { AppConfig } from '@/config/schema';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';

// The hash tag keeps both keys of an address in one Redis Cluster slot (one MULTI).
const codeKey = (email: string) => `captcha:reset-mail:{${email}}`;
const attemptsKey = (email: string) => `captcha:reset-mail:{${email}}:attempts`;
const MAX_ATTEMPTS_PER_DAY = 10;

/**
 * Six-digit codes that reset a password by mail: random, single use, expiring after
 * `mail.codeTtlSeconds`, one per minute per address and `rateLimit.captchaPerIpPerMinute` per
 * client address; tries counted per address over a day, as registration codes are, and per
 * client address over a minute. Asking again while a code is live mails the same code: a
 * stranger who asks cannot cancel the one the member is about to type.
 */
@Injectable()
export class PasswordResetCodes {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly limiter: RateLimiter,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** The live code of `email` (lower case), or a new one; its seconds left. */
  async issue(email: string, clientIp: string): Promise<{ code: string; expiresIn: number }> {
    // The client's limit first: a caller over it spends nothing of the address's.
    const { captchaPerIpPerMinute } = this.config.get('rateLimit', { infer: true });
    await this.limiter.hit(
      `captcha:ip:${clientIp}`,
      captchaPerIpPerMinute,
      60,
      'too many codes from this address',
    );
    await this.limiter.hit(`reset-mail:address:${email}`, 1, 60, 'one code per minute per address');
    const { codeTtlSeconds } = this.config.get('mail', { infer: true });
    const fresh = String(randomInt(0, 1_000_000)).padStart(6, '0');
    // One transaction: the code read is the one just set, or the live one that stopped the set.
    const [, [, code], [, ttl]] = (await this.redis
      .multi()
      .set(codeKey(email), fresh, 'EX', codeTtlSeconds, 'NX')
      .get(codeKey(email))
      .ttl(codeKey(email))
      .exec()) as [unknown, [null, string | null], [null, number]];
    return { code: code ?? fresh, expiresIn: ttl > 0 ? ttl : codeTtlSeconds };
  }

  /**
   * Uses the code up: every try counts before the comparison (per address over a day, per
   * client address over a minute); whoever deletes the code first used it, so a code resets
   * one password once. A wrong try leaves the code for the member who holds the mail.
   */
  async consume(email: string, code: string, clientIp: string): Promise<void> {
    const { captchaPerIpPerMinute } = this.config.get('rateLimit', { infer: true });
    await this.limiter.hit(
      `reset-try:ip:${clientIp}`,
      captchaPerIpPerMinute,
      60,
      'too many reset codes tried from this address',
    );
    const [, [, attempts], [, ttl], [, stored]] = (await this.redis
      .multi()
      .set(attemptsKey(email), 0, 'EX', 24 * 3600, 'NX')
      .incr(attemptsKey(email))
      .ttl(attemptsKey(email))
      .get(codeKey(email))
      .exec()) as [unknown, [null, number], [null, number], [null, string | null]];
    if (attempts > MAX_ATTEMPTS_PER_DAY) {
      throw Problem.tooManyRequests(
        ttl > 0 ? ttl : 3600,
        'too many codes tried for this address today',
      );
    }
    const expired = () =>
      Problem.invalid([{ field: 'captcha', message: 'expired or never requested' }]);
    if (!stored) throw expired();
    const matches =
      stored.length === code.length && timingSafeEqual(Buffer.from(stored), Buffer.from(code));
    if (!matches) throw Problem.invalid([{ field: 'captcha', message: 'wrong code' }]);
    if ((await this.redis.del(codeKey(email))) !== 1) throw expired();
  }
}
