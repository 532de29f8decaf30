import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';

/**
 * The secrets tokens are signed and checked with, read from the live `jwt` section at each
 * use: the current secret signs and verifies; a retired one (`jwt.retired`) only verifies,
 * until its `until`. Nothing is kept in this process, so every instance agrees.
 */
@Injectable()
export class JwtKeyring {
  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  signing(kind: 'access' | 'refresh'): string {
    const jwt = this.config.get('jwt', { infer: true });
    return kind === 'access' ? jwt.accessSecret : jwt.refreshSecret;
  }

  /** The current secret, then the retired ones still within their time. */
  verifying(kind: 'access' | 'refresh'): string[] {
    const now = Date.now();
    const retired = this.config
      .get('jwt', { infer: true })
      .retired.filter((entry) => entry.kind === kind && Date.parse(entry.until) > now)
      .map((entry) => entry.secret);
    return [this.signing(kind), ...retired];
  }
}
