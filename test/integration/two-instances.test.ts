import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { randomSecret, testConfig } from '../support/app';
import { createTestDatabase } from '../support/databases';
import { startBalancer, startInstance, waitUntil, type Instance } from '../support/instances';
import { call } from '../support/http';
import { newMemberInput } from '../support/members';
import { NacosTestServer } from '../support/nacos-server';
import { chunksOf, download, probeChunk, uploadChunk } from '../support/files';
import { createTestBucket } from '../support/s3';

const DATA_ID = 'config.yaml';
const GROUP = 'DEFAULT_GROUP';

type Server = Pick<Instance, 'baseUrl'>;

/** Asks `server` for a captcha for `mobile`: the code, when the config shows codes. */
async function captchaCode(server: Server, mobile = newMemberInput().mobile) {
  const answer = await call<{ code?: string }>(server, 'POST', '/api/v1/auth/captcha', {
    body: { mobile },
  });
  assert.equal(answer.status, 202);
  return answer.body.code;
}

/** A new member: the captcha asked of one server, the registration sent to another. */
async function signUp(captchaAt: Server, registerAt: Server) {
  const input = newMemberInput();
  const captcha = await captchaCode(captchaAt, input.mobile);
  const registered = await call(registerAt, 'POST', '/api/v1/auth/register', {
    body: { ...input, captcha },
  });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  return input;
}

async function logIn(server: Server, input: { account: string; password: string }) {
  const login = await call<{ accessToken: string }>(server, 'POST', '/api/v1/auth/login', {
    body: { account: input.account, password: input.password },
  });
  assert.equal(login.status, 200);
  return login.body.accessToken;
}

const meStatus = async (server: Server, token: string) =>
  (await call(server, 'GET', '/api/v1/me', { token })).status;

describe('two instances behind HAProxy on one config center, database and Redis', () => {
  const nacos = new NacosTestServer({ naming: { beatIntervalMs: 200 } });
  let dropDatabase: () => Promise<void>;
  let bucket: Awaited<ReturnType<typeof createTestBucket>>;
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
    // Files on shared object storage: any instance serves what another one stored.
    bucket = await createTestBucket();
    publish({
      ...base,
      storage: { default: 's3', s3: bucket.config },
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
    await bucket?.drop();
  });

  it('runs the member journey with requests alternating between the instances', async () => {
    const token = await logIn(a, await signUp(a, b));
    const project = await call<{ id: string }>(b, 'POST', '/api/v1/projects', {
      token,
      body: { name: 'Shared' },
    });
    assert.equal(project.status, 201);
    const stage = await call<{ id: string }>(
      a,
      'POST',
      `/api/v1/projects/${project.body.id}/stages`,
      {
        token,
        body: { name: 'Todo' },
      },
    );
    assert.equal(stage.status, 201);
    const task = await call<{ id: string }>(
      b,
      'POST',
      `/api/v1/projects/${project.body.id}/tasks`,
      {
        token,
        body: { name: 'Across', stageId: stage.body.id },
      },
    );
    assert.equal(task.status, 201, JSON.stringify(task.body));
    assert.equal((await call(a, 'GET', `/api/v1/tasks/${task.body.id}`, { token })).status, 200);
    // An attachment in two chunks, each sent to another instance, probed on a third route.
    const bytes = Buffer.from(Array.from({ length: 96 * 1024 }, (_, index) => index % 251));
    const [first, last] = chunksOf(bytes, 'across.bin', 48 * 1024);
    assert.equal((await uploadChunk(a, token, task.body.id, first)).status, 200);
    assert.equal(await probeChunk(b, token, task.body.id, first.fields), 200);
    assert.equal(await probeChunk(balancer, token, task.body.id, last.fields), 204);
    const stored = await uploadChunk(b, token, task.body.id, last);
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    for (const server of [a, b, balancer]) {
      const fetched = await download(server, token, stored.body.file!.id);
      assert.equal(fetched.status, 200);
      assert.ok(fetched.bytes.equals(bytes), 'the same bytes through every instance');
    }
    const listed = await call<{ total: number }>(balancer, 'GET', '/api/v1/projects', { token });
    assert.equal(listed.body.total, 1);
    assert.equal((await call(b, 'POST', '/api/v1/auth/logout', { token })).status, 204);
    assert.equal(await meStatus(a, token), 401);
  });

  it('applies a change published once on each instance, seen on its own port', async () => {
    const showCodes = async (shown: boolean) => {
      publish({ ...config, captcha: { ...(config.captcha as object), exposeInResponse: shown } });
      for (const instance of [a, b]) {
        await waitUntil(
          async () => ((await captchaCode(instance)) !== undefined) === shown,
          `${instance.name} to ${shown ? 'show' : 'stop showing'} captcha codes`,
        );
      }
    };
    for (const instance of [a, b]) {
      assert.match((await captchaCode(instance)) ?? '', /^\d{6}$/, `${instance.name} shows codes`);
    }
    await showCodes(false);
    await showCodes(true);
  });

  it('keeps tokens valid across a JWT rotation on both, and on an instance started after it', async () => {
    const input = await signUp(a, a);
    const before = await logIn(b, input);
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
          (await call<{ version: string }>(instance, 'GET', '/health/config')).body.version ===
          version,
        `${instance.name} to apply the rotation`,
      );
    }
    for (const [signer, checker] of [
      [a, b],
      [b, a],
    ]) {
      assert.equal(await meStatus(checker, await logIn(signer, input)), 200);
      assert.equal(await meStatus(signer, before), 200);
    }
    const late = await startInstance('late', nacos.port);
    try {
      assert.equal(await meStatus(late, before), 200);
    } finally {
      assert.deepEqual(await late.stop(), [0, null]);
    }
  });

  it('rolls a restart through both instances under 20 clients with 0 failed requests', async (t) => {
    const token = await logIn(balancer, await signUp(balancer, balancer));
    let running = true;
    let served = 0;
    const failures: string[] = [];
    const clients = Array.from({ length: 20 }, async () => {
      while (running) {
        try {
          const answer = await fetch(`${balancer.baseUrl}/api/v1/projects`, {
            headers: { authorization: `Bearer ${token}` },
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
