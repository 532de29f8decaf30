import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { lastValueFrom } from 'rxjs';
import type { UserServiceClient } from '@/generated/user/v1/user';
import { GRPC_PACKAGES } from '@/grpc/grpc.options';
import { GrpcClientFactory, type GrpcServiceClient } from '@/grpc/grpc-client.factory';
import { nacosTarget, NACOS_POLL_OPTION } from '@/discovery/nacos-resolver';
import { ServiceRegistry } from '@/discovery/service-registry';
import { startTestApp, testConfig, type TestApp } from '../support/app';
import { createTestDatabase } from '../support/databases';
import {
  INSTANCE_PACKAGE,
  INSTANCE_PROTO,
  InstanceNameModule,
} from '../support/instance-name.module';
import { NacosTestServer } from '../support/nacos-server';
import { bearer } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember } from '../support/members';
import { freePort } from '../support/ports';

const SLOW_APP = join(__dirname, '../support/slow-app.js');

/** A bootstrap that registers the app in `server`'s naming under fresh service names. */
function namingBootstrap(server: NacosTestServer, services: { grpc: string; http: string }) {
  return {
    nacos: { enabled: false, ipAddr: '127.0.0.1', port: server.port, requestTimeoutMs: 500 },
    naming: {
      enabled: true,
      grpcService: services.grpc,
      httpService: services.http,
      advertiseHost: '127.0.0.1',
      zone: 'zone-a',
    },
  };
}

function freshServices() {
  const suffix = randomBytes(4).toString('hex');
  return { grpc: `msproject-grpc-${suffix}`, http: `msproject-http-${suffix}` };
}

async function startRegistered(server: NacosTestServer, services: { grpc: string; http: string }) {
  return startTestApp({
    bootstrap: namingBootstrap(server, services),
    imports: [InstanceNameModule],
    grpcPackages: [...GRPC_PACKAGES, INSTANCE_PACKAGE],
  });
}

const grpcPortOf = (app: TestApp) => Number(app.grpcAddress.split(':').at(-1));

describe('registration in Nacos naming', () => {
  const server = new NacosTestServer({ naming: { beatIntervalMs: 100 } });
  before(() => server.start());
  after(() => server.stop());

  it('registers the gRPC and HTTP endpoints with metadata, heartbeats, and leaves on close', async () => {
    const services = freshServices();
    const app = await startRegistered(server, services);
    try {
      const [grpc] = await server.waitForInstances(services.grpc, (found) => found.length === 1);
      const [http] = await server.waitForInstances(services.http, (found) => found.length === 1);
      assert.equal(grpc.ip, '127.0.0.1');
      assert.equal(grpc.port, grpcPortOf(app));
      assert.equal(http.port, Number(new URL(app.baseUrl).port));
      assert.equal(grpc.metadata.protocol, 'grpc');
      assert.equal(grpc.metadata.zone, 'zone-a');
      assert.equal(grpc.metadata.httpPort, String(http.port));
      assert.equal(grpc.metadata.grpcPort, String(grpc.port));
      assert.ok(grpc.metadata.version);
      await server.waitForInstances(
        services.grpc,
        ([entry]) => entry.lastBeat > entry.registeredAt,
      );
      const ready = await call<{ details: { registry: { state: string; endpoints: string[] } } }>(
        app,
        'GET',
        '/health/ready',
      );
      assert.equal(ready.status, 200);
      assert.equal(ready.body.details.registry.state, 'registered');
      assert.equal(ready.body.details.registry.endpoints.length, 2);
    } finally {
      await app.close();
    }
    await server.waitForInstances(services.grpc, (found) => found.length === 0);
    await server.waitForInstances(services.http, (found) => found.length === 0);
  });

  it('registers again when the registry forgets the instance', async () => {
    const services = freshServices();
    const app = await startRegistered(server, services);
    try {
      const [first] = await server.waitForInstances(services.grpc, (found) => found.length === 1);
      server.naming.clear();
      const [again] = await server.waitForInstances(services.grpc, (found) => found.length === 1);
      assert.ok(again.registeredAt >= first.registeredAt);
      assert.equal(again.port, first.port);
    } finally {
      await app.close();
    }
  });
});

describe('a registry that is down', () => {
  it('does not stop the app: readiness reports it, and registration succeeds once it is up', async () => {
    const port = await freePort();
    const server = new NacosTestServer({ port, naming: { beatIntervalMs: 100 } });
    const services = freshServices();
    const app = await startTestApp({ bootstrap: namingBootstrap(server, services) });
    try {
      let registry: { state: string; lastError: string | null } | undefined;
      const deadline = Date.now() + 10_000;
      while (registry?.state !== 'failing' && Date.now() < deadline) {
        const ready = await call<{ details: { registry: typeof registry } }>(
          app,
          'GET',
          '/health/ready',
        );
        assert.equal(ready.status, 200, 'readiness must not fail on the registry');
        registry = ready.body.details.registry;
      }
      assert.equal(registry?.state, 'failing');
      assert.match(registry?.lastError ?? '', /register/);
      await server.start();
      await server.waitForInstances(services.grpc, (found) => found.length === 1, 15_000);
      // A heartbeat follows a completed registration (the next retry may be seconds away).
      await server.waitForInstances(
        services.grpc,
        ([entry]) => entry?.lastBeat > entry?.registeredAt,
        30_000,
      );
      assert.equal(app.app.get(ServiceRegistry).status().state, 'registered');
    } finally {
      await app.close();
      await server.stop();
    }
  });
});

describe('internal gRPC callers resolving instances from Nacos naming', () => {
  const server = new NacosTestServer({
    naming: { beatIntervalMs: 100, unhealthyAfterMs: 600, removeAfterMs: 1_200 },
  });
  const services = freshServices();
  let first: TestApp;
  let client: GrpcServiceClient;

  before(async () => {
    await server.start();
    first = await startRegistered(server, services);
    await server.waitForInstances(services.grpc, (found) => found.length === 1);
    client = first.app.get(GrpcClientFactory).get({
      protoFile: INSTANCE_PROTO,
      service: 'msproject.test.v1.Instance',
      address: nacosTarget(services.grpc),
      channelOptions: { [NACOS_POLL_OPTION]: 100 },
    });
  });
  after(async () => {
    await first?.close();
    await server.stop();
  });

  const name = async () => (await client.unary<object, { name: string }>('Name', {})).name;
  const names = async (count: number) => {
    const served = new Map<string, number>();
    for (let index = 0; index < count; index++) {
      const answer = await name();
      served.set(answer, (served.get(answer) ?? 0) + 1);
    }
    return served;
  };

  it('gives internal callers typed clients of the generated contract over nacos:///', async () => {
    const member = await registerMember(first);
    const users = first.app
      .get(GrpcClientFactory)
      .service<UserServiceClient>('msproject.user.v1', 'UserService', {
        address: nacosTarget(services.grpc),
        channelOptions: { [NACOS_POLL_OPTION]: 100 },
      });
    const verified = await lastValueFrom(users.verifyToken({ accessToken: member.accessToken }));
    assert.equal(verified.memberId, member.id);
    const own = await lastValueFrom(users.getMember({ id: member.id }, bearer(member.accessToken)));
    assert.equal(own.member?.email, member.input.email);
  });

  it('balances round-robin over an instance that joins, and leaves one that deregisters', async () => {
    assert.deepEqual([...(await names(5)).keys()], [String(grpcPortOf(first))]);

    const second = await startRegistered(server, services);
    try {
      await server.waitForInstances(services.grpc, (found) => found.length === 2);
      // Seen within a few polls; then calls alternate between the two.
      for (
        let attempt = 0;
        attempt < 200 && (await name()) !== String(grpcPortOf(second));
        attempt++
      );
      const served = await names(20);
      assert.deepEqual(
        [...served.keys()].sort(),
        [String(grpcPortOf(first)), String(grpcPortOf(second))].sort(),
      );
      for (const count of served.values())
        assert.ok(count >= 8, `unbalanced: ${JSON.stringify([...served])}`);

      await second.app.get(ServiceRegistry).deregister();
      await server.waitForInstances(services.grpc, (found) => found.length === 1);
      // Two more polls of the instance list: the channel has seen the change.
      const lists = { method: 'GET', path: '/nacos/v1/ns/instance/list' };
      await server.waitForRequests(lists, server.requestCount(lists) + 2);
      assert.deepEqual([...(await names(10)).keys()], [String(grpcPortOf(first))]);
    } finally {
      await second.close();
    }
    assert.deepEqual([...(await names(5)).keys()], [String(grpcPortOf(first))]);
  });
});

describe('an instance process in Nacos naming', () => {
  let configDir: string;
  let dropDatabase: () => Promise<void>;
  // Removal for missed heartbeats as slow as in Nacos: only a deregistration is quick.
  const patient = new NacosTestServer({ naming: { beatIntervalMs: 100 } });
  const strict = new NacosTestServer({
    naming: { beatIntervalMs: 100, unhealthyAfterMs: 500, removeAfterMs: 1_000 },
  });

  before(async () => {
    await patient.start();
    await strict.start();
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    configDir = await mkdtemp(join(tmpdir(), 'msproject-naming-'));
    await writeFile(join(configDir, 'config.yaml'), stringify(await testConfig(database.name)));
  });
  after(async () => {
    await patient.stop();
    await strict.stop();
    await dropDatabase?.();
    await rm(configDir, { recursive: true, force: true });
  });

  async function runInstance(server: NacosTestServer, services: { grpc: string; http: string }) {
    await writeFile(
      join(configDir, 'bootstrap.yaml'),
      stringify(namingBootstrap(server, services)),
    );
    const child = spawn(process.execPath, [SLOW_APP], {
      env: { ...process.env, CONFIG_DIR: configDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const lines = createInterface({ input: child.stdout });
    await new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => line.startsWith('ready ') && resolve());
      child.once('exit', (code) => reject(new Error(`instance exited (${code}) before ready`)));
    });
    await server.waitForInstances(services.grpc, (found) => found.length === 1);
    return { child, exited };
  }

  it('deregisters on SIGTERM, and exits 0', async () => {
    const services = freshServices();
    const { child, exited } = await runInstance(patient, services);
    child.kill('SIGTERM');
    // This registry keeps a silent instance for 30 s: gone sooner means deregistered.
    await patient.waitForInstances(services.grpc, (found) => found.length === 0, 10_000);
    await patient.waitForInstances(services.http, (found) => found.length === 0, 10_000);
    const [code, signal] = await exited;
    assert.equal(signal, null);
    assert.equal(code, 0);
  });

  it('disappears from the registry once its heartbeats stop (killed)', async () => {
    const services = freshServices();
    const { child, exited } = await runInstance(strict, services);
    child.kill('SIGKILL');
    await exited;
    assert.equal(
      strict.naming.snapshot().filter((i) => i.service.endsWith(services.grpc)).length,
      1,
    );
    await strict.waitForInstances(services.grpc, (found) => found.length === 0, 5_000);
  });
});
