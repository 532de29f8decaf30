import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

const run = promisify(execFile);
const script = join(__dirname, '../../../scripts/mariadb-replica.sh');

/** The MariaDB primary + replica pair started by scripts/mariadb-replica.sh. */
export const REPLICA_PAIR = {
  host: '127.0.0.1',
  primaryPort: Number(process.env.MSP_REPLICA_PRIMARY_PORT ?? 3316),
  replicaPort: Number(process.env.MSP_REPLICA_REPLICA_PORT ?? 3317),
  user: process.env.MSP_REPLICA_USER ?? 'msproject',
  password: process.env.MSP_REPLICA_PASSWORD ?? 'msproject',
};

export function replicaEndpoint(database: string, port: number, name: string) {
  return {
    name,
    host: REPLICA_PAIR.host,
    port,
    username: REPLICA_PAIR.user,
    password: REPLICA_PAIR.password,
    db: database,
  };
}

/** A `db` section on the pair: replicated, or the primary alone. */
export function replicatedDb(database: string, separation = true) {
  return {
    type: 'mariadb',
    separation,
    // The test-only table of NotesModule has no migration.
    synchronize: true,
    migrationsRun: true,
    master: replicaEndpoint(database, REPLICA_PAIR.primaryPort, 'primary'),
    slaves: separation ? [replicaEndpoint(database, REPLICA_PAIR.replicaPort, 'replica')] : [],
  };
}

async function connect(port: number) {
  return createConnection({
    host: REPLICA_PAIR.host,
    port,
    user: REPLICA_PAIR.user,
    password: REPLICA_PAIR.password,
  });
}

/** A fresh database on the primary, waited for on the replica. */
export async function createReplicatedDatabase(): Promise<{
  name: string;
  drop: () => Promise<void>;
}> {
  const name = `msproject_test_${randomBytes(5).toString('hex')}`;
  const primary = await connect(REPLICA_PAIR.primaryPort);
  await primary.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const [[position]] = (await primary.query('SELECT @@gtid_binlog_pos AS gtid')) as unknown as [
    { gtid: string }[],
  ];
  await primary.end();
  const replica = await connect(REPLICA_PAIR.replicaPort);
  await replica.query('SELECT MASTER_GTID_WAIT(?, 10)', [position.gtid]);
  await replica.end();
  return {
    name,
    drop: async () => {
      const dropper = await connect(REPLICA_PAIR.primaryPort);
      await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await dropper.end();
    },
  };
}

/** Open client connections on one server, other than the asker's own. */
export async function connectionCount(port: number, database: string): Promise<number> {
  const connection = await connect(port);
  const [rows] = (await connection.query(
    'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
    [database],
  )) as unknown as [{ n: number }[]];
  await connection.end();
  return Number(rows[0].n);
}

export async function stopReplica(): Promise<void> {
  await run('bash', [script, 'stop-replica']);
}

export async function startReplica(): Promise<void> {
  await run('bash', [script, 'start-replica']);
}

/**
 * Stops the replica applying changes while `work` runs, so that anything read from it is
 * stale: a read that should have gone to the primary then visibly misses.
 */
export async function withReplicaHeldBack<T>(work: () => Promise<T>): Promise<T> {
  await run('bash', [script, 'hold-replica']);
  try {
    return await work();
  } finally {
    await run('bash', [script, 'release-replica']);
  }
}

/** Rows of `table` in `database` as the replica sees them. */
export async function replicaRowCount(database: string, table: string): Promise<number> {
  const connection = await connect(REPLICA_PAIR.replicaPort);
  const [rows] = (await connection.query(
    `SELECT COUNT(*) AS n FROM \`${database}\`.\`${table}\``,
  )) as unknown as [{ n: number }[]];
  await connection.end();
  return Number(rows[0].n);
}
