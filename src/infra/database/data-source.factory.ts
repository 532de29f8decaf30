import { DataSource } from 'typeorm';
import { withTimeout } from '@/common/with-timeout';
import type { AppConfig } from '@/config/schema';
import type { RequestScope } from '../generations/request-scope';
import { dataSourceOptions, isReplicated, type EntityList } from './data-source.options';
import { driverInternals, routeReads } from './replica-routing';
import { synchronizeSqliteSchema } from './sqlite-schema';

export interface DatabaseProbe {
  name: string;
  role: 'primary' | 'replica';
  up: boolean;
  error?: string;
}

function describeEndpoint(node: { host: string; port: number; name?: string }): string {
  return node.name ?? `${node.host}:${node.port}`;
}

function pingNode(
  driver: ReturnType<typeof driverInternals>,
  node: string,
  timeoutMs: number,
): Promise<void> {
  const ping = new Promise<void>((resolve, reject) => {
    driver.poolCluster!.getConnection(node, (error, connection) => {
      if (error) {
        reject(error);
        return;
      }
      connection.query('SELECT 1', (queryError) => {
        connection.release();
        if (queryError) reject(queryError);
        else resolve();
      });
    });
  });
  return withTimeout(ping, timeoutMs);
}

function errorText(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  // mysql2 messages name the user and host, never the password; keep them short anyway.
  return (code ? `${code}: ${message ?? ''}` : (message ?? String(error))).slice(0, 200);
}

/** Pings the primary and every replica of a DataSource built by `openDataSource`. */
export async function probeDataSource(
  dataSource: DataSource,
  db: AppConfig['db'],
  timeoutMs = db.connectTimeoutMs,
): Promise<DatabaseProbe[]> {
  if (db.type === 'sqlite') {
    try {
      await withTimeout(dataSource.query('SELECT 1'), timeoutMs);
      return [{ name: 'sqlite', role: 'primary', up: true }];
    } catch (error) {
      return [{ name: 'sqlite', role: 'primary', up: false, error: errorText(error) }];
    }
  }
  const master = db.master!;
  if (!isReplicated(db)) {
    try {
      await withTimeout(dataSource.query('SELECT 1'), timeoutMs);
      return [{ name: describeEndpoint(master), role: 'primary', up: true }];
    } catch (error) {
      return [
        { name: describeEndpoint(master), role: 'primary', up: false, error: errorText(error) },
      ];
    }
  }
  const driver = driverInternals(dataSource);
  const nodes = [
    { pool: 'MASTER', name: describeEndpoint(master), role: 'primary' as const },
    ...db.slaves.map((slave, index) => ({
      pool: `SLAVE${index}`,
      name: describeEndpoint(slave),
      role: 'replica' as const,
    })),
  ];
  return Promise.all(
    nodes.map(async ({ pool, name, role }) => {
      try {
        await pingNode(driver, pool, timeoutMs);
        return { name, role, up: true };
      } catch (error) {
        return { name, role, up: false, error: errorText(error) };
      }
    }),
  );
}

/**
 * Closes a DataSource whose initialize() failed. TypeORM refuses to destroy one that never
 * finished initializing, yet its driver may already hold a connection pool, whose idle-sweep
 * timer would keep the process alive: end the driver's pools directly.
 */
async function closeUnopened(dataSource: DataSource): Promise<void> {
  if (dataSource.isInitialized) {
    await dataSource.destroy().catch(() => undefined);
    return;
  }
  await dataSource.driver.disconnect().catch(() => undefined);
}

/**
 * Builds and initializes a DataSource for the `db` section and checks that the primary and
 * every replica answer. Throws (after closing what it opened) when any of them does not.
 */
export async function openDataSource(
  db: AppConfig['db'],
  entities: EntityList,
  scope: RequestScope,
): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(db, entities));
  try {
    await dataSource.initialize();
    if (db.type === 'sqlite' && db.synchronize) await synchronizeSqliteSchema(dataSource);
  } catch (error) {
    await closeUnopened(dataSource);
    throw new Error(`database primary unreachable: ${errorText(error)}`);
  }
  if (isReplicated(db)) {
    const down = (await probeDataSource(dataSource, db)).filter((probe) => !probe.up);
    if (down.length > 0) {
      await dataSource.destroy().catch(() => undefined);
      throw new Error(
        `database ${down.map((probe) => `${probe.role} ${probe.name} unreachable: ${probe.error}`).join('; ')}`,
      );
    }
    routeReads(dataSource, scope);
  }
  return dataSource;
}
