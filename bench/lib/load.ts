import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cpuTimeMs, ROOT, type ServerProcess } from './app-process';

/** One measured run against one server. */
export interface Sample {
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU time per request, in ms: steadier than req/s on shared cores. */
  cpuPerRequestMs: number;
  failures: number;
  /** Requests answered in the run. */
  requests: number;
}

export interface HttpLoad {
  path: string;
  method?: 'GET' | 'POST' | 'PATCH';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
}

interface ClientReport {
  requests: number;
  failures: number;
  p50: number;
  p99: number;
  seconds: number;
}

/** Runs `command` to completion and parses the one JSON document it prints last. */
async function runJson<T>(args: string[]): Promise<T> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')}: exit ${code}`);
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** autocannon's CLI, in a process of its own, against one HTTP route. */
async function autocannon(
  url: string,
  load: HttpLoad,
  options: LoadOptions,
): Promise<ClientReport> {
  const args = [
    join(ROOT, 'node_modules/autocannon/autocannon.js'),
    '--json',
    '-c',
    String(options.connections),
    '-d',
    String(options.seconds),
    '-m',
    load.method ?? 'GET',
  ];
  for (const [key, value] of Object.entries(load.headers ?? {})) args.push('-H', `${key}=${value}`);
  if (load.body !== undefined) args.push('-b', load.body);
  args.push(url);
  const report = await runJson<{
    requests: { total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    timeouts: number;
    duration: number;
  }>(args);
  return {
    requests: report.requests.total,
    failures: report.non2xx + report.errors + report.timeouts,
    p50: report.latency.p50,
    p99: report.latency.p99,
    seconds: report.duration,
  };
}

async function measured(server: ServerProcess, run: () => Promise<ClientReport>): Promise<Sample> {
  const cpuBefore = cpuTimeMs(server.pid);
  const report = await run();
  const cpu = cpuTimeMs(server.pid) - cpuBefore;
  return {
    rps: report.requests / report.seconds,
    p50: report.p50,
    p99: report.p99,
    cpuPerRequestMs: cpu / Math.max(report.requests, 1),
    failures: report.failures,
    requests: report.requests,
  };
}

/** HTTP load from autocannon, with the server's CPU time over the run. */
export function httpSample(
  server: ServerProcess,
  load: HttpLoad,
  options: LoadOptions,
): Promise<Sample> {
  return measured(server, () => autocannon(`${server.baseUrl}${load.path}`, load, options));
}

export interface GrpcLoad {
  target: string;
  /** `package.Service/Method`. */
  method: string;
  /** Under proto/. */
  protoFile: string;
  request: unknown;
  token: string;
}

/** Unary gRPC load from a separate Node process (bench/grpc-load.ts). */
export function grpcSample(
  server: ServerProcess,
  load: GrpcLoad,
  options: LoadOptions,
): Promise<Sample> {
  return measured(server, () =>
    runJson<ClientReport>([
      join(__dirname, '..', 'grpc-load.js'),
      JSON.stringify({ ...load, ...options }),
    ]),
  );
}
