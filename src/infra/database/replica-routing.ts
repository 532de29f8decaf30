import type { DataSource } from 'typeorm';
import type { RequestScope } from '../generations/request-scope';

/*
 * Read-replica routing. TypeORM's MySQL driver sends every read-mode query runner to a
 * replica through mysql2's PoolCluster; routing it (read-your-writes, fallback to the primary,
 * retry of a read whose replica died) means wrapping a few of the driver's internal methods.
 * They are not public API, so their shape is checked when a replicated DataSource opens: a
 * TypeORM or mysql2 upgrade that changes them fails at start, not silently at run time.
 */

export interface PoolConnection {
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

export interface MysqlDriverInternals {
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

/** The driver internals the routing wraps, checked to still have the shape it relies on. */
export function driverInternals(dataSource: DataSource): MysqlDriverInternals {
  const driver = dataSource.driver as unknown as Partial<MysqlDriverInternals>;
  const methods = ['createQueryRunner', 'obtainMasterConnection', 'obtainSlaveConnection'] as const;
  const missing: string[] = methods.filter((method) => typeof driver[method] !== 'function');
  if (typeof driver.poolCluster?.getConnection !== 'function') {
    missing.push('poolCluster.getConnection');
  }
  if (missing.length > 0) {
    throw new Error(
      `read-replica routing: the database driver no longer has ${missing.join(', ')}; ` +
        'check src/infra/database/replica-routing.ts against the installed TypeORM and mysql2',
    );
  }
  return driver as MysqlDriverInternals;
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
    if (typeof runner.query !== 'function' || runner.mode !== 'slave') {
      throw new Error('read-replica routing: the query runner no longer has the expected shape');
    }
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
export function routeReads(dataSource: DataSource, scope: RequestScope): void {
  const driver = driverInternals(dataSource);
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
