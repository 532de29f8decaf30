/**
 * A closed-loop unary gRPC load in a process of its own, so that its CPU is not the server's:
 * `connections` HTTP/2 connections (as autocannon opens HTTP ones) each send their next call as
 * soon as the last one answered, for `seconds`. The request message is encoded once; answers
 * are read to their trailers and not decoded (autocannon does not parse JSON either), so that
 * the client's own CPU, far above the server's with a full gRPC client, cannot hold back the
 * server on shared cores. Prints one JSON line: requests, failures, p50, p99 (ms), seconds and
 * this process's own CPU time per call (µs).
 *
 *   node dist-test/bench/grpc-load.js '{"target":"127.0.0.1:50051","method":"msproject.project.v1.ProjectService/ListProjects","protoFile":"project/v1/project.proto","request":{},"token":"…","connections":16,"seconds":8}'
 */
import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { join } from 'node:path';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, protoRoot } from '@/grpc/grpc.options';
import { percentile } from '../test/support/swap-load';

interface Options {
  target: string;
  method: string;
  protoFile: string;
  request: unknown;
  token: string;
  connections: number;
  seconds: number;
}

/** The call's bytes on the wire: one uncompressed length-prefixed message. */
function requestFrame(options: Options): Buffer {
  const [servicePath, method] = options.method.split('/');
  const definition = loadSync(join(protoRoot(), options.protoFile), {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [protoRoot()],
  });
  const service = definition[servicePath] as Record<string, MethodDefinition<unknown, unknown>>;
  const message = service[method].requestSerialize(options.request);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
}

/** One unary call; resolves once the trailers say OK, rejects with any other status. */
function call(
  session: ClientHttp2Session,
  headers: Record<string, string>,
  frame: Buffer,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers);
    let status: string | undefined;
    // A call that fails before any message answers with its status in the headers.
    const statusOf = (fields: IncomingHttpHeaders) =>
      (status = (fields['grpc-status'] as string | undefined) ?? status);
    stream.on('response', statusOf);
    stream.on('trailers', statusOf);
    stream.on('data', () => undefined);
    stream.on('error', reject);
    stream.on('close', () =>
      status === '0' ? resolve() : reject(new Error(`grpc-status ${status}`)),
    );
    stream.end(frame);
  });
}

async function main() {
  const options = JSON.parse(process.argv[2]) as Options;
  const frame = requestFrame(options);
  const headers = {
    ':method': 'POST',
    ':path': `/${options.method}`,
    'content-type': 'application/grpc',
    te: 'trailers',
    'grpc-accept-encoding': 'identity',
    authorization: `Bearer ${options.token}`,
  };
  // Without Nagle's delay, as grpc-js clients connect.
  const sessions = Array.from({ length: options.connections }, () =>
    connect(`http://${options.target}`, (_session, socket) => socket.setNoDelay(true)),
  );
  const latencies: number[] = [];
  let failures = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    sessions.map(async (session) => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        try {
          await call(session, headers, frame);
        } catch {
          failures++;
        }
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  for (const session of sessions) session.close();
  console.log(
    JSON.stringify({
      requests: latencies.length,
      failures,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      seconds,
      clientCpuPerCallUs: (cpu.user + cpu.system) / Math.max(latencies.length, 1),
    }),
  );
}

void main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
