import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { testConfig } from '../support/app';
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

  before(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    configDir = await mkdtemp(join(tmpdir(), 'msproject-shutdown-'));
    await writeFile(join(configDir, 'config.yaml'), stringify(await testConfig(database.name)));
    await writeFile(join(configDir, 'bootstrap.yaml'), stringify({ nacos: { enabled: false } }));
  });

  after(async () => {
    await dropDatabase?.();
    await rm(configDir, { recursive: true, force: true });
  });

  it('finishes 50 in-flight HTTP requests and 10 gRPC calls on SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, [SLOW_APP], {
      env: { ...process.env, CONFIG_DIR: configDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const lineMatching = watchLines(child);
    const [, http, grpcAddress] = await lineMatching(/^ready (\S+) (\S+)$/);
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
});
