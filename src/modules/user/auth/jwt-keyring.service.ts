import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { PreparedChange } from '@/config/config-center';
import type { AppConfig } from '@/config/schema';
import { ReactsToConfig, type ConfigReaction } from '@/config/config-reaction';

interface RetiredSecret {
  secret: string;
  until: number;
}

/**
 * The secrets tokens are signed and checked with, read from the live `jwt` section. After a
 * rotation the previous secret still verifies (never signs) for `previousSecretGraceSeconds`,
 * so that sessions survive the change.
 */
@Injectable()
@ReactsToConfig('jwt')
export class JwtKeyring implements ConfigReaction {
  private retired: { access?: RetiredSecret; refresh?: RetiredSecret } = {};

  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  /** At the switch, a replaced secret goes on verifying for its grace period. */
  prepare(next: AppConfig, previous: AppConfig): PreparedChange {
    return {
      commit: () => {
        const until = Date.now() + next.jwt.previousSecretGraceSeconds * 1000;
        if (previous.jwt.accessSecret !== next.jwt.accessSecret) {
          this.retired.access = { secret: previous.jwt.accessSecret, until };
        }
        if (previous.jwt.refreshSecret !== next.jwt.refreshSecret) {
          this.retired.refresh = { secret: previous.jwt.refreshSecret, until };
        }
      },
    };
  }

  signing(kind: 'access' | 'refresh'): string {
    const jwt = this.config.get('jwt', { infer: true });
    return kind === 'access' ? jwt.accessSecret : jwt.refreshSecret;
  }

  /** The current secret, then the previous one while its grace period lasts. */
  verifying(kind: 'access' | 'refresh'): string[] {
    const retired = this.retired[kind];
    const secrets = [this.signing(kind)];
    if (retired && Date.now() < retired.until) secrets.push(retired.secret);
    return secrets;
  }
}
