/**
 * A closed-loop unary gRPC client in a process of its own, so that its CPU is not the server's:
 * `connections` channels each send their next call as soon as the last answered, for `seconds`.
 * Prints one JSON line: requests, failures, p50, p99 (ms) and seconds.
 *
 *   node dist-test/bench/grpc-load.js '{"target":"127.0.0.1:50051","method":"msproject.project.v1.ProjectService/ListProjects","protoFile":"project/v1/project.proto","request":{},"token":"…","connections":16,"seconds":8}'
 */
import * as grpc from '@grpc/grpc-js';
import { bearer, grpcClient, unary } from '../test/support/grpc-client';
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

async function main() {
  const options = JSON.parse(process.argv[2]) as Options;
  const [servicePath, method] = options.method.split('/');
  const clients = Array.from({ length: options.connections }, () =>
    grpcClient(options.target, options.protoFile, servicePath, []),
  );
  const metadata = bearer(options.token);
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        try {
          await unary(client, method, options.request, metadata);
        } catch {
          failures++;
        }
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const client of clients) client.close();
  console.log(
    JSON.stringify({
      requests: latencies.length,
      failures,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      seconds,
    }),
  );
}

void main().catch((error: grpc.ServiceError) => {
  console.error(error.message);
  process.exitCode = 1;
});
