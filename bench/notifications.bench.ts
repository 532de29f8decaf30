/**
 * The unread count a client polls (`GET /api/v1/me/notifications/unread-count`), on the primary
 * + replica pair with 200,000 notifications of 1,000 members, the polling member holding the
 * most a member keeps (`notifications.maxPerMember`, 500), half unread: the count's query plan,
 * the statement alone on the replica beside a Redis GET (what a cached count would cost), and
 * the route under load beside `GET /api/v1/me`, the floor of any authenticated route. Needs the
 * replica pair (`bash scripts/services.sh`).
 *
 *   npm run bench:notifications
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { Redis } from 'ioredis';
import { setTimeout as delay } from 'node:timers/promises';
import { decodeId } from '@/common/public-id';
import { startTestApp } from '../test/support/app';
import { registerMember } from '../test/support/members';
import { createReplicatedDatabase, REPLICA_PAIR, replicatedDb } from '../test/support/replica';
import { percentile } from '../test/support/swap-load';

const MEMBERS = 1_000;
const PER_MEMBER = 200;
const POLLER_KEEPS = 500;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8_000);
const COUNT_SQL =
  'SELECT COUNT(*) AS unread FROM notification WHERE memberId = ? AND readAt IS NULL';

async function timed(times: number, work: () => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    await work();
    latencies.push(performance.now() - started);
  }
  return latencies;
}

const summary = (latencies: number[]) =>
  `p50 ${percentile(latencies, 50).toFixed(3)} ms  p99 ${percentile(latencies, 99).toFixed(3)} ms`;

/** `CLIENTS` loops calling `url` back to back for DURATION_MS. */
async function load(name: string, url: string, token: string) {
  const latencies: number[] = [];
  let failures = 0;
  const end = Date.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        const started = performance.now();
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        if (response.status !== 200) failures++;
      }
    }),
  );
  const rps = latencies.length / (DURATION_MS / 1000);
  console.log(
    `${name.padEnd(44)} ${rps.toFixed(0).padStart(6)} req/s  ${summary(latencies)}  failed ${failures}`,
  );
}

async function main() {
  const database = await createReplicatedDatabase();
  const app = await startTestApp({
    config: {
      db: { ...replicatedDb(database.name), synchronize: false },
      log: { level: 'warn' },
      tracing: { sampleRatio: 0 },
    },
  });
  let primary: Connection | undefined;
  let replica: Connection | undefined;
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  try {
    const member = await registerMember(app);
    const memberId = decodeId(member.id);
    const connect = (port: number) =>
      createConnection({
        host: REPLICA_PAIR.host,
        port,
        user: REPLICA_PAIR.user,
        password: REPLICA_PAIR.password,
        database: database.name,
      });
    primary = await connect(REPLICA_PAIR.primaryPort);
    replica = await connect(REPLICA_PAIR.replicaPort);
    // Other members' rows (ids far from the poller's), then the poller's, every other one read.
    await primary.query(
      `INSERT INTO notification (memberId, kind, content, readAt)
       SELECT 1000000 + seq % ${MEMBERS}, 'mentioned', 'mentioned you', IF(seq % 2, NOW(), NULL)
       FROM seq_1_to_${MEMBERS * PER_MEMBER}`,
    );
    await primary.query(
      `INSERT INTO notification (memberId, kind, content, readAt)
       SELECT ?, 'mentioned', 'mentioned you', IF(seq % 2, NOW(), NULL) FROM seq_1_to_${POLLER_KEEPS}`,
      [memberId],
    );
    // The counters the app's own stores would have kept (list_total).
    await primary.query(
      `INSERT INTO list_total (memberId, list, total)
       SELECT memberId, 'notifications', COUNT(*) FROM notification GROUP BY memberId
       UNION ALL
       SELECT memberId, 'notifications:unread', COUNT(*) FROM notification WHERE readAt IS NULL
       GROUP BY memberId`,
    );
    await primary.query('ANALYZE TABLE notification');
    // Let the replica catch up.
    const total = MEMBERS * PER_MEMBER + POLLER_KEEPS;
    for (;;) {
      const [[row]] = (await replica.query(
        'SELECT COUNT(*) AS n FROM notification',
      )) as unknown as [{ n: number }[]];
      if (Number(row.n) >= total) break;
      await delay(500);
    }

    const [plan] = (await replica.query(`EXPLAIN ${COUNT_SQL}`, [memberId])) as unknown as [
      { type: string; key: string; rows: number; Extra: string }[],
    ];
    console.log(
      `plan: ${plan.map((row) => `${row.type} on ${row.key}, ~${row.rows} rows, ${row.Extra}`).join('; ')}`,
    );
    const [[counted]] = (await replica.query(COUNT_SQL, [memberId])) as unknown as [
      { unread: number }[],
    ];
    console.log(`unread: ${counted.unread} of ${POLLER_KEEPS}`);

    await redis.connect();
    await redis.set('bench:unread', String(counted.unread));
    const replicaLatencies = await timed(2_000, () => replica!.query(COUNT_SQL, [memberId]));
    const redisLatencies = await timed(2_000, () => redis.get('bench:unread'));
    console.log(`count statement on the replica, one at a time:  ${summary(replicaLatencies)}`);
    console.log(`Redis GET of a cached count, one at a time:    ${summary(redisLatencies)}`);

    console.log(`${CLIENTS} concurrent clients, ${DURATION_MS / 1000} s each`);
    await load(
      'GET /api/v1/me/notifications/unread-count',
      `${app.baseUrl}/api/v1/me/notifications/unread-count`,
      member.accessToken,
    );
    await load('GET /api/v1/me (for reference)', `${app.baseUrl}/api/v1/me`, member.accessToken);
  } finally {
    redis.disconnect();
    await primary?.end();
    await replica?.end();
    await app.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
