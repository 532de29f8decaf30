import { randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import { Problem } from '@/common/problem';
import { RateLimiter } from '@/common/rate-limiter';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';
import { CaptchaSender } from './captcha-sender';

// The hash tag keeps both keys of a mobile in one Redis Cluster slot (one MULTI).
const codeKey = (mobile: string) => `captcha:register:{${mobile}}`;
const attemptsKey = (mobile: string) => `captcha:register:{${mobile}}:attempts`;
const MAX_ATTEMPTS_PER_DAY = 10;

export interface IssuedCaptcha {
  expiresIn: number;
  /** Present only when the deployment exposes codes (the embedded profile). */
  code?: string;
}

/** Six-digit registration codes: random, single use, expiring, rate limited. */
@Injectable()
export class CaptchaService {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly limiter: RateLimiter,
    private readonly sender: CaptchaSender,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async issue(mobile: string, clientIp: string): Promise<IssuedCaptcha> {
    await this.limiter.hit(`captcha:mobile:${mobile}`, 1, 60, 'one code per minute per mobile');
    const { captchaPerIpPerMinute } = this.config.get('rateLimit', { infer: true });
    await this.limiter.hit(
      `captcha:ip:${clientIp}`,
      captchaPerIpPerMinute,
      60,
      'too many codes from this address',
    );
    const { ttlSeconds, exposeInResponse } = this.config.get('captcha', { infer: true });
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.redis.set(codeKey(mobile), code, 'EX', ttlSeconds);
    await this.sender.send(mobile, code);
    return exposeInResponse ? { expiresIn: ttlSeconds, code } : { expiresIn: ttlSeconds };
  }

  /**
   * Uses the code up. Every attempt, right or wrong, counts per mobile over a day, across codes
   * (a new code does not reset them), before the code is compared: concurrent guesses cannot
   * outrun the count, and guessing never pays off. Whoever deletes the code first used it.
   */
  async consume(mobile: string, code: string): Promise<void> {
    const [, [, attempts], [, ttl], [, stored]] = (await this.redis
      .multi()
      .set(attemptsKey(mobile), 0, 'EX', 24 * 3600, 'NX')
      .incr(attemptsKey(mobile))
      .ttl(attemptsKey(mobile))
      .get(codeKey(mobile))
      .exec()) as [unknown, [null, number], [null, number], [null, string | null]];
    if (attempts > MAX_ATTEMPTS_PER_DAY) {
      throw Problem.tooManyRequests(
        ttl > 0 ? ttl : 3600,
        'too many codes tried for this mobile today',
      );
    }
    if (!stored) {
      throw Problem.invalid([{ field: 'captcha', message: 'expired or never requested' }]);
    }
    const matches =
      stored.length === code.length && timingSafeEqual(Buffer.from(stored), Buffer.from(code));
    if (!matches) throw Problem.invalid([{ field: 'captcha', message: 'wrong code' }]);
    if ((await this.redis.del(codeKey(mobile))) !== 1) {
      throw Problem.invalid([{ field: 'captcha', message: 'expired or never requested' }]);
    }
  }
}
