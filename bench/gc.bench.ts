/**
 * What the young generation keeps: the bytes each request leaves alive across a scavenge (and
 * so promoted to the old generation, for the concurrent marker to collect again), the
 * scavenges per request and their pause on the main thread, beside the CPU time per request.
 * These move far less from run to run than CPU ratios on shared cores, so they show a change
 * in tracing's memory behaviour that `npm run bench` cannot resolve.
 *
 *   npm run bench:gc
 *
 * Three processes of the built app, each with V8's `--trace-gc-nvp` lines in a file of its
 * own: untraced, traced with every request sampled (OTLP to a receiver in this process), and
 * traced with none sampled. Each is loaded on the project list (20 projects, the first page)
 * in alternating rounds, after `BENCH_WARMUP_RUNS` unrecorded runs; the table shows medians.
 * `BENCH_ROUNDS` (4), `BENCH_SECONDS` (8), `BENCH_CONNECTIONS` (8) tune it;
 * `BENCH_GC_ROUTE=edit` loads the project edit (PATCH) instead.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../test/support/databases';
import { OtlpReceiver } from '../test/support/otlp-receiver';
import { startApp, type AppProcess } from './lib/app-process';
import { httpSample, type HttpLoad, type LoadOptions, type Sample } from './lib/load';
import { median } from './lib/rounds';
import { seedMember } from './lib/seed';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WARMUP_RUNS = Number(process.env.BENCH_WARMUP_RUNS ?? 3);
const LOAD: LoadOptions = {
  seconds: Number(process.env.BENCH_SECONDS ?? 8),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 8),
};
const PROJECTS = 20;

/** Sums over a process's `--trace-gc-nvp` lines so far. */
interface GcTotals {
  scavenges: number;
  majors: number;
  /** Main-thread pause, ms. */
  pauseMs: number;
  promotedBytes: number;
}

function gcTotals(log: string): GcTotals {
  const totals: GcTotals = { scavenges: 0, majors: 0, pauseMs: 0, promotedBytes: 0 };
  // V8 writes the lines through a buffer: the last one may not be whole yet.
  const whole = log.slice(0, log.lastIndexOf('\n') + 1);
  for (const line of whole.split('\n')) {
    const kind = / gc=(\w+)/.exec(line)?.[1];
    if (!kind) continue;
    if (kind === 's') totals.scavenges++;
    else totals.majors++;
    totals.pauseMs += Number(/ pause=([\d.]+)/.exec(line)?.[1] ?? 0);
    totals.promotedBytes += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return totals;
}

interface GcSample {
  cpuUs: number;
  promotedBytes: number;
  scavengesPer1000: number;
  pauseUs: number;
  majors: number;
}

interface Variant {
  name: string;
  app: AppProcess;
  log: string;
  samples: GcSample[];
}

async function measure(variant: Variant, load: HttpLoad): Promise<GcSample> {
  const before = gcTotals(await readFile(variant.log, 'utf8'));
  const sample: Sample = await httpSample(variant.app, load, LOAD);
  const after = gcTotals(await readFile(variant.log, 'utf8'));
  const requests = Math.max(sample.requests, 1);
  return {
    cpuUs: sample.cpuPerRequestMs * 1000,
    promotedBytes: (after.promotedBytes - before.promotedBytes) / requests,
    scavengesPer1000: ((after.scavenges - before.scavenges) * 1000) / requests,
    pauseUs: ((after.pauseMs - before.pauseMs) * 1000) / requests,
    majors: after.majors - before.majors,
  };
}

function printTable(route: string, variants: Variant[]): void {
  const columns: [string, (sample: GcSample) => number, number][] = [
    ['CPU µs/req', (s) => s.cpuUs, 0],
    ['promoted B/req', (s) => s.promotedBytes, 0],
    ['scavenges /1000 req', (s) => s.scavengesPer1000, 1],
    ['GC pause µs/req', (s) => s.pauseUs, 1],
    ['major GCs /round', (s) => s.majors, 1],
  ];
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(row([route.padEnd(28), ...columns.map(([title]) => title)]));
  console.log(row(['-'.repeat(28), ...columns.map(([title]) => '-'.repeat(title.length))]));
  for (const { name, samples } of variants) {
    const cells = columns.map(([title, pick, digits]) =>
      median(samples.map(pick)).toFixed(digits).padStart(title.length),
    );
    console.log(row([name.padEnd(28), ...cells]));
  }
}

async function main() {
  const database = await createTestDatabase();
  const sink = await new OtlpReceiver(false).start();
  const logs = await mkdtemp(join(tmpdir(), 'msproject-bench-gc-'));
  const variants: Variant[] = [];
  try {
    const traced = { telemetry: { exporter: 'otlp', endpoint: sink.url } };
    for (const [name, patch, bootstrap] of [
      ['untraced', {}, {}],
      ['traced, 100 % sampled', { tracing: { sampleRatio: 1 } }, traced],
      ['traced, none sampled', { tracing: { sampleRatio: 0 } }, traced],
    ] as const) {
      const log = join(logs, `${variants.length}.log`);
      // The first process runs the migrations; the others start on the migrated schema.
      const app = await startApp(name, database.name, patch, bootstrap, {
        nodeArgs: ['--trace-gc-nvp'],
        stdoutPath: log,
      });
      variants.push({ name, app, log, samples: [] });
    }
    const { accessToken, projectId } = await seedMember(variants[0].app, PROJECTS);
    const auth = { authorization: `Bearer ${accessToken}` };
    const edit = process.env.BENCH_GC_ROUTE === 'edit';
    const load: HttpLoad = edit
      ? {
          path: `/api/v1/projects/${projectId}`,
          method: 'PATCH',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ description: 'Edited under load' }),
        }
      : { path: '/api/v1/projects', headers: auth };
    for (const variant of variants)
      for (let run = 0; run < WARMUP_RUNS; run++) await httpSample(variant.app, load, LOAD);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...variants].reverse() : variants;
      for (const variant of order) {
        const sample = await measure(variant, load);
        variant.samples.push(sample);
        console.error(
          `  ${variant.name} · round ${round + 1}: ${sample.cpuUs.toFixed(0)} µs CPU/req, ` +
            `${sample.promotedBytes.toFixed(0)} B promoted/req, ${sample.pauseUs.toFixed(1)} µs GC pause/req`,
        );
      }
    }
    printTable(edit ? 'project edit (PATCH)' : 'project list (first page)', variants);
  } finally {
    for (const { app } of variants.reverse()) await app.stop();
    await sink.close();
    await database.drop();
    await rm(logs, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void main().catch((error: Error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
