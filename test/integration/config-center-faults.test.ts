import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createConnection } from 'mysql2/promise';
import { firstValueFrom, filter } from 'rxjs';
import { stringify } from 'yaml';
import type { ReloadAttempt } from '@/config/config-center';
import { mergeDeep, startTestApp, type TestApp } from '../support/app';
import { MARIADB } from '../support/databases';
import { NacosTestServer } from '../support/nacos-server';
import { freePort } from '../support/ports';

/**
 * What only the project's test server can stage: outages, restarts, auth, request counting.
 * (config-center.test.ts holds the suite that also runs against a real Nacos.)
 */
const DATA_ID = 'config.yaml';
const GROUP = 'DEFAULT_GROUP';

function nacosBootstrap(
  server: NacosTestServer,
  namespace: string,
  snapshotDir: string,
  extra = {},
) {
  return {
    nacos: {
      enabled: true,
      ipAddr: '127.0.0.1',
      port: server.port,
      namespace,
      group: GROUP,
      dataId: DATA_ID,
      snapshotDir,
      requestTimeoutMs: 1_000,
      ...extra,
    },
  };
}

function nextAttempt(app: TestApp, predicate: (attempt: ReloadAttempt) => boolean) {
  return firstValueFrom(app.center.attempts$.pipe(filter(predicate)));
}

const namespace = () => `ns-${randomBytes(4).toString('hex')}`;
const snapshotDirectory = () => mkdtemp(join(tmpdir(), 'msproject-snap-'));

describe('config center under config-server faults', () => {
  let server: NacosTestServer;

  before(async () => {
    server = new NacosTestServer();
    await server.start();
  });

  after(async () => {
    await server?.stop();
  });

  it('boots from the snapshot when Nacos is down, and from the file without one', async () => {
    const tenant = namespace();
    const snapshotDir = await snapshotDirectory();
    // The first app's database backs the snapshot's config, so it stays up until the end.
    const first = await startTestApp({
      bootstrap: nacosBootstrap(server, tenant, snapshotDir),
      config: { cache: { memberTtlSeconds: 11 } },
      beforeStart: (yaml) => {
        server.publish(DATA_ID, GROUP, yaml, tenant);
      },
    });
    assert.equal(first.center.source, 'nacos');

    server.setFault({ kind: 'reset' });
    try {
      const fromSnapshot = await startTestApp({
        bootstrap: nacosBootstrap(server, tenant, snapshotDir),
        config: { cache: { memberTtlSeconds: 99 } },
        // The snapshot names the first app's ports; APP_ overrides win over every source.
        env: {
          APP_SERVER__PORT: String(await freePort()),
          APP_GRPC__PORT: String(await freePort()),
        },
      });
      try {
        assert.equal(fromSnapshot.center.source, 'snapshot');
        assert.equal(fromSnapshot.center.config.cache.memberTtlSeconds, 11);
        const status = (await (await fetch(`${fromSnapshot.baseUrl}/health/config`)).json()) as {
          source: string;
        };
        assert.equal(status.source, 'snapshot');
      } finally {
        await fromSnapshot.close();
      }

      const fromFile = await startTestApp({
        bootstrap: nacosBootstrap(server, tenant, await snapshotDirectory()),
        config: { cache: { memberTtlSeconds: 99 } },
      });
      try {
        assert.equal(fromFile.center.source, 'file');
        assert.equal(fromFile.center.config.cache.memberTtlSeconds, 99);
      } finally {
        await fromFile.close();
      }
    } finally {
      server.setFault(null);
      await first.close();
    }
  });

  it('boots from the file, not an old snapshot, when Nacos answers that it has no config', async () => {
    const tenant = namespace();
    const snapshotDir = await snapshotDirectory();
    const first = await startTestApp({
      bootstrap: nacosBootstrap(server, tenant, snapshotDir),
      config: { cache: { memberTtlSeconds: 11 } },
      beforeStart: (yaml) => {
        server.publish(DATA_ID, GROUP, yaml, tenant);
      },
    });
    await first.close();
    server.remove(DATA_ID, GROUP, tenant);
    const second = await startTestApp({
      bootstrap: nacosBootstrap(server, tenant, snapshotDir),
      config: { cache: { memberTtlSeconds: 77 } },
    });
    try {
      assert.equal(second.center.source, 'file');
      assert.equal(second.center.config.cache.memberTtlSeconds, 77);
    } finally {
      await second.close();
    }
  });

  it('switches to Nacos once it comes back after a boot from the file', async () => {
    const tenant = namespace();
    server.setFault({ kind: 'reset' });
    const app = await startTestApp({
      bootstrap: nacosBootstrap(server, tenant, await snapshotDirectory()),
    });
    try {
      assert.equal(app.center.source, 'file');
      const caughtUp = nextAttempt(app, (attempt) => attempt.source === 'nacos' && attempt.ok);
      server.publish(
        DATA_ID,
        GROUP,
        stringify(mergeDeep(app.config, { cache: { memberTtlSeconds: 5 } })),
        tenant,
      );
      server.setFault(null);
      await caughtUp;
      assert.equal(app.center.source, 'nacos');
      assert.equal(app.center.config.cache.memberTtlSeconds, 5);
    } finally {
      server.setFault(null);
      await app.close();
    }
  });

  it('catches up after a Nacos restart, including a change made while it was down', async () => {
    const tenant = namespace();
    const app = await startTestApp({
      bootstrap: nacosBootstrap(server, tenant, await snapshotDirectory()),
      beforeStart: (yaml) => {
        server.publish(DATA_ID, GROUP, yaml, tenant);
      },
    });
    try {
      await server.waitForHeldPolls(1);
      await server.stop();
      // Changed while the server is down: the store survives a restart that keeps data.
      const caughtUp = nextAttempt(app, (attempt) => attempt.outcome === 'applied');
      server.publish(
        DATA_ID,
        GROUP,
        stringify(mergeDeep(app.config, { log: { level: 'warn' } })),
        tenant,
      );
      await server.restart({ keepData: true });
      await caughtUp;
      assert.equal(app.center.config.log.level, 'warn');
      assert.equal(app.center.source, 'nacos');
    } finally {
      await app.close();
    }
  });

  it('keeps the applied config when Nacos comes back empty after a restart without data', async () => {
    const tenant = namespace();
    const app = await startTestApp({
      bootstrap: nacosBootstrap(server, tenant, await snapshotDirectory()),
      beforeStart: (yaml) => {
        server.publish(DATA_ID, GROUP, yaml, tenant);
      },
    });
    try {
      await server.waitForHeldPolls(1);
      const version = app.center.version;
      const rejected = nextAttempt(app, (attempt) => attempt.outcome === 'rejected');
      await server.restart({ keepData: false });
      const attempt = await rejected;
      assert.match(attempt.error ?? '', /deleted or is empty/);
      assert.equal(app.center.version, version);
      assert.equal((await fetch(`${app.baseUrl}/health/ready`)).status, 200);
    } finally {
      await app.close();
    }
  });

  it("never lets two apps in one process see each other's namespace", async () => {
    const [tenantA, tenantB] = [namespace(), namespace()];
    const a = await startTestApp({
      bootstrap: nacosBootstrap(server, tenantA, await snapshotDirectory()),
      config: { cache: { memberTtlSeconds: 1 } },
      beforeStart: (yaml) => {
        server.publish(DATA_ID, GROUP, yaml, tenantA);
      },
    });
    const b = await startTestApp({
      bootstrap: nacosBootstrap(server, tenantB, await snapshotDirectory()),
      config: { cache: { memberTtlSeconds: 2 } },
      beforeStart: (yaml) => {
        server.publish(DATA_ID, GROUP, yaml, tenantB);
      },
    });
    try {
      assert.equal(a.center.config.cache.memberTtlSeconds, 1);
      assert.equal(b.center.config.cache.memberTtlSeconds, 2);
      const attemptsOfA: ReloadAttempt[] = [];
      const watchA = a.center.attempts$.subscribe((attempt) => attemptsOfA.push(attempt));
      const appliedB = nextAttempt(b, (attempt) => attempt.outcome === 'applied');
      server.publish(
        DATA_ID,
        GROUP,
        stringify(mergeDeep(b.config, { cache: { memberTtlSeconds: 22 } })),
        tenantB,
      );
      await appliedB;
      const appliedA = nextAttempt(a, (attempt) => attempt.outcome === 'applied');
      server.publish(
        DATA_ID,
        GROUP,
        stringify(mergeDeep(a.config, { cache: { memberTtlSeconds: 11 } })),
        tenantA,
      );
      await appliedA;
      watchA.unsubscribe();
      assert.equal(b.center.config.cache.memberTtlSeconds, 22);
      assert.equal(a.center.config.cache.memberTtlSeconds, 11);
      assert.equal(attemptsOfA.length, 1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('shuts down in under 2 s while a long poll is held, with no error', async () => {
    const tenant = namespace();
    const app = await startTestApp({
      bootstrap: nacosBootstrap(server, tenant, await snapshotDirectory()),
      beforeStart: (yaml) => {
        server.publish(DATA_ID, GROUP, yaml, tenant);
      },
    });
    await server.waitForHeldPolls(1);
    const started = Date.now();
    await app.close();
    const elapsed = Date.now() - started;
    await server.waitForNoHeldPolls();
    assert.ok(elapsed < 2_000, `shutdown took ${elapsed} ms`);
    assert.ok(!app.logs.text.includes('"level":50'), 'an error was logged during shutdown');
  });

  it('backs off instead of retrying in a tight loop while Nacos fails', async () => {
    const tenant = namespace();
    server.setFault({ kind: 'status', status: 503 });
    server.clearRequests();
    const app = await startTestApp({
      bootstrap: nacosBootstrap(server, tenant, await snapshotDirectory()),
    });
    try {
      assert.equal(app.center.source, 'file');
      // The stock client sends thousands of requests a second to a failing server (8 within a
      // millisecond); with the back-off (0.1 s doubling to 5 s, shared by the boot read, the
      // first sync and the long poll) the first 8 failures are spread over a second or more.
      // This app's requests only (they name its namespace): an app of an earlier test that is
      // still winding down must not count.
      const ours = (request: { status: number; params: Record<string, string> }) =>
        request.status === 503 &&
        Object.values(request.params).some((value) => value.includes(tenant));
      await server.waitForRequests(ours, 8, 15_000);
      const failures = server.requests.filter(ours);
      const spreadMs = failures[7].time - failures[0].time;
      assert.ok(spreadMs >= 400, `8 failed requests within ${spreadMs} ms`);
    } finally {
      server.setFault(null);
      await app.close();
    }
  });
});

describe('config center with Nacos auth', () => {
  const password = `nacos-${randomBytes(8).toString('hex')}`;
  let server: NacosTestServer;

  before(async () => {
    server = new NacosTestServer({ auth: { username: 'msproject', password } });
    await server.start();
  });

  after(async () => {
    await server?.stop();
  });

  it('logs in and sends a token, never the password, on config requests', async () => {
    const tenant = namespace();
    server.clearRequests();
    const app = await startTestApp({
      bootstrap: nacosBootstrap(server, tenant, await snapshotDirectory(), {
        username: 'msproject',
        password,
      }),
      beforeStart: (yaml) => {
        server.publish(DATA_ID, GROUP, yaml, tenant);
      },
    });
    try {
      assert.equal(app.center.source, 'nacos');
      const configRequests = server.requests.filter((request) =>
        request.route.startsWith('/v1/cs/'),
      );
      assert.ok(configRequests.length > 0);
      // The server has auth on: every config request passed with the token, none with the password.
      assert.ok(configRequests.every((request) => request.params.password === undefined));
      assert.ok(configRequests.every((request) => request.params.accessToken === undefined));
      assert.ok(configRequests.every((request) => request.status !== 403));
      assert.equal(server.requestCount({ path: '/nacos/v1/auth/login' }), 1);
    } finally {
      await app.close();
    }
  });

  it('falls back and reports a rejected login without the credentials', async () => {
    const tenant = namespace();
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const app = await startTestApp({
      bootstrap: nacosBootstrap(server, tenant, await snapshotDirectory(), {
        username: 'msproject',
        password: wrong,
      }),
    });
    try {
      assert.equal(app.center.source, 'file');
      const status = await (await fetch(`${app.baseUrl}/health/config`)).text();
      assert.match(status, /login rejected/);
      assert.ok(!status.includes(wrong));
      assert.ok(!app.logs.text.includes(wrong));
    } finally {
      await app.close();
    }
  });
});

describe('secrets', () => {
  it('never appear in the logs or the status of a run that uses them', async () => {
    const secrets = {
      database: `db-${randomBytes(8).toString('hex')}`,
      wrongDatabase: `db-wrong-${randomBytes(8).toString('hex')}`,
      nacos: `nacos-${randomBytes(8).toString('hex')}`,
      accessSecret: `access-${randomBytes(16).toString('hex')}`,
      refreshSecret: `refresh-${randomBytes(16).toString('hex')}`,
      redis: `redis-${randomBytes(8).toString('hex')}`,
    };
    const user = `msp_${randomBytes(4).toString('hex')}`;
    const root = await createConnection(MARIADB);
    await root.query(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${secrets.database}'`);
    await root.query(`GRANT ALL ON \`msproject_test_%\`.* TO '${user}'@'127.0.0.1'`);
    const server = new NacosTestServer({
      auth: { username: 'msproject', password: secrets.nacos },
    });
    await server.start();
    const tenant = namespace();
    let app: TestApp | undefined;
    try {
      app = await startTestApp({
        bootstrap: nacosBootstrap(server, tenant, await snapshotDirectory(), {
          username: 'msproject',
          password: secrets.nacos,
        }),
        config: {
          log: { level: 'trace' },
          db: { master: { username: user, password: secrets.database } },
          jwt: { accessSecret: secrets.accessSecret, refreshSecret: secrets.refreshSecret },
        },
        beforeStart: (yaml) => {
          server.publish(DATA_ID, GROUP, yaml, tenant);
        },
      });
      app.center.logger.info({ note: 'capture starts' }, 'marker');
      // A rejected change whose values include secrets: a wrong DB password, a Redis password.
      const rejected = nextAttempt(app, (attempt) => attempt.outcome === 'rejected');
      server.publish(
        DATA_ID,
        GROUP,
        stringify(
          mergeDeep(app.config, {
            db: { master: { password: secrets.wrongDatabase } },
            redis: { password: secrets.redis, port: 1, connectTimeoutMs: 300 },
          }),
        ),
        tenant,
      );
      await rejected;
      const status = await (await fetch(`${app.baseUrl}/health/config`)).text();
      const ready = await (await fetch(`${app.baseUrl}/health/ready`)).text();
      const everything = [app.logs.text, status, ready].join('\n');
      assert.match(app.logs.text, /configuration loaded/);
      assert.match(app.logs.text, /configuration rejected/);
      for (const [name, value] of Object.entries(secrets)) {
        assert.ok(!everything.includes(value), `${name} leaked`);
      }
    } finally {
      await app?.close();
      await server.stop();
      await root.query(`DROP USER '${user}'@'127.0.0.1'`);
      await root.end();
    }
  });
});
