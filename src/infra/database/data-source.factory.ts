import { DataSource } from 'typeorm';
import { withTimeout } from '../../common/with-timeout';
import type { AppConfig } from '../../config/schema';
import type { RequestScope } from '../generations/request-scope';
import { dataSourceOptions, isReplicated, type EntityList } from './data-source.options';

interface PoolConnection {
  query(sql: string, callback: (error: Error | null) => void): void;
  release(): void;
}

interface ReadRunner {
  mode: 'master' | 'slave';
  isTransactionActive: boolean;
  databaseConnection?: { destroy(): void };
  databaseConnectionPromise?: Promise<unknown>;
  query(...args: unknown[]): Promise<unknown>;
}

interface MysqlDriverInternals {
  createQueryRunner(mode: 'master' | 'slave'): ReadRunner;
  poolCluster?: {
    getConnection(
      pattern: string,
      callback: (error: Error | null, connection: PoolConnection) => void,
    ): void;
  };
  obtainMasterConnection(): Promise<unknown>;
  obtainSlaveConnection(): Promise<unknown>;
}

export interface DatabaseProbe {
  name: string;
  role: 'primary' | 'replica';
  up: boolean;
  error?: string;
}

function describeEndpoint(node: { host: string; port: number; name?: string }): string {
  return node.name ?? `${node.host}:${node.port}`;
}

/** Errors that mean the server went away, not that the statement was wrong. */
const CONNECTION_ERRORS = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'POOL_NONEONLINE',
]);

function isConnectionError(error: unknown): boolean {
  const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
  return CONNECTION_ERRORS.has(driverError?.code ?? code ?? '');
}

/**
 * A read whose replica connection dies under it (the replica stopped mid-query) is answered by
 * the primary instead of failing. Only outside transactions: a read is safe to repeat.
 */
function retryLostReadsOnPrimary(driver: MysqlDriverInternals): void {
  const createQueryRunner = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode) => {
    const runner = createQueryRunner(mode);
    if (mode !== 'slave') return runner;
    const query = runner.query.bind(runner);
    runner.query = async (...args: unknown[]) => {
      try {
        return await query(...args);
      } catch (error) {
        if (runner.mode === 'master' || runner.isTransactionActive || !isConnectionError(error)) {
          throw error;
        }
        runner.databaseConnection?.destroy();
        runner.databaseConnection = undefined;
        runner.databaseConnectionPromise = undefined;
        runner.mode = 'master';
        return query(...args);
      }
    };
    return runner;
  };
}

/**
 * Reads go to a random replica, except that (1) a unit of work that has used the primary
 * keeps reading from it, so it sees its own writes, and (2) when no replica answers, the read
 * falls back to the primary instead of failing.
 */
function routeReads(dataSource: DataSource, scope: RequestScope): void {
  const driver = dataSource.driver as unknown as MysqlDriverInternals;
  const obtainMaster = driver.obtainMasterConnection.bind(driver);
  const obtainSlave = driver.obtainSlaveConnection.bind(driver);
  retryLostReadsOnPrimary(driver);
  driver.obtainMasterConnection = () => {
    scope.markUsedPrimary();
    return obtainMaster();
  };
  driver.obtainSlaveConnection = async () => {
    if (scope.usedPrimary) return obtainMaster();
    try {
      return await obtainSlave();
    } catch {
      return obtainMaster();
    }
  };
}

function pingNode(driver: MysqlDriverInternals, node: string, timeoutMs: number): Promise<void> {
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
  const driver = dataSource.driver as unknown as MysqlDriverInternals;
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
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
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
