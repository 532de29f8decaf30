import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'yaml';
import { mergeDeep, testConfig } from '../support/app';
import { createTestDatabase } from '../support/databases';
import { grpcClient, unary } from '../support/grpc-client';

const SLOW_APP = join(__dirname, '../support/slow-app.js');
const SLOW_PROTO = join(__dirname, '../../../test/support/proto/slow.proto');

/** Reads every stdout line of `child` (a full pipe would stall it) and finds matches. */
function watchLines(child: ChildProcess) {
  const lines = createInterface({ input: child.stdout! });
  return (pattern: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const onLine = (line: string) => {
        const match = line.match(pattern);
        if (!match) return;
        lines.off('line', onLine);
        resolve(match);
      };
      lines.on('line', onLine);
      child.once('exit', (code) => reject(new Error(`child exited (${code}) before ${pattern}`)));
    });
}

describe('graceful shutdown', () => {
  let configDir: string;
  let dropDatabase: () => Promise<void>;

  let databaseName: string;

  before(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    databaseName = database.name;
    configDir = await mkdtemp(join(tmpdir(), 'msproject-shutdown-'));
    await writeFile(join(configDir, 'bootstrap.yaml'), stringify({ nacos: { enabled: false } }));
  });

  /** Starts the slow app in a child on testConfig() patched with `config`. */
  async function startChild(config: Record<string, unknown> = {}) {
    const configYaml = stringify(mergeDeep(await testConfig(databaseName), config));
    await writeFile(join(configDir, 'config.yaml'), configYaml);
    const child = spawn(process.execPath, [SLOW_APP], {
      env: { ...process.env, CONFIG_DIR: configDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const lineMatching = watchLines(child);
    const [, http, grpcAddress] = await lineMatching(/^ready (\S+) (\S+)$/);
    return { child, exited, lineMatching, http, grpcAddress };
  }

  after(async () => {
    await dropDatabase?.();
    await rm(configDir, { recursive: true, force: true });
  });

  it('finishes 50 in-flight HTTP requests and 10 gRPC calls on SIGTERM, then exits 0', async () => {
    const { child, exited, lineMatching, http, grpcAddress } = await startChild();
    const allArrived = lineMatching(/^in-flight 60$/);

    const requests = Array.from({ length: 50 }, () =>
      fetch(`${http}/slow?ms=1500`).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { sleptMs: number },
      })),
    );
    const client = grpcClient(grpcAddress, SLOW_PROTO, 'msproject.test.v1.Slow');
    const calls = Array.from({ length: 10 }, () =>
      unary<{ ms: number }, { sleptMs: number }>(client, 'Sleep', { ms: 1500 }, undefined, 20_000),
    );
    await allArrived;
    child.kill('SIGTERM');

    const responses = await Promise.all(requests);
    const replies = await Promise.all(calls);
    client.close();
    const [code, signal] = await exited;

    assert.equal(responses.filter((response) => response.status === 200).length, 50);
    assert.ok(responses.every((response) => response.body.sleptMs === 1500));
    assert.equal(replies.filter((reply) => reply.sleptMs === 1500).length, 10);
    assert.equal(signal, null);
    assert.equal(code, 0);
  });

  it('keeps serving through the grace period after readiness turns 503, then drains and exits 0', async () => {
    const graceMs = 2_000;
    const { child, exited, http, grpcAddress } = await startChild({
      server: { shutdownGraceMs: graceMs },
    });
    const CLIENTS = 20;
    const outcomes: { ok: boolean; error?: string; at: number }[] = [];
    /** One GET on `agent`'s connection, counted once whatever happens to it. */
    const get = (path: string, agent: Agent) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        request(`${http}${path}`, { agent }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          response.on('error', reject);
        })
          .on('error', reject)
          .end();
      });

    // The balancer: polls readiness every 200 ms and stops routing once it is not 200.
    let routing = true;
    let signalledAt = 0;
    let unreadyAfterMs = 0;
    const balancer = (async () => {
      const agent = new Agent({ keepAlive: false });
      for (let polls = 0; routing && polls < 1_000; polls++) {
        const ready = await get('/health/ready', agent).catch(() => ({ status: 0 }));
        if (ready.status !== 200 && signalledAt) {
          unreadyAfterMs = performance.now() - signalledAt;
          routing = false;
        } else await delay(200);
      }
    })();

    const agents = Array.from(
      { length: CLIENTS },
      () => new Agent({ keepAlive: true, maxSockets: 1 }),
    );
    const clients = agents.map(async (agent) => {
      for (let sent = 0; routing && sent < 10_000; sent++) {
        const outcome = await get('/slow?ms=50', agent).then(
          (response) => ({
            ok: response.status === 200 && response.body === '{"sleptMs":50}',
            error: response.status === 200 ? undefined : `status ${response.status}`,
          }),
          (error: Error) => ({ ok: false, error: error.message }),
        );
        outcomes.push({ ...outcome, at: performance.now() });
      }
    });
    // Every client has a warm keep-alive connection before the signal.
    for (let waited = 0; outcomes.length < CLIENTS * 10 && waited < 20_000; waited += 20) {
      await delay(20);
    }
    signalledAt = performance.now();
    child.kill('SIGTERM');

    await balancer;
    // During the grace gRPC still serves, and its health says NOT_SERVING.
    const health = grpcClient(grpcAddress, 'grpc/health/v1/health.proto', 'grpc.health.v1.Health');
    const slow = grpcClient(grpcAddress, SLOW_PROTO, 'msproject.test.v1.Slow');
    const grpcHealth = await unary<{ service: string }, { status: string }>(health, 'Check', {
      service: '',
    }).catch((error: Error) => ({ status: error.message }));
    const grpcReply = await unary<{ ms: number }, { sleptMs: number }>(slow, 'Sleep', {
      ms: 50,
    }).catch((error: Error) => ({ sleptMs: error.message }));
    const grpcDoneAfterMs = performance.now() - signalledAt;
    health.close();
    slow.close();
    await Promise.all(clients);
    const [code, signal] = await exited;
    const exitAfterMs = performance.now() - signalledAt;
    for (const agent of agents) agent.destroy();

    const failed = outcomes.filter((outcome) => !outcome.ok);
    const afterSignal = outcomes.filter((outcome) => outcome.at > signalledAt);
    console.log(
      `graceful shutdown: ${outcomes.length} requests from ${CLIENTS} keep-alive clients, ` +
        `${afterSignal.length} answered after SIGTERM, ${failed.length} failed; readiness 503 ` +
        `after ${unreadyAfterMs.toFixed(0)} ms, exit ${code} after ${exitAfterMs.toFixed(0)} ms ` +
        `(grace ${graceMs} ms)`,
    );
    assert.deepEqual(failed, []);
    assert.ok(afterSignal.length > 0);
    assert.ok(unreadyAfterMs < graceMs, `readiness turned 503 after ${unreadyAfterMs} ms`);
    assert.ok(grpcDoneAfterMs < graceMs, `gRPC answered ${grpcDoneAfterMs} ms after SIGTERM`);
    assert.equal(grpcHealth.status, 'NOT_SERVING');
    assert.equal(grpcReply.sleptMs, 50);
    assert.ok(exitAfterMs >= graceMs);
    assert.equal(signal, null);
    assert.equal(code, 0);
  });
});
