import { createSecretKey, type KeyObject } from 'node:crypto';
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
  /**
   * Key objects by secret, made once: an HMAC keyed by a string secret would copy it into a
   * new key at every sign and verify.
   */
  private readonly keys = new Map<string, KeyObject>();

  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  signing(kind: 'access' | 'refresh'): KeyObject {
    const jwt = this.config.get('jwt', { infer: true });
    return this.key(kind === 'access' ? jwt.accessSecret : jwt.refreshSecret);
  }

  /** The current secret, then the retired ones still within their time. */
  verifying(kind: 'access' | 'refresh'): KeyObject[] {
    const now = Date.now();
    const retired = this.config
      .get('jwt', { infer: true })
      .retired.filter((entry) => entry.kind === kind && Date.parse(entry.until) > now)
      .map((entry) => this.key(entry.secret));
    return [this.signing(kind), ...retired];
  }

  private key(secret: string): KeyObject {
    let key = this.keys.get(secret);
    if (!key) {
      // Rotations add keys; the live ones are few, so a full map is simply started again.
      if (this.keys.size >= 16) this.keys.clear();
      key = createSecretKey(Buffer.from(secret));
      this.keys.set(secret, key);
    }
    return key;
  }
}
