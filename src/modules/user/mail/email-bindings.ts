import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Problem } from '@/common/problem';
import type { AppConfig } from '@/config/schema';
import type { RedisClient } from '@/infra/redis/redis.factory';
import { InjectRedis } from '@/infra/redis/redis.tokens';

/** Only the token's digest is a key: a dump of Redis holds no link that works. */
const bindingKey = (token: string) =>
  `email-binding:${createHash('sha256').update(token).digest('base64url')}`;

export interface EmailBinding {
  memberId: number;
  email: string;
}

/**
 * The tokens of links that confirm a new email address: random (256 bits), expiring after
 * `mail.linkTtlSeconds`, single use (taken with GETDEL, so two clicks confirm once).
 */
@Injectable()
export class EmailBindings {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async open(binding: EmailBinding): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const { linkTtlSeconds } = this.config.get('mail', { infer: true });
    await this.redis.set(bindingKey(token), JSON.stringify(binding), 'EX', linkTtlSeconds);
    return token;
  }

  /** The binding a token was made for, used up; an unknown, used or expired one is refused. */
  async take(token: string): Promise<EmailBinding> {
    const stored = await this.redis.getdel(bindingKey(token));
    if (!stored) {
      throw Problem.invalid([{ field: 'token', message: 'invalid, used or expired link' }]);
    }
    return JSON.parse(stored) as EmailBinding;
  }
}
