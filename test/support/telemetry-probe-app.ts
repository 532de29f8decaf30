import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { GRPC_PACKAGES } from '@/grpc/grpc.options';
import { telemetry } from '@/telemetry/telemetry';
import { mergeDeep, startTestApp, testConfig, writeLocalConfig, type TestApp } from './app';
import { createTestDatabase } from './databases';
import { PROBE_PACKAGE, TelemetryProbeModule } from './telemetry-probe';

/** The application with the probe module and its gRPC package. Its tables have no migration. */
export async function startProbeApp(patch: Record<string, unknown> = {}): Promise<TestApp> {
  const app = await startTestApp({
    config: mergeDeep({ db: { synchronize: true } }, patch),
    imports: [TelemetryProbeModule],
    grpcPackages: [...GRPC_PACKAGES, PROBE_PACKAGE],
  });
  // As main.ts does once it serves.
  telemetry()?.tracing?.sealRequireHooks();
  return app;
}

const CHILD_ENTRY = join(__dirname, 'telemetry-child.js');

export interface ProbeChild {
  http: string;
  grpc: string;
  child: ChildProcess;
  /** Every stdout line so far (the application's JSON log lines among them). */
  output: string[];
  /** SIGTERM; resolves with the exit code and how long the exit took. */
  stop(): Promise<{ code: number | null; ms: number }>;
}

/**
 * The application with the probe in a child process of its own, configured by
 * `bootstrap.yaml` (telemetry exporter and endpoint) and `config.yaml` in `configDir`.
 */
export async function startProbeChild(
  configDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ProbeChild> {
  const child = spawn(process.execPath, ['--enable-source-maps', CHILD_ENTRY], {
    env: { ...process.env, ...env, CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output: string[] = [];
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const ready = new Promise<RegExpMatchArray>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const match = line.match(/^ready (\S+) (\S+)$/);
      if (match) resolve(match);
    });
    void exited.then(([code]) => reject(new Error(`probe child exited (${code}) before ready`)));
  });
  const [, http, grpc] = await ready;
  return {
    http,
    grpc,
    child,
    output,
    stop: async () => {
      const started = Date.now();
      if (child.exitCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return { code, ms: Date.now() - started };
    },
  };
}

/** A config directory for startProbeChild on a fresh database; `cleanup` drops both. */
export async function probeChildConfig(
  bootstrap: Record<string, unknown>,
  patch: Record<string, unknown> = {},
): Promise<{ configDir: string; cleanup: () => Promise<void> }> {
  const database = await createTestDatabase();
  const configDir = await mkdtemp(join(tmpdir(), 'msproject-telemetry-child-'));
  const config = mergeDeep(
    await testConfig(database.name),
    mergeDeep({ db: { synchronize: true } }, patch),
  );
  await writeLocalConfig(configDir, config, bootstrap);
  return {
    configDir,
    cleanup: async () => {
      await database.drop();
      await rm(configDir, { recursive: true, force: true });
    },
  };
}
