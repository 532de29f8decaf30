import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@/config/schema';
import { rebuildTotals } from '@/infra/database/list-totals';
import { fillTaskTotals } from './task-totals';
import { seedSystemTemplates } from './template-seeds';

/**
 * The embedded profile (SQLite) builds its schema from the entities, without the migration
 * that fills the list counters (the project, notification and task ones) and the memberships'
 * projectState: it computes them at start, from the rows the file already holds. It also adds
 * the system templates while there are none (one transaction: SQLite has one connection).
 */
@Injectable()
export class ListTotalsBootstrap implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('db', { infer: true }).type !== 'sqlite') return;
    await this.dataSource.transaction(async (manager) => {
      await seedSystemTemplates(manager);
      await rebuildTotals(manager);
      await fillTaskTotals(manager);
    });
  }
}
