import { randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigCenter } from '../../../config/config-center';
import { Problem } from '../../../common/problem';
import { RateLimiter } from '../../../common/rate-limiter';
import type { RedisClient } from '../../../infra/redis/redis.factory';
import { InjectRedis } from '../../../infra/redis/redis.tokens';
import { CaptchaSender } from './captcha-sender';

// The hash tag keeps both keys of a mobile in one Redis Cluster slot (one MULTI).
const codeKey = (mobile: string) => `captcha:register:{${mobile}}`;
const attemptsKey = (mobile: string) => `captcha:register:{${mobile}}:attempts`;
const MAX_WRONG_ATTEMPTS = 5;

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
    private readonly center: ConfigCenter,
  ) {}

  async issue(mobile: string, clientIp: string): Promise<IssuedCaptcha> {
    await this.limiter.hit(`captcha:mobile:${mobile}`, 1, 60, 'one code per minute per mobile');
    const { captchaPerIpPerMinute } = this.center.config.rateLimit;
    await this.limiter.hit(
      `captcha:ip:${clientIp}`,
      captchaPerIpPerMinute,
      60,
      'too many codes from this address',
    );
    const { ttlSeconds, exposeInResponse } = this.center.config.captcha;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.redis
      .multi()
      .set(codeKey(mobile), code, 'EX', ttlSeconds)
      .del(attemptsKey(mobile))
      .exec();
    await this.sender.send(mobile, code);
    return exposeInResponse ? { expiresIn: ttlSeconds, code } : { expiresIn: ttlSeconds };
  }

  /** Checks and burns the code: it works once. A wrong code counts; five burn it too. */
  async consume(mobile: string, code: string): Promise<void> {
    const stored = await this.redis.get(codeKey(mobile));
    if (!stored)
      throw Problem.invalid([{ field: 'captcha', message: 'expired or never requested' }]);
    const matches =
      stored.length === code.length && timingSafeEqual(Buffer.from(stored), Buffer.from(code));
    if (!matches) {
      const attempts = await this.redis.incr(attemptsKey(mobile));
      await this.redis.expire(attemptsKey(mobile), this.center.config.captcha.ttlSeconds);
      if (attempts >= MAX_WRONG_ATTEMPTS) await this.redis.del(codeKey(mobile));
      throw Problem.invalid([{ field: 'captcha', message: 'wrong code' }]);
    }
    // Whoever deletes it first used it; a concurrent second use fails.
    if ((await this.redis.del(codeKey(mobile))) !== 1) {
      throw Problem.invalid([{ field: 'captcha', message: 'expired or never requested' }]);
    }
  }
}
