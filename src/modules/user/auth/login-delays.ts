import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import { Problem } from '@/common/problem';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';

// The hash tag keeps both keys of a bucket in one Redis Cluster slot (one script).
const waitKey = (bucket: string) => `login:{${bucket}}:wait`;
const failuresKey = (bucket: string) => `login:{${bucket}}:failures`;

/**
 * Refuses while a wait is running; otherwise counts the attempt as a failure before the
 * password is checked (a success forgets it), so that concurrent attempts cannot slip past
 * the count. From the threshold on, each counted attempt starts the next wait, doubling.
 * Returns the milliseconds left to wait, or 0 when the attempt may go ahead.
 */
const CLAIM_ATTEMPT = `
local waiting = redis.call('PTTL', KEYS[1])
if waiting > 0 then return waiting end
local failures = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[4]))
local beyond = failures - tonumber(ARGV[1])
if beyond >= 0 then
  local delay = math.min(tonumber(ARGV[2]) * 2 ^ math.min(beyond, 40), tonumber(ARGV[3]))
  redis.call('SET', KEYS[1], '1', 'PX', math.floor(delay))
end
return 0
`;

/**
 * Growing delays between failed logins, per bucket (a member, or an identifier that names
 * nobody). No lockout: a wait never exceeds `rateLimit.loginDelayMaxMs`, and a refused attempt
 * is answered at once and leaves the wait as it was, so nobody can keep a member out longer.
 */
@Injectable()
export class LoginDelays {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** Throws 429 with Retry-After while the bucket must wait; otherwise counts the attempt. */
  async claimAttempt(bucket: string): Promise<void> {
    const limits = this.config.get('rateLimit', { infer: true });
    const waitMs = (await this.redis.eval(
      CLAIM_ATTEMPT,
      2,
      waitKey(bucket),
      failuresKey(bucket),
      limits.loginFailuresBeforeDelay,
      limits.loginDelayBaseMs,
      limits.loginDelayMaxMs,
      limits.loginFailureMemorySeconds,
    )) as number;
    if (waitMs > 0) {
      throw Problem.tooManyRequests(
        Math.ceil(waitMs / 1000),
        'too many failed logins: retry later',
      );
    }
  }

  /** After a successful login: the failures are forgotten. */
  async forget(bucket: string): Promise<void> {
    await this.redis.del(waitKey(bucket), failuresKey(bucket));
  }
}
