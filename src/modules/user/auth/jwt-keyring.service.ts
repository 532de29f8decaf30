import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { ConfigCenter } from '../../../config/config-center';

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
export class JwtKeyring implements OnModuleInit, OnModuleDestroy {
  private retired: { access?: RetiredSecret; refresh?: RetiredSecret } = {};
  private subscription?: Subscription;

  constructor(private readonly center: ConfigCenter) {}

  onModuleInit(): void {
    this.subscription = this.center.changesOf('jwt').subscribe(({ previous, current }) => {
      const until = Date.now() + current.previousSecretGraceSeconds * 1000;
      if (previous.accessSecret !== current.accessSecret) {
        this.retired.access = { secret: previous.accessSecret, until };
      }
      if (previous.refreshSecret !== current.refreshSecret) {
        this.retired.refresh = { secret: previous.refreshSecret, until };
      }
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  signing(kind: 'access' | 'refresh'): string {
    const { jwt } = this.center.config;
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
