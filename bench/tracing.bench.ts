/**
 * What tracing costs. Two application processes side by side, one with tracing off (exporter
 * none), one tracing every request (sampleRatio 1, batch span processor, OTLP/protobuf to a
 * local sink), are loaded in turn, in alternating order, by the same closed-loop client:
 *
 * - `probe`: GET /test-telemetry/notes/:id — a TypeORM read, a Redis INCR and a `@Span`
 *   service method: 4 spans a request, a small DB-backed endpoint (the worst case).
 * - `api`: GET /api/v1/projects/:id with a bearer token — the real API: token and session
 *   check, the project and the caller's membership read.
 *
 * Throughput, p50/p99 and the CPU time of each process per request (steadier than req/s on a
 * shared host) are printed per round and per scenario. Then the spans: every span the traced
 * process ended must reach the sink (the span processor's own counters, from /metrics).
 *
 *   npm run bench:tracing          # 3 rounds of 8 s per process and scenario, 32 connections
 *   BENCH_ROUNDS=5 BENCH_SECONDS=10 BENCH_CONNECTIONS=64 BENCH_SCENARIOS=probe npm run bench:tracing
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { OtlpReceiver } from '../test/support/otlp-receiver';
import { percentile } from '../test/support/swap-load';
import {
  probeChildConfig,
  startProbeChild,
  type ProbeChild,
} from '../test/support/telemetry-probe-app';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'probe,api').split(',');
const WARMUP_SECONDS = 5;
/** HTTP server span, ProbeService.readNote, SELECT, incr. */
const PROBE_SPANS_PER_REQUEST = 4;

interface Load {
  requests: number;
  failures: number;
  latenciesMs: number[];
  seconds: number;
  /** CPU time of the application process over the run (NaN where /proc is missing). */
  cpuMs: number;
}

interface Target {
  name: 'off' | 'on';
  child: ProbeChild;
  agent: Agent;
  /** Per scenario: the path to load and the headers to send. */
  requests: Record<string, { path: string; headers: Record<string, string> }>;
}

/** User + system CPU time of a process, from /proc (Linux). */
function cpuTimeMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

function get(target: Target, scenario: string): Promise<number> {
  const { path, headers } = target.requests[scenario];
  return new Promise((resolve, reject) => {
    const call = request(
      `${target.child.http}${path}`,
      { agent: target.agent, headers },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end();
  });
}

/** `CONNECTIONS` request loops, each sending its next request as soon as the last answered. */
async function load(target: Target, scenario: string, seconds: number): Promise<Load> {
  const latenciesMs: number[] = [];
  let failures = 0;
  const cpuBefore = cpuTimeMs(target.child.child.pid);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        const status = await get(target, scenario).catch(() => 0);
        latenciesMs.push(performance.now() - sent);
        if (status !== 200) failures++;
      }
    }),
  );
  return {
    requests: latenciesMs.length,
    failures,
    latenciesMs,
    seconds: (performance.now() - started) / 1000,
    cpuMs: cpuTimeMs(target.child.child.pid) - cpuBefore,
  };
}

async function post<T>(base: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A note for the probe; a member (captcha → register → login) and a project for the API. */
async function startTarget(name: Target['name'], bootstrap: Record<string, unknown>) {
  // Request logging off on both sides: the comparison is about tracing alone.
  const { configDir, cleanup } = await probeChildConfig(bootstrap, {
    log: { level: 'warn' },
    captcha: { exposeInResponse: true },
  });
  const child = await startProbeChild(configDir);
  const base = child.http;
  const note = await post<{ id: number }>(base, '/test-telemetry/notes', { body: 'benchmark' });
  const unique = `${Date.now().toString(36)}${name}`;
  const member = {
    account: `bench_${unique}`,
    email: `${unique}@example.test`,
    mobile: `1${String(Date.now()).slice(-9)}${name === 'on' ? 1 : 0}`,
    name: `Bench ${name}`,
    password: `bench-${unique}-password`,
  };
  const { code } = await post<{ code: string }>(base, '/api/v1/auth/captcha', {
    mobile: member.mobile,
  });
  await post(base, '/api/v1/auth/register', { ...member, captcha: code });
  const { accessToken } = await post<{ accessToken: string }>(base, '/api/v1/auth/login', {
    account: member.account,
    password: member.password,
  });
  const project = await post<{ id: string }>(
    base,
    '/api/v1/projects',
    { name: 'Benchmark project' },
    accessToken,
  );
  const target: Target = {
    name,
    child,
    agent: new Agent({ keepAlive: true, maxSockets: CONNECTIONS }),
    requests: {
      probe: { path: `/test-telemetry/notes/${note.id}`, headers: {} },
      api: {
        path: `/api/v1/projects/${project.id}`,
        headers: { authorization: `Bearer ${accessToken}` },
      },
    },
  };
  return { target, cleanup };
}

/** A counter or gauge of the /metrics text, summed over the series whose labels match. */
function metric(metricsText: string, name: string, labels = /./): number {
  return metricsText
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && labels.test(line))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

interface SpanCounts {
  received: number;
  exported: number;
  dropped: number;
  failed: number;
}

/**
 * Waits until the traced process's queue is empty and the sink has received all it exported,
 * for longer than the processor's schedule (1 s): a batch in flight shows in neither count.
 */
async function settle(target: Target, sink: OtlpReceiver, received: { count: number }) {
  const deadline = Date.now() + 30_000;
  let stableSince: number | undefined;
  let previousExported = -1;
  for (;;) {
    received.count += sink.spans().length;
    sink.bodies.length = 0;
    const text = await (await fetch(`${target.child.http}/metrics`)).text();
    const counts: SpanCounts = {
      received: received.count,
      exported: metric(text, 'otel_sdk_processor_span_processed_total', /^(?!.*error_type)/),
      dropped: metric(text, 'otel_sdk_processor_span_processed_total', /error_type="queue_full"/),
      failed: metric(text, 'otel_sdk_processor_span_processed_total', /error_type="(?!queue_full)/),
    };
    const queued = metric(text, 'otel_sdk_processor_span_queue_size');
    const settled =
      queued === 0 && counts.received === counts.exported && counts.exported === previousExported;
    previousExported = counts.exported;
    stableSince = settled ? (stableSince ?? Date.now()) : undefined;
    if ((stableSince && Date.now() - stableSince > 1_500) || Date.now() > deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function summary(runs: Load[]) {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const latencies = runs.flatMap((run) => run.latenciesMs);
  return {
    requests,
    rps: requests / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
    cpuPerRequestUs: (runs.reduce((sum, run) => sum + run.cpuMs, 0) * 1000) / requests,
  };
}

async function main() {
  const sink = await new OtlpReceiver(false).start();
  const off = await startTarget('off', { telemetry: { exporter: 'none' } });
  const on = await startTarget('on', { telemetry: { exporter: 'otlp', endpoint: sink.url } });
  const targets = [off.target, on.target];
  const received = { count: 0 };
  try {
    console.log(
      `tracing benchmark: ${ROUNDS} rounds × ${SECONDS} s per process and scenario, ` +
        `${CONNECTIONS} connections; tracing on = every request sampled, OTLP to a local sink`,
    );
    for (const scenario of SCENARIOS) {
      const description =
        scenario === 'probe'
          ? 'GET /test-telemetry/notes/:id (MariaDB read + Redis INCR + @Span)'
          : 'GET /api/v1/projects/:id (bearer token, session, project + membership reads)';
      console.log(`\n${scenario}: ${description}`);
      for (const target of targets) await load(target, scenario, WARMUP_SECONDS);
      const before = await settle(on.target, sink, received);
      const runs: Record<Target['name'], Load[]> = { off: [], on: [] };
      for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 === 1 ? targets : [...targets].reverse();
        const line: string[] = [];
        for (const target of order) {
          const run = await load(target, scenario, SECONDS);
          runs[target.name].push(run);
          line.push(
            `${target.name} ${(run.requests / run.seconds).toFixed(0)} req/s ` +
              `p99 ${percentile(run.latenciesMs, 99).toFixed(1)} ms ` +
              `cpu ${((run.cpuMs * 1000) / run.requests).toFixed(0)} µs/req`,
          );
          // Decoded between runs, so that the sink's work never competes with a measured one.
          received.count += sink.spans().length;
          sink.bodies.length = 0;
        }
        console.log(`  round ${round}: ${line.join(' | ')}`);
      }
      const after = await settle(on.target, sink, received);

      const offSummary = summary(runs.off);
      const onSummary = summary(runs.on);
      console.log('               req/s    p50 ms   p99 ms   failed   cpu µs/req');
      for (const [name, result] of [
        ['tracing off', offSummary],
        ['tracing on ', onSummary],
      ] as const) {
        console.log(
          `  ${name}  ${result.rps.toFixed(0).padStart(7)}  ${result.p50.toFixed(2).padStart(7)}  ` +
            `${result.p99.toFixed(2).padStart(7)}  ${String(result.failures).padStart(6)}  ` +
            `${result.cpuPerRequestUs.toFixed(0).padStart(9)}`,
        );
      }
      const spans = after.received - before.received;
      console.log(
        `  throughput on / off: ${(onSummary.rps / offSummary.rps).toFixed(3)}; ` +
          `CPU per request off / on: ${(offSummary.cpuPerRequestUs / onSummary.cpuPerRequestUs).toFixed(3)} ` +
          `(+${(onSummary.cpuPerRequestUs - offSummary.cpuPerRequestUs).toFixed(0)} µs); ` +
          `p99 ${onSummary.p99.toFixed(2)} ms on vs ${offSummary.p99.toFixed(2)} ms off`,
      );
      console.log(
        `  spans: ${spans} received for ${onSummary.requests} traced requests ` +
          `(${(spans / onSummary.requests).toFixed(2)} a request` +
          (scenario === 'probe' ? `, ${PROBE_SPANS_PER_REQUEST} expected` : '') +
          `); dropped ${after.dropped - before.dropped}, in failed exports ${after.failed - before.failed}`,
      );
    }
    const final = await settle(on.target, sink, received);
    console.log(
      `\nall spans of the traced process: ${final.exported} exported, ${final.received} received, ` +
        `${final.dropped} dropped, ${final.failed} in failed exports`,
    );
  } finally {
    for (const target of targets) target.agent.destroy();
    for (const { target, cleanup } of [off, on]) {
      await target.child.stop();
      await cleanup();
    }
    await sink.close();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
