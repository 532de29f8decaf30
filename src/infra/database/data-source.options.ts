import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import type { AppConfig } from '@/config/schema';
import type * as MigrationList from './migration-list';

type MysqlEndpoint = NonNullable<AppConfig['db']['master']>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityList = MixedList<Function | string | EntitySchema>;

function endpoint(node: MysqlEndpoint) {
  return {
    host: node.host,
    port: node.port,
    username: node.username,
    password: node.password,
    database: node.db,
  };
}

/** True when reads have replicas to go to: separation on and at least one slave. */
export function isReplicated(db: AppConfig['db']): boolean {
  return db.type !== 'sqlite' && db.separation && db.slaves.length > 0;
}

/**
 * TypeORM options for the `db` section: a SQLite file, plain MySQL, or a primary + replicas.
 * An empty replica list means a plain DataSource (a replicated one would fail every read).
 */
export function dataSourceOptions(
  db: AppConfig['db'],
  entities: EntityList = [],
): DataSourceOptions {
  if (db.type === 'sqlite') {
    const database = resolve(db.sqlite.path);
    mkdirSync(dirname(database), { recursive: true });
    // `db.synchronize` is applied after initialize, only when the file's schema differs
    // (sqlite-schema.ts).
    return { type: 'better-sqlite3', database, synchronize: false, entities };
  }
  const master = db.master!;
  const common = {
    type: db.type,
    charset: 'utf8mb4',
    timezone: 'Z',
    synchronize: db.synchronize,
    entities,
    // The migration classes load with the first MySQL data source, never in the SQLite profile.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    migrations: (require('./migration-list') as typeof MigrationList).MIGRATIONS,
    migrationsRun: db.migrationsRun,
    migrationsTransactionMode: 'each' as const,
    poolSize: db.maxOpenConns,
    connectTimeout: db.connectTimeoutMs,
    // mysql2 otherwise captures a stack trace on every statement, for its errors' sake; an
    // error caught after TypeORM's await carries the caller's async stack anyway.
    trace: false,
    // The idle reaper of mysql2 only runs when maxIdle < connectionLimit.
    extra: { maxIdle: db.maxIdleConns, idleTimeout: 60_000 },
  };
  if (!isReplicated(db)) return { ...common, ...endpoint(master) };
  return {
    ...common,
    replication: {
      master: endpoint(master),
      slaves: db.slaves.map(endpoint),
      // mysql2 reads `defaultSelector`; TypeORM's typed `selector` is ignored.
      defaultSelector: 'RANDOM',
      canRetry: true,
      removeNodeErrorCount: 1,
      // A failed replica leaves rotation and is tried again after this long.
      restoreNodeTimeout: 1_000,
    } as never,
  };
}
