import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../../config/schema';

type MysqlEndpoint = NonNullable<AppConfig['db']['master']>;

function endpoint(node: MysqlEndpoint) {
  return {
    host: node.host,
    port: node.port,
    username: node.username,
    password: node.password,
    database: node.db,
  };
}

/** TypeORM options for the `db` section: SQLite file, plain MySQL, or primary + replicas. */
export function dataSourceOptions(db: AppConfig['db']): DataSourceOptions {
  if (db.type === 'sqlite') {
    const database = resolve(db.sqlite.path);
    mkdirSync(dirname(database), { recursive: true });
    return { type: 'better-sqlite3', database, synchronize: db.synchronize };
  }
  const master = db.master!;
  const pool = {
    connectionLimit: db.maxOpenConns,
    maxIdle: db.maxIdleConns,
    connectTimeout: db.connectTimeoutMs,
  };
  const common = {
    type: 'mysql' as const,
    charset: 'utf8mb4',
    timezone: 'Z',
    synchronize: db.synchronize,
    extra: pool,
  };
  if (db.separation && db.slaves.length > 0) {
    return {
      ...common,
      replication: { master: endpoint(master), slaves: db.slaves.map(endpoint) },
    };
  }
  return { ...common, ...endpoint(master) };
}
