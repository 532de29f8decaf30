import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { randomSecret, testConfig } from '../support/app';
import { createTestDatabase } from '../support/databases';
import { startBalancer, startInstance, waitUntil, type Instance } from '../support/instances';
import { newMemberInput } from '../support/members';
import { NacosTestServer } from '../support/nacos-server';

const DATA_ID = 'config.yaml';
const GROUP = 'DEFAULT_GROUP';

async function json<T>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(options.token && { authorization: `Bearer ${options.token}` }),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

describe('two instances behind HAProxy on one config center, database and Redis', () => {
  const nacos = new NacosTestServer({ naming: { beatIntervalMs: 200 } });
  let dropDatabase: () => Promise<void>;
  let config: Record<string, unknown>;
  let a: Instance;
  let b: Instance;
  let balancer: Awaited<ReturnType<typeof startBalancer>>;
  const publish = (document: Record<string, unknown>) => {
    config = document;
    nacos.publish(DATA_ID, GROUP, stringify(document), '', 'yaml');
  };

  before(async () => {
    await nacos.start();
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const base = await testConfig(database.name);
    publish({
      ...base,
      server: { ...(base.server as object), host: '127.0.0.1', shutdownGraceMs: 1_500 },
      grpc: { ...(base.grpc as object), host: '127.0.0.1' },
    });
    // One after the other: the first applies the migrations.
    a = await startInstance('a', nacos.port);
    b = await startInstance('b', nacos.port);
    balancer = await startBalancer([a, b]);
  });

  after(async () => {
    await balancer?.stop();
    await Promise.all([a, b].map((instance) => instance?.stop()));
    await nacos.stop();
    await dropDatabase?.();
  });

  it('runs the member journey with requests alternating between the instances', async () => {
    const input = newMemberInput();
    const captcha = await json<{ code: string }>(a.http, 'POST', '/api/v1/auth/captcha', {
      body: { mobile: input.mobile },
    });
    assert.equal(captcha.status, 202);
    const registered = await json<{ id: string }>(b.http, 'POST', '/api/v1/auth/register', {
      body: { ...input, captcha: captcha.body.code },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const login = await json<{ accessToken: string }>(a.http, 'POST', '/api/v1/auth/login', {
      body: { account: input.account, password: input.password },
    });
    const token = login.body.accessToken;
    const project = await json<{ id: string }>(b.http, 'POST', '/api/v1/projects', {
      token,
      body: { name: 'Shared' },
    });
    assert.equal(project.status, 201);
    const stage = await json<{ id: string }>(
      a.http,
      'POST',
      `/api/v1/projects/${project.body.id}/stages`,
      { token, body: { name: 'Todo' } },
    );
    assert.equal(stage.status, 201);
    const task = await json<{ id: string }>(
      b.http,
      'POST',
      `/api/v1/projects/${project.body.id}/tasks`,
      { token, body: { name: 'Across', stageId: stage.body.id } },
    );
    assert.equal(task.status, 201, JSON.stringify(task.body));
    assert.equal(
      (await json(a.http, 'GET', `/api/v1/tasks/${task.body.id}`, { token })).status,
      200,
    );
    const listed = await json<{ total: number }>(balancer.url, 'GET', '/api/v1/projects', {
      token,
    });
    assert.equal(listed.body.total, 1);
    const out = await json(b.http, 'POST', '/api/v1/auth/logout', { token });
    assert.equal(out.status, 204);
    assert.equal((await json(a.http, 'GET', '/api/v1/me', { token })).status, 401);
  });

  it('applies a change published once on each instance, seen on its own port', async () => {
    for (const instance of [a, b]) {
      const shown = await json<{ code?: string }>(instance.http, 'POST', '/api/v1/auth/captcha', {
        body: { mobile: newMemberInput().mobile },
      });
      assert.match(shown.body.code ?? '', /^\d{6}$/, `${instance.name} shows codes before`);
    }
    publish({ ...config, captcha: { ...(config.captcha as object), exposeInResponse: false } });
    for (const instance of [a, b]) {
      await waitUntil(async () => {
        const answer = await json<{ code?: string }>(
          instance.http,
          'POST',
          '/api/v1/auth/captcha',
          {
            body: { mobile: newMemberInput().mobile },
          },
        );
        return answer.status === 202 && answer.body.code === undefined;
      }, `${instance.name} to stop showing captcha codes`);
    }
    publish({ ...config, captcha: { ...(config.captcha as object), exposeInResponse: true } });
    for (const instance of [a, b]) {
      await waitUntil(async () => {
        const answer = await json<{ code?: string }>(
          instance.http,
          'POST',
          '/api/v1/auth/captcha',
          {
            body: { mobile: newMemberInput().mobile },
          },
        );
        return answer.body.code !== undefined;
      }, `${instance.name} to show captcha codes again`);
    }
  });

  it('keeps tokens valid across a JWT rotation on both, and on an instance started after it', async () => {
    const input = newMemberInput();
    const captcha = await json<{ code: string }>(a.http, 'POST', '/api/v1/auth/captcha', {
      body: { mobile: input.mobile },
    });
    await json(a.http, 'POST', '/api/v1/auth/register', {
      body: { ...input, captcha: captcha.body.code },
    });
    const login = await json<{ accessToken: string }>(b.http, 'POST', '/api/v1/auth/login', {
      body: { account: input.account, password: input.password },
    });
    const before = login.body.accessToken;
    const jwt = config.jwt as { accessSecret: string };
    const rotated = randomSecret();
    publish({
      ...config,
      jwt: {
        ...jwt,
        accessSecret: rotated,
        retired: [
          {
            kind: 'access',
            secret: jwt.accessSecret,
            until: new Date(Date.now() + 600_000).toISOString(),
          },
        ],
      },
    });
    // Both on the rotated document (the version Nacos gives it), then the tokens speak.
    const version = nacos.get(DATA_ID, GROUP)!.md5;
    for (const instance of [a, b]) {
      await waitUntil(
        async () =>
          (await json<{ version: string }>(instance.http, 'GET', '/health/config')).body.version ===
          version,
        `${instance.name} to apply the rotation`,
      );
    }
    for (const [signer, checker] of [
      [a, b],
      [b, a],
    ]) {
      const fresh = await json<{ accessToken: string }>(signer.http, 'POST', '/api/v1/auth/login', {
        body: { account: input.account, password: input.password },
      });
      assert.equal(fresh.status, 200);
      assert.equal(
        (await json(checker.http, 'GET', '/api/v1/me', { token: fresh.body.accessToken })).status,
        200,
      );
      assert.equal((await json(signer.http, 'GET', '/api/v1/me', { token: before })).status, 200);
    }
    const late = await startInstance('late', nacos.port);
    try {
      assert.equal((await json(late.http, 'GET', '/api/v1/me', { token: before })).status, 200);
    } finally {
      assert.deepEqual(await late.stop(), [0, null]);
    }
  });

  it('rolls a restart through both instances under 20 clients with 0 failed requests', async (t) => {
    const input = newMemberInput();
    const captcha = await json<{ code: string }>(balancer.url, 'POST', '/api/v1/auth/captcha', {
      body: { mobile: input.mobile },
    });
    await json(balancer.url, 'POST', '/api/v1/auth/register', {
      body: { ...input, captcha: captcha.body.code },
    });
    const { body } = await json<{ accessToken: string }>(
      balancer.url,
      'POST',
      '/api/v1/auth/login',
      {
        body: { account: input.account, password: input.password },
      },
    );
    let running = true;
    let served = 0;
    const failures: string[] = [];
    const clients = Array.from({ length: 20 }, async () => {
      while (running) {
        try {
          const answer = await fetch(`${balancer.url}/api/v1/projects`, {
            headers: { authorization: `Bearer ${body.accessToken}` },
          });
          await answer.arrayBuffer();
          if (answer.status === 200) served++;
          else failures.push(`HTTP ${answer.status}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    });
    const rolled: Instance[] = [];
    try {
      for (const instance of [a, b]) {
        const [code, signal] = await instance.stop();
        assert.deepEqual([code, signal], [0, null], `${instance.name} exits 0`);
        const restarted = await startInstance(instance.name, nacos.port, {
          http: instance.httpPort,
          grpc: instance.grpcPort,
        });
        rolled.push(restarted);
        await waitUntil(
          async () => (await balancer.states())[instance.name] === 'UP',
          `HAProxy to take ${instance.name} back`,
        );
      }
    } finally {
      running = false;
      await Promise.all(clients);
      [a, b] = rolled.length === 2 ? (rolled as [Instance, Instance]) : [a, b];
    }
    t.diagnostic(`${served} requests served through the roll, ${failures.length} failed`);
    assert.ok(served > 100);
    assert.deepEqual(failures.slice(0, 5), []);
  });
});
