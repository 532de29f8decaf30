/**
 * Cold start of the built application in the embedded profile, started as `npm run start:prod`
 * starts it (`node dist/start.js`, on its config/ directory; another checkout as its own
 * package.json says): spawn → first 200 on /health/live, and the CPU time the process used until
 * then (steadier than the wall time on shared cores); the RSS 3 s after that first 200 (idle);
 * the SIGTERM → exit time.
 *
 *   npm run bench:startup
 *
 * The first variant is the floor: the same framework stack with one route and one RPC
 * (`bench/startup-baseline.ts`), no application. `BENCH_BASELINE_DIR` names other checkouts'
 * roots, comma-separated (each with its dist/, config/ and proto/, e.g. the main branch built
 * with its `npm run build`): each is started as its own package.json's `start:prod` says, in
 * alternating rounds, so that all are measured under the same load. `BENCH_ROUNDS` (default 6)
 * sets the rounds; each variant has one unrecorded warm-up first (it creates the SQLite file on
 * a fresh tree, and resolves every module afresh: its time is printed as the first start's).
 * `BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=…"` profiles the app processes.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { RESOLUTIONS_FILE } from '@/module-resolutions';
import { percentile } from '../test/support/swap-load';
import { freePort } from '../test/support/ports';
import { cpuTimeMs, ROOT, rssMb, startProdArgs } from './lib/app-process';

const ROUNDS = Number(process.env.BENCH_ROUNDS) || 6;
const IDLE_MS = 3_000;

interface Variant {
  name: string;
  root: string;
  /** What node is given (options and script), from `root`. */
  args: string[];
  starts: number[];
  cpu: number[];
  rss: number[];
  exits: number[];
}

interface Sample {
  startMs: number;
  cpuMs: number;
  rssMb: number;
  exitMs: number;
}

async function firstOk(url: string, exited: Promise<unknown>, deadline: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the process exited before ${url} answered`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await delay(5);
  }
  throw new Error(`no 200 from ${url} in time`);
}

async function coldStart({ root, args }: Variant): Promise<Sample> {
  const [port, grpcPort] = [await freePort(), await freePort()];
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: root,
    // The committed config's logging (pretty, info), as `npm run start:prod` logs.
    env: {
      ...process.env,
      APP_SERVER__PORT: String(port),
      APP_GRPC__PORT: String(grpcPort),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  await firstOk(`http://127.0.0.1:${port}/health/live`, exited, Date.now() + 30_000);
  const startMs = performance.now() - started;
  const cpuMs = cpuTimeMs(child.pid!);
  await delay(IDLE_MS);
  const rss = rssMb(child.pid!);
  const stopping = performance.now();
  child.kill('SIGTERM');
  const [code] = await exited;
  if (code !== 0) throw new Error(`exit code ${String(code)}`);
  return { startMs, cpuMs, rssMb: rss, exitMs: performance.now() - stopping };
}

async function main() {
  const variant = (name: string, root: string, args = startProdArgs(root)): Variant => ({
    name,
    root,
    args,
    starts: [],
    cpu: [],
    rss: [],
    exits: [],
  });
  const baselines = (process.env.BENCH_BASELINE_DIR ?? '').split(',').filter(Boolean);
  const variants = [
    variant('NestJS + Fastify + gRPC, one route each (bench/startup-baseline.ts)', ROOT, [
      'dist-test/bench/startup-baseline.js',
    ]),
    ...baselines.map((root) => variant(root, root)),
    variant('this tree', ROOT),
  ];
  // The warm-up start of each build resolves every module afresh (the file that keeps them
  // between starts removed first) and writes that file; the rounds after it use it.
  const firsts = new Map<Variant, Sample>();
  for (const each of variants) {
    rmSync(join(each.root, dirname(each.args.at(-1)!), RESOLUTIONS_FILE), { force: true });
    firsts.set(each, await coldStart(each));
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const each of variants) {
      const sample = await coldStart(each);
      each.starts.push(sample.startMs);
      each.cpu.push(sample.cpuMs);
      each.rss.push(sample.rssMb);
      each.exits.push(sample.exitMs);
    }
  }
  const list = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
  for (const each of variants) {
    const { name, starts, cpu, rss, exits } = each;
    const first = firsts.get(each)!;
    console.log(`${name}, ${ROUNDS} rounds:`);
    console.log(
      `  first start, no module resolutions kept: ${first.startMs.toFixed(0)} ms, ` +
        `CPU ${first.cpuMs.toFixed(0)} ms`,
    );
    console.log(
      `  cold start → first 200: median ${percentile(starts, 50).toFixed(0)} ms (${list(starts)})`,
    );
    console.log(
      `  CPU time until then: median ${percentile(cpu, 50).toFixed(0)} ms (${list(cpu)})`,
    );
    console.log(`  RSS idle: median ${percentile(rss, 50).toFixed(0)} MB (${list(rss)})`);
    console.log(
      `  SIGTERM → exit 0: median ${percentile(exits, 50).toFixed(0)} ms (${list(exits)})`,
    );
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
