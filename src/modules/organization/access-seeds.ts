import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@/config/schema';
import { Menu, PermissionNode } from './entities';
import { MENU_ROWS } from './menu-rows';
import { parentOf, PERMISSION_NODES } from './permission-catalogue';

/**
 * The embedded profile (SQLite) builds its schema from the entities, without the migrations
 * that seed the catalogue and the menu: it fills them at start while they are empty.
 */
@Injectable()
export class AccessSeeds implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('db', { infer: true }).type === 'sqlite') await this.seedEmptyTables();
  }

  /** Fills the permission-node and menu tables when empty; leaves them alone otherwise. */
  async seedEmptyTables(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await manager.exists(PermissionNode))) {
        await manager.insert(
          PermissionNode,
          PERMISSION_NODES.map(({ operations: _operations, ...entry }) => ({
            ...entry,
            parent: parentOf(entry.node),
            sort: entry.id,
          })),
        );
      }
      if (!(await manager.exists(Menu))) await manager.insert(Menu, [...MENU_ROWS]);
    });
  }
}
