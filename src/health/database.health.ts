import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ConfigCenter } from '../config/config-center';
import { probeDataSource } from '../infra/database/data-source.factory';
import { DATABASE_GENERATIONS, type DatabaseGenerations } from '../infra/database/database.tokens';

/** The primary and every replica of the current database generation, each pinged. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @Inject(DATABASE_GENERATIONS) private readonly generations: DatabaseGenerations,
    private readonly center: ConfigCenter,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const indicator = this.health.check(key);
    const probes = await probeDataSource(
      this.generations.current.resource,
      this.center.config.db,
      1_000,
    );
    const nodes = Object.fromEntries(
      probes.map((probe) => [
        probe.name,
        { role: probe.role, status: probe.up ? 'up' : 'down', error: probe.error },
      ]),
    );
    // Reads fall back to the primary, so a lost replica degrades but does not stop serving.
    const primaryUp = probes.some((probe) => probe.role === 'primary' && probe.up);
    return primaryUp ? indicator.up({ nodes }) : indicator.down({ nodes });
  }
}
