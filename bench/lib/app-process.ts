import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeDeep, testConfig, writeLocalConfig } from '../../test/support/app';
import { waitUntil } from '../../test/support/instances';

/** The repository root, from dist-test/bench/lib. */
export const ROOT = join(__dirname, '../../..');

/**
 * What `npm run start:prod` of the checkout at `root` gives node: its options and script (as
 * `['dist/start.js']`), read from that checkout's package.json, so that other builds are started
 * their own way.
 */
export function startProdArgs(root: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const [command, ...args] = (scripts?.['start:prod'] ?? '').split(/\s+/).filter(Boolean);
  if (command !== 'node' || args.length === 0) {
    throw new Error(`${root}: start:prod is not "node [options] script"`);
  }
  return args;
}

/** The Linux clock ticks per second that /proc/<pid>/stat counts CPU time in. */
const CLOCK_TICKS = 100;

/** User + system CPU time a process has used so far, in ms (Linux /proc). */
export function cpuTimeMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Resident set size of a process, in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

/** A server process under load: where to reach it and how much CPU it has used. */
export interface ServerProcess {
  name: string;
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export interface AppProcess extends ServerProcess {
  grpcTarget: string;
}

/** How an application process is launched beyond its config. */
export interface Launch {
  /** Node options before the script, after `BENCH_APP_NODE_ARGS`. */
  nodeArgs?: string[];
  /** A file the process's stdout goes to (V8's `--trace-gc*` lines), instead of nowhere. */
  stdoutPath?: string;
}

/**
 * The built application (as `npm run start:prod` starts it) in a process of
 * its own, on database `database`, with `patch` over the test config and `bootstrap` beside it
 * (the config center off).
 */
export async function startApp(
  name: string,
  database: string,
  patch: Record<string, unknown> = {},
  bootstrap: Record<string, unknown> = {},
  launch: Launch = {},
): Promise<AppProcess> {
  const configDir = await mkdtemp(join(tmpdir(), `msproject-bench-${name}-`));
  const config = mergeDeep(
    await testConfig(database),
    mergeDeep({ log: { level: 'warn' } }, patch),
  );
  await writeLocalConfig(configDir, config, bootstrap);
  const server = config.server as { port: number };
  const grpc = config.grpc as { port: number };
  // BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the app processes.
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  nodeArgs.push(...(launch.nodeArgs ?? []));
  const stdout = launch.stdoutPath ? openSync(launch.stdoutPath, 'w') : 'ignore';
  const child = spawn(process.execPath, [...nodeArgs, ...startProdArgs(ROOT)], {
    cwd: ROOT,
    env: { ...process.env, CONFIG_DIR: configDir },
    stdio: ['ignore', stdout, 'inherit'],
  });
  if (typeof stdout === 'number') closeSync(stdout);
  const baseUrl = `http://127.0.0.1:${server.port}`;
  await waitForHealth(child, baseUrl);
  return {
    name,
    baseUrl,
    grpcTarget: `127.0.0.1:${grpc.port}`,
    pid: child.pid!,
    stop: async () => {
      await stopChild(child);
      await rm(configDir, { recursive: true, force: true });
    },
  };
}

/** A bench helper script (compiled beside this file) as a server process of its own. */
export async function startScript(
  name: string,
  script: string,
  args: string[],
  port: number,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', script), ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(child, baseUrl);
  return { name, baseUrl, pid: child.pid!, stop: () => stopChild(child) };
}

async function waitForHealth(child: ChildProcess, baseUrl: string): Promise<void> {
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${baseUrl}: the process exited (${String(code)}) before it was ready`);
  });
  await Promise.race([
    exited,
    waitUntil(
      async () => (await fetch(`${baseUrl}/health/ready`)).status === 200,
      `${baseUrl}/health/ready`,
      60_000,
    ),
  ]);
  exited.catch(() => undefined);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
