import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { grpcClient, unary } from '../support/grpc-client';
import { OtlpReceiver } from '../support/otlp-receiver';
import { waitUntil } from '../support/instances';
import { embeddedConfig } from '../support/embedded-config';

const ROOT = join(__dirname, '../../..');
/** The compiled tree `npm run build:test` bundles, as `npm run build` bundles dist/. */
const TREE = join(__dirname, '../../src');
const START = join(TREE, 'start.js');
const BUNDLE = join(TREE, 'main.bundle.js');
const RECORDER = join(__dirname, '../support/module-recorder.js');

interface Recorded {
  loaded: string[];
  mapped: boolean | null;
}

interface Started {
  http: string;
  grpcAddress: string;
  /** Where its config and database are; the recorder's file too. */
  directory: string;
  stop(): Promise<[number | null, NodeJS.Signals | null]>;
}

/**
 * `npm run start:prod` (`node dist/start.js`) of the test build, in the embedded profile on a
 * directory of its own, with every file the process loads recorded; `env` over the environment.
 */
async function startBundle(env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const { directory, http, grpcAddress } = await embeddedConfig('bundle', { level: 'warn' });
  const child = spawn(process.execPath, ['--require', RECORDER, START], {
    cwd: ROOT,
    env: {
      ...process.env,
      CONFIG_DIR: directory,
      MODULE_RECORDER_FILE: join(directory, 'loaded.json'),
      MODULE_RECORDER_MAPPED: BUNDLE,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  try {
    await waitUntil(
      async () => (await fetch(`${http}/health/ready`)).status === 200,
      'the bundled application to be ready',
    );
  } catch (error) {
    child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return { http, grpcAddress, directory, stop };
}

/**
 * The application as `npm run start:prod` starts it: one bundled file of our code and NestJS,
 * with the other packages loaded from node_modules.
 */
describe('the start-up bundle', () => {
  let app: Started;

  before(async () => {
    app = await startBundle();
  });

  after(async () => {
    await app.stop();
    await rm(app.directory, { recursive: true, force: true });
  });

  it('serves REST, gRPC and the API docs', async () => {
    assert.equal((await fetch(`${app.http}/health/live`)).status, 200);
    const health = grpcClient(
      app.grpcAddress,
      'grpc/health/v1/health.proto',
      'grpc.health.v1.Health',
    );
    try {
      assert.deepEqual(await unary(health, 'check', { service: '' }), { status: 'SERVING' });
    } finally {
      health.close();
    }
    // @nestjs/swagger is in the bundle too, loaded with the first request for the docs.
    const docs = await fetch(`${app.http}/docs-json`);
    assert.equal(docs.status, 200);
    const { paths } = (await docs.json()) as { paths: Record<string, unknown> };
    assert.ok('/api/v1/projects' in paths, Object.keys(paths).slice(0, 5).join(', '));
  });

  it('loads no compiled file of ours but start.js and the bundle, and no NestJS from node_modules', async () => {
    assert.deepEqual(await app.stop(), [0, null]);
    const recorded = JSON.parse(
      await readFile(join(app.directory, 'loaded.json'), 'utf8'),
    ) as Recorded;
    assert.ok(
      recorded.loaded.some((file) => file.includes('/node_modules/typeorm/')),
      'the load hook saw the packages left outside the bundle',
    );
    assert.deepEqual(recorded.loaded.filter((file) => file.startsWith(TREE + '/')).sort(), [
      BUNDLE,
      START,
    ]);
    // One copy of each Nest class: a second one, from node_modules, would fail injection.
    const packageOf = (file: string) => file.slice(file.lastIndexOf('/node_modules/') + 14);
    assert.deepEqual(
      recorded.loaded.filter(
        (file) =>
          file.includes('/node_modules/') &&
          /^(@nestjs\/|@nestjs-modules\/|nestjs-)/.test(packageOf(file)),
      ),
      [],
    );
    assert.equal(recorded.mapped, true, "the bundle's source map is registered");
  });

  it("maps the bundle's code to our TypeScript, line for line", async () => {
    const map = new SourceMap(
      JSON.parse(await readFile(`${BUNDLE}.map`, 'utf8')) as SourceMapPayload,
    );
    const text = 'msproject serving HTTP on ';
    const bundled = (await readFile(BUNDLE, 'utf8')).split('\n');
    const line = bundled.findIndex((each) => each.includes(text));
    assert.ok(line >= 0, 'the start-up line is in the bundle');
    const entry = map.findEntry(line, bundled[line].indexOf(text)) as {
      originalSource?: string;
      originalLine?: number;
    };
    assert.ok(entry.originalSource?.endsWith('/src/main.ts'), entry.originalSource);
    const source = (await readFile(join(ROOT, 'src/main.ts'), 'utf8')).split('\n');
    assert.equal(
      entry.originalLine,
      source.findIndex((each) => each.includes(text)),
    );
    // Nest's code in the bundle names no source: the map is the one cut for stack traces.
    const nest = bundled.findIndex((each) => each.includes('NestFactoryStatic = class'));
    assert.ok(nest >= 0, "Nest's factory is in the bundle");
    const inNest = map.findEntry(nest, bundled[nest].indexOf('NestFactoryStatic')) as {
      originalSource?: string;
    };
    assert.equal(inNest.originalSource, undefined);
  });
});

describe('the start-up bundle with tracing on', () => {
  it('traces gRPC calls through the require hook on grpc-js, which it leaves outside', async () => {
    // This process has no telemetry: the receiver's own requests are not traced.
    const receiver = await new OtlpReceiver().start();
    const app = await startBundle({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    });
    try {
      const refused = await fetch(`${app.http}/api/v1/projects`);
      assert.equal(refused.status, 401);
      const httpTrace = refused.headers.get('x-trace-id');
      assert.match(httpTrace ?? '', /^[0-9a-f]{32}$/);
      const projects = grpcClient(
        app.grpcAddress,
        'project/v1/project.proto',
        'msproject.project.v1.ProjectService',
      );
      try {
        await assert.rejects(unary(projects, 'listProjects', {}), { code: 16 });
      } finally {
        projects.close();
      }
      const spans = await receiver.waitFor(
        (received) =>
          received.some((span) => span.traceId === httpTrace && span.kind === 2) &&
          received.some(
            (span) => span.kind === 2 && span.name.endsWith('ProjectService/ListProjects'),
          ),
      );
      assert.ok(spans.length >= 2);
    } finally {
      await app.stop();
      await rm(app.directory, { recursive: true, force: true });
      await receiver.close();
    }
  });
});
