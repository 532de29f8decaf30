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
 * client address; tries counted per address over a day, as registration codes are.
 */
@Injectable()
export class PasswordResetCodes {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly limiter: RateLimiter,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** A new code for `email` (lower case), replacing any earlier one. */
  async issue(email: string, clientIp: string): Promise<{ code: string; expiresIn: number }> {
    await this.limiter.hit(`reset-mail:address:${email}`, 1, 60, 'one code per minute per address');
    const { captchaPerIpPerMinute } = this.config.get('rateLimit', { infer: true });
    await this.limiter.hit(
      `captcha:ip:${clientIp}`,
      captchaPerIpPerMinute,
      60,
      'too many codes from this address',
    );
    const { codeTtlSeconds } = this.config.get('mail', { infer: true });
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.redis.set(codeKey(email), code, 'EX', codeTtlSeconds);
    return { code, expiresIn: codeTtlSeconds };
  }

  /**
   * Uses the code up: every try counts before the comparison; whoever deletes the code first
   * used it, so a code resets one password once.
   */
  async consume(email: string, code: string): Promise<void> {
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
