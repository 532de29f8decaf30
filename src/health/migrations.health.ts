import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MigrationExecutor, type DataSource } from 'typeorm';
import { withTimeout } from '../common/with-timeout';
import { ConfigCenter } from '../config/config-center';
import { DATABASE_GENERATIONS, type DatabaseGenerations } from '../infra/database/database.tokens';

/** How long an answer is reused: readiness is polled often, the schema changes rarely. */
const CACHE_MS = 5_000;

interface Answer {
  dataSource: DataSource;
  at: number;
  pending: string[];
}

/**
 * The schema is not behind the code: every committed migration is recorded in the primary's
 * migrations table. A schema that synchronises from the entities (the embedded SQLite
 * profile) has no migrations to be behind on.
 */
@Injectable()
export class MigrationsHealthIndicator {
  private answer?: Answer;

  constructor(
    @Inject(DATABASE_GENERATIONS) private readonly generations: DatabaseGenerations,
    private readonly center: ConfigCenter,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const indicator = this.health.check(key);
    const { db } = this.center.config;
    if (db.type === 'sqlite' || db.synchronize) return indicator.up({ synchronized: true });
    try {
      const pending = await this.pending(this.generations.current.resource);
      return pending.length === 0 ? indicator.up({ pending }) : indicator.down({ pending });
    } catch (error) {
      return indicator.down({ error: (error as Error).message.slice(0, 200) });
    }
  }

  private async pending(dataSource: DataSource): Promise<string[]> {
    const cached = this.answer;
    // A new generation may point at another database: it gets its own answer.
    if (cached?.dataSource === dataSource && Date.now() - cached.at < CACHE_MS) {
      return cached.pending;
    }
    // The primary: a replica may not have the latest migration rows yet.
    const runner = dataSource.createQueryRunner('master');
    try {
      const migrations = await withTimeout(
        new MigrationExecutor(dataSource, runner).getPendingMigrations(),
        1_000,
        'migrations table query timed out',
      );
      const pending = migrations.map((migration) => migration.name);
      this.answer = { dataSource, at: Date.now(), pending };
      return pending;
    } finally {
      await runner.release();
    }
  }
}
