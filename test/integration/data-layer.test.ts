import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { ReloadAttempt } from '@/config/config-center';
import { mergeDeep, startTestApp, type TestApp } from '../support/app';
import { NotesModule } from '../support/notes.module';
import Redis from 'ioredis';
import { DATABASE_GENERATIONS, type DatabaseGenerations } from '@/infra/database/database.tokens';
import { runSwapLoad } from '../support/swap-load';
import {
  connectionCount,
  createReplicatedDatabase,
  REPLICA_PAIR,
  replicaRowCount,
  replicatedDb,
  startReplica,
  stopReplica,
  withReplicaHeldBack,
} from '../support/replica';

async function post<T>(
  app: TestApp,
  path: string,
  body: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function get<T>(app: TestApp, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${app.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

function reload(app: TestApp, patch: Record<string, unknown>): Promise<ReloadAttempt> {
  return app.center.apply(stringify(mergeDeep(app.center.config, patch)), 'file');
}

/** The app with NotesModule on a fresh database of the primary + replica pair. */
async function openReplicatedApp() {
  const created = await createReplicatedDatabase();
  const app = await startTestApp({
    config: { db: replicatedDb(created.name) },
    imports: [NotesModule],
  });
  return {
    app,
    database: created.name,
    close: async () => {
      await app.close();
      await created.drop();
    },
  };
}

describe('read/write splitting on a primary + replica', () => {
  let app: TestApp;
  let database: string;
  let close: () => Promise<void>;

  before(async () => ({ app, database, close } = await openReplicatedApp()));
  after(() => close?.());

  it('sends reads to the replica and writes to the primary', async () => {
    const reads = await Promise.all(
      Array.from({ length: 5 }, () => get<{ port: number }>(app, '/test-notes/ports/read')),
    );
    assert.deepEqual(
      new Set(reads.map((read) => read.body.port)),
      new Set([REPLICA_PAIR.replicaPort]),
    );
    const write = await post<{ port: number }>(app, '/test-notes/ports/write', {});
    assert.equal(write.body.port, REPLICA_PAIR.primaryPort);
  });

  it('reads its own writes with the replica held back: 500 write-then-read cycles, 0 misses', async () => {
    let misses = 0;
    const lagging = await withReplicaHeldBack(async () => {
      // Counted once the replica has stopped applying: a write of an earlier test may still
      // have been on its way before that.
      const before = await replicaRowCount(database, 'test_note');
      for (let batch = 0; batch < 50; batch++) {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            post<{ found: boolean }>(app, '/test-notes', { body: `cycle ${batch}-${index}` }),
          ),
        );
        misses += results.filter((result) => result.status !== 201 || !result.body.found).length;
      }
      // Had any read-back gone to the replica, it would have missed: none of the rows is there.
      return (await replicaRowCount(database, 'test_note')) - before;
    });
    assert.equal(lagging, 0, 'the replica applied writes while held back');
    assert.equal(misses, 0);
  });

  it('reports the primary and the replica in readiness', async () => {
    const ready = await get<{
      details: { database: { nodes: Record<string, { role: string; status: string }> } };
    }>(app, '/health/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.details.database.nodes.primary, { role: 'primary', status: 'up' });
    assert.deepEqual(ready.body.details.database.nodes.replica, { role: 'replica', status: 'up' });
  });

  it('keeps serving reads from the primary while the replica is down, and returns to it', async () => {
    let stopLoad = false;
    let failures = 0;
    let served = 0;
    const load = (async () => {
      while (!stopLoad) {
        const read = await fetch(`${app.baseUrl}/test-notes/ports/read`);
        if (read.status === 200) served++;
        else failures++;
      }
    })();
    try {
      await stopReplica();
      const whileDown = await Promise.all(
        Array.from({ length: 20 }, () => get<{ port: number }>(app, '/test-notes/ports/read')),
      );
      assert.ok(whileDown.every((read) => read.status === 200));
      assert.ok(whileDown.every((read) => read.body.port === REPLICA_PAIR.primaryPort));
      const ready = await get<{
        details: { database: { nodes: Record<string, { status: string }> } };
      }>(app, '/health/ready');
      assert.equal(ready.body.details.database.nodes.replica.status, 'down');
    } finally {
      await startReplica();
    }
    // Back in rotation once its retry delay (1 s) has passed.
    let port = 0;
    const deadline = Date.now() + 15_000;
    while (port !== REPLICA_PAIR.replicaPort && Date.now() < deadline) {
      port = (await get<{ port: number }>(app, '/test-notes/ports/read')).body.port;
    }
    stopLoad = true;
    await load;
    assert.equal(port, REPLICA_PAIR.replicaPort);
    assert.equal(failures, 0);
    assert.ok(served > 0);
  });
});

describe('rejected database and Redis changes', () => {
  let app: TestApp;
  let database: string;
  let close: () => Promise<void>;

  before(async () => ({ app, database, close } = await openReplicatedApp()));
  after(() => close?.());

  const cases: [string, () => Record<string, unknown>, RegExp][] = [
    [
      'a wrong database password',
      () => ({ db: { master: { password: 'not-the-password-123' } } }),
      /database primary unreachable: ER_ACCESS_DENIED_ERROR/,
    ],
    [
      'an unreachable database host',
      () => ({ db: { master: { port: 1 }, connectTimeoutMs: 500 } }),
      /database primary unreachable/,
    ],
    [
      'an unreachable replica',
      () => ({
        db: { slaves: [{ ...replicatedDb(database).slaves[0], port: 1 }], connectTimeoutMs: 500 },
      }),
      /database replica .* unreachable/,
    ],
    [
      'an unreachable Redis',
      () => ({ redis: { port: 1, connectTimeoutMs: 500 } }),
      /redis 127\.0\.0\.1:1\/0 unreachable/,
    ],
  ];

  for (const [name, patch, error] of cases) {
    it(`rejects ${name} before the switch, with 0 failed requests`, async () => {
      const version = app.center.version;
      let stop = false;
      let failures = 0;
      const load = Promise.all(
        Array.from({ length: 5 }, async (_, worker) => {
          while (!stop) {
            const result = await post<{ found: boolean }>(app, '/test-notes/mixed', {
              body: `w${worker}`,
            });
            if (result.status !== 201 || !result.body.found) failures++;
          }
        }),
      );
      // The load is running before the reload starts.
      for (let warmup = 0; warmup < 20; warmup++) {
        const response = await post<{ found: boolean }>(app, '/test-notes/mixed', { body: 'warm' });
        if (response.status !== 201) failures++;
      }
      const attempt = await reload(app, patch());
      stop = true;
      await load;
      assert.equal(attempt.outcome, 'rejected');
      assert.match(attempt.error ?? '', error);
      assert.equal(app.center.version, version);
      assert.equal(failures, 0);
      const status = await (await fetch(`${app.baseUrl}/health/config`)).text();
      assert.match(status, error);
      assert.ok(!status.includes('not-the-password-123'));
      assert.ok(!status.includes(REPLICA_PAIR.password));
    });
  }
});

describe('hot swap', () => {
  let app: TestApp;
  let close: () => Promise<void>;

  before(async () => ({ app, close } = await openReplicatedApp()));
  after(() => close?.());

  it('commits a transaction in flight during a swap on its own generation', async () => {
    const generations = app.app.get<DatabaseGenerations>(DATABASE_GENERATIONS);
    const pinned = generations.current;
    const transaction = post<{ id: number; port: number }>(app, '/test-notes/slow-transaction', {
      ms: 600,
      body: 'in flight',
    });
    // Swap only once the request holds its lease on the current generation.
    while (pinned.activeLeases === 0) await new Promise((resolve) => setImmediate(resolve));
    const logsBefore = app.logs.lines.length;
    const attempt = await reload(app, {
      db: { separation: false, slaves: [] },
      redis: { port: 6380 },
    });
    assert.equal(attempt.outcome, 'applied');
    assert.notEqual(generations.current, pinned);
    const result = await transaction;
    assert.equal(result.status, 201);
    assert.equal(result.body.port, REPLICA_PAIR.primaryPort);
    const stored = await get<{ body: string } | null>(app, `/test-notes/${result.body.id}`);
    assert.equal(stored.body?.body, 'in flight');
    // The old generation was closed only after the transaction: its drain waited for it.
    await app.center.settled();
    const retired = app.logs
      .entries()
      .slice(logsBefore)
      .find((entry) => entry.msg === 'old generation retired' && entry.resource === 'database');
    assert.equal(retired?.drained, true);
    assert.ok(Number(retired?.drainMs) >= 200, `drained in ${String(retired?.drainMs)} ms`);
  });
});

describe('hot swap under load', () => {
  let app: TestApp;
  let database: string;
  let close: () => Promise<void>;

  before(async () => ({ app, database, close } = await openReplicatedApp()));
  after(() => close?.());

  it('fails 0 of the requests of 40 clients over 10 s while DB and Redis flip every 700 ms', async () => {
    const clientName = `swap-${database}`;
    const replicated = { db: replicatedDb(database), redis: { port: 6379, clientName } };
    const primaryOnly = { db: replicatedDb(database, false), redis: { port: 6380, clientName } };
    const result = await runSwapLoad(app, {
      clients: 40,
      durationMs: 10_000,
      flipEveryMs: 700,
      patches: [replicated, primaryOnly],
      request: async (client, sequence) => {
        const response = await post<{ found: boolean }>(app, '/test-notes/mixed', {
          body: `c${client}-${sequence}`,
        });
        return response.status === 201 && response.body.found;
      },
    });
    assert.ok(result.requests > 400, `only ${result.requests} requests`);
    assert.equal(result.failures, 0);
    assert.ok(result.swaps.length >= 10, `${result.swaps.length} swaps`);
    assert.ok(result.swaps.every((swap) => swap.outcome === 'applied'));
    // Every old generation drained (no lease left) before it was closed.
    assert.ok(result.retirements.length >= 2 * result.swaps.length);
    assert.ok(
      result.retirements.every((retirement) => retirement.drained && retirement.leftLeases === 0),
    );
    // Connections of retired generations are gone: the servers are back to their baseline.
    const last = result.swaps.length % 2 === 1 ? primaryOnly : replicated;
    const unused =
      last === primaryOnly
        ? { replica: REPLICA_PAIR.replicaPort, redis: 6379 }
        : { replica: 0, redis: 6380 };
    if (unused.replica) assert.equal(await connectionCount(unused.replica, database), 0);
    assert.equal(await redisClients(unused.redis, clientName), 0);
    assert.ok((await redisClients(unused.redis === 6379 ? 6380 : 6379, clientName)) >= 1);
  });
});

/** Connections on a Redis server that carry `name` (CLIENT SETNAME). */
async function redisClients(port: number, name: string): Promise<number> {
  const client = new Redis({ port, lazyConnect: true });
  await client.connect();
  const list = (await client.client('LIST')) as string;
  await client.quit();
  return list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
}
