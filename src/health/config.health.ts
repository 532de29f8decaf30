import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ConfigCenter } from '../config/config-center';

/** Where the applied config came from; a fallback (snapshot, file) is reported, not fatal. */
@Injectable()
export class ConfigHealthIndicator {
  constructor(
    private readonly center: ConfigCenter,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key: string) {
    const { source, version, lastAttempt } = this.center.status();
    return this.health.check(key).up({ source, version, lastReloadOk: lastAttempt.ok });
  }
}
