import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, protoRoot } from '@/grpc/grpc.options';
import { metricSum } from '../../test/support/prometheus';
import { percentile } from '../../test/support/swap-load';
import { cpuTimeMs, type ServerProcess } from './app-process';

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
  /**
   * Requests in flight on each connection (HTTP/2 streams; 1 unless set): a gRPC client's
   * channel sends all its calls on one connection at once.
   */
  streams?: number;
}

interface ClientReport {
  requests: number;
  failures: number;
  p50: number;
  p99: number;
  seconds: number;
}

/**
 * One run, from h2load's log of every request it saw to the end (`--log-file`: start, status,
 * µs; a reset stream has status -1): how many, how many not answered 2xx, and their times.
 */
interface H2loadRun {
  done: number;
  not2xx: number;
  seconds: number;
  latenciesMs: number[];
}

const H2LOAD_INSTALL = 'bash scripts/bench-tools.sh (Debian: apt-get install -y nghttp2-client)';

/**
 * h2load (nghttp2's load generator, in C) in a process of its own: `connections` connections,
 * each with `streams` requests (one unless set) in flight at a time (a closed loop, as the
 * clients of a service send their next request when the last one answered), for `seconds`. One client for both
 * transports, HTTP/1.1 (`--h1`) and HTTP/2, whose own CPU time per request is a fraction of
 * the server's: a Node client would take as much CPU as the server it loads from the same two
 * cores, and more for HTTP/2 than for HTTP/1.1, which weighed on gRPC's figures.
 */
async function h2load(
  url: string,
  args: string[],
  options: LoadOptions,
  body?: Buffer,
): Promise<H2loadRun> {
  const directory = await mkdtemp(join(tmpdir(), 'msproject-h2load-'));
  const log = join(directory, 'requests.log');
  try {
    if (body) {
      await writeFile(join(directory, 'body'), body);
      args = [...args, '-d', join(directory, 'body')];
    }
    const child = spawn(
      'h2load',
      [
        ...['-c', String(options.connections), '-m', String(options.streams ?? 1), '-t', '1'],
        ...['-D', String(options.seconds), `--log-file=${log}`],
        ...args,
        url,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let code: number | null;
    try {
      // `once` rejects with the child's 'error', such as h2load not being there.
      [code] = (await once(child, 'exit')) as [number | null];
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? new Error(`h2load is not installed: run ${H2LOAD_INSTALL}`)
        : error;
    }
    if (code !== 0) throw new Error(`h2load ${url}: exit ${code}\n${output}`);
    const finished = /finished in ([\d.]+)s/.exec(output);
    if (!finished) throw new Error(`h2load ${url}: no summary\n${output}`);
    const requests = (await readFile(log, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t').map(Number));
    // A refused or lost connection leaves no line and h2load still exits 0: no answer at all
    // means the server was not serving.
    if (requests.length === 0) throw new Error(`h2load ${url}: not one answer\n${output}`);
    return {
      done: requests.length,
      not2xx: requests.filter(([, status]) => status < 200 || status > 299).length,
      seconds: Number(finished[1]),
      latenciesMs: requests.map(([, , micros]) => micros / 1000),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function report(run: H2loadRun, failures: number): ClientReport {
  return {
    requests: run.done,
    failures,
    p50: percentile(run.latenciesMs, 50),
    p99: percentile(run.latenciesMs, 99),
    seconds: run.seconds,
  };
}

/** One HTTP route over HTTP/1.1; an answer other than 2xx is a failure. */
async function httpLoad(url: string, load: HttpLoad, options: LoadOptions): Promise<ClientReport> {
  const args = ['--h1'];
  if (load.method && load.method !== 'GET') args.push('-H', `:method: ${load.method}`);
  for (const [key, value] of Object.entries(load.headers ?? {}))
    args.push('-H', `${key}: ${value}`);
  const run = await h2load(
    url,
    args,
    options,
    load.body === undefined ? undefined : Buffer.from(load.body),
  );
  return report(run, run.not2xx);
}

/** `run`'s report, with the server's CPU time over it. */
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

/** HTTP load from h2load, with the server's CPU time over the run. */
export function httpSample(
  server: ServerProcess,
  load: HttpLoad,
  options: LoadOptions,
): Promise<Sample> {
  return measured(server, () => httpLoad(`${server.baseUrl}${load.path}`, load, options));
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

/** The call's bytes on the wire: one uncompressed length-prefixed message. */
function requestFrame(load: GrpcLoad): Buffer {
  const [servicePath, method] = load.method.split('/');
  const definition = loadSync(join(protoRoot(), load.protoFile), {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [protoRoot()],
  });
  const service = definition[servicePath] as Record<string, MethodDefinition<unknown, unknown>>;
  const message = service[method].requestSerialize(load.request);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
}

/**
 * The calls of `method` the server answered OK so far, from its own `/metrics`: h2load sees
 * HTTP statuses only, and a gRPC call that fails still answers 200 (its status is in the
 * trailers).
 */
function okCalls(server: ServerProcess, method: string): Promise<number> {
  const [service, name] = method.split('/');
  return metricSum(
    server.baseUrl,
    'rpc_server_call_duration_count',
    `rpc_service="${service}"`,
    `rpc_method="${name}"`,
    'rpc_grpc_status_code="0"',
  );
}

/**
 * Unary gRPC load from h2load over HTTP/2 cleartext, the request message encoded once. A call
 * h2load saw answered is a failure when it was not answered 200, or beyond the calls the server
 * counted OK; those include the few still in flight when h2load stops (at most `streams` per
 * connection), which the server may finish OK, so up to that many failures could pass unseen.
 */
export async function grpcSample(
  server: ServerProcess,
  load: GrpcLoad,
  options: LoadOptions,
): Promise<Sample> {
  const headers = {
    'content-type': 'application/grpc',
    te: 'trailers',
    'grpc-accept-encoding': 'identity',
    authorization: `Bearer ${load.token}`,
  };
  const args = Object.entries(headers).flatMap(([key, value]) => ['-H', `${key}: ${value}`]);
  const frame = requestFrame(load);
  const before = await okCalls(server, load.method);
  const sample = await measured(server, async () => {
    const run = await h2load(`http://${load.target}/${load.method}`, args, options, frame);
    return report(run, run.not2xx);
  });
  const ok = (await okCalls(server, load.method)) - before;
  return { ...sample, failures: Math.max(sample.failures, sample.requests - ok) };
}
