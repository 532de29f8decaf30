/**
 * `GET /api/v1/projects` of a member with 100 projects, authenticated, on the primary + replica
 * pair (reads from the replica): req/s and latency of the application, with the list cache on
 * and off, beside a bare Fastify + mysql2 handler running the same two queries on the replica in
 * the same run, and the gRPC `ListProjects` equivalent. Needs the replica pair
 * (`bash scripts/services.sh`).
 *
 *   npm run bench:projects
 */
import Fastify from 'fastify';
import { createPool } from 'mysql2/promise';
import { setTimeout as delay } from 'node:timers/promises';
import { Metadata } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../test/support/app';
import { grpcClient, unary } from '../test/support/grpc-client';
import { call } from '../test/support/http';
import { registerMember } from '../test/support/members';
import { createReplicatedDatabase, REPLICA_PAIR, replicatedDb } from '../test/support/replica';
import { percentile } from '../test/support/swap-load';

const PROJECTS = 100;
const CLIENTS = 32;
const WARMUP_MS = 2_000;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8_000);

interface Result {
  requests: number;
  failures: number;
  latencies: number[];
  seconds: number;
}

/** `CLIENTS` loops calling `request` back to back for `durationMs`. */
async function drive(request: () => Promise<boolean>, durationMs: number): Promise<Result> {
  const result: Result = { requests: 0, failures: 0, latencies: [], seconds: durationMs / 1000 };
  const end = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        const started = performance.now();
        let ok = false;
        try {
          ok = await request();
        } catch {
          ok = false;
        }
        result.latencies.push(performance.now() - started);
        result.requests++;
        if (!ok) result.failures++;
      }
    }),
  );
  return result;
}

async function measure(name: string, request: () => Promise<boolean>) {
  await drive(request, WARMUP_MS);
  const result = await drive(request, DURATION_MS);
  const rps = result.requests / result.seconds;
  console.log(
    `${name.padEnd(44)} ${rps.toFixed(0).padStart(6)} req/s  p50 ${percentile(result.latencies, 50).toFixed(1)} ms  p99 ${percentile(result.latencies, 99).toFixed(1)} ms  failed ${result.failures}`,
  );
  return rps;
}

/** The two statements the application runs for the first page of `filter=mine`. */
const PAGE_SQL =
  'SELECT p.*, m.role AS membership_role, c.id AS collection_id FROM project p ' +
  'INNER JOIN project_member m ON m.projectId = p.id AND m.memberId = ? ' +
  'LEFT JOIN project_collection c ON c.projectId = p.id AND c.memberId = ? ' +
  'WHERE p.deleted = 0 AND p.archived = 0 ORDER BY p.id DESC LIMIT 20 OFFSET 0';
const COUNT_SQL =
  'SELECT COUNT(DISTINCT p.id) AS total FROM project p ' +
  'INNER JOIN project_member m ON m.projectId = p.id AND m.memberId = ? ' +
  'LEFT JOIN project_collection c ON c.projectId = p.id AND c.memberId = ? ' +
  'WHERE p.deleted = 0 AND p.archived = 0';

async function bareServer(database: string) {
  const pool = createPool({
    host: REPLICA_PAIR.host,
    port: REPLICA_PAIR.replicaPort,
    user: REPLICA_PAIR.user,
    password: REPLICA_PAIR.password,
    database,
    connectionLimit: 20,
  });
  const server = Fastify();
  server.get<{ Params: { member: string } }>('/projects/:member', async (request) => {
    const memberId = Number(request.params.member);
    const [[rows], [[count]]] = (await Promise.all([
      pool.query(PAGE_SQL, [memberId, memberId]),
      pool.query(COUNT_SQL, [memberId, memberId]),
    ])) as unknown as [[Record<string, unknown>[]], [[{ total: number }]]];
    return { items: rows, total: Number(count.total), page: 1, pageSize: 20 };
  });
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  return {
    address,
    close: async () => {
      await server.close();
      await pool.end();
    },
  };
}

async function startApp(database: string, cacheTtl: number): Promise<TestApp> {
  return startTestApp({
    config: {
      db: { ...replicatedDb(database), synchronize: false },
      log: { level: 'warn' },
      tracing: { sampleRatio: Number(process.env.BENCH_SAMPLE_RATIO ?? 0) },
      cache: { memberTtlSeconds: 300, projectListTtlSeconds: cacheTtl },
    },
  });
}

async function main() {
  const database = await createReplicatedDatabase();
  let app = await startApp(database.name, 300);
  const bare = await bareServer(database.name);
  try {
    const member = await registerMember(app);
    for (let index = 0; index < PROJECTS; index++) {
      await call(app, 'POST', '/api/v1/projects', {
        token: member.accessToken,
        body: { name: `Bench project ${index}` },
      });
    }
    // Let the replica catch up and the recent-write window pass.
    await delay(6_000);
    const headers = { authorization: `Bearer ${member.accessToken}` };
    const listOnce = async () => {
      const response = await fetch(`${app.baseUrl}/api/v1/projects`, { headers });
      const body = (await response.json()) as { total: number };
      return response.status === 200 && body.total === PROJECTS;
    };
    const memberId = decodeId(member.id);
    const bareOnce = async () => {
      const response = await fetch(`${bare.address}/projects/${memberId}`);
      const body = (await response.json()) as { total: number };
      return response.status === 200 && body.total === PROJECTS;
    };
    console.log(
      `GET first page (20 of ${PROJECTS} projects), ${CLIENTS} concurrent clients, ${DURATION_MS / 1000} s each`,
    );
    const bareRps = await measure('bare Fastify + mysql2 (replica, same SQL)', bareOnce);
    const cachedRps = await measure('app GET /api/v1/projects (list cache on)', listOnce);
    // The floor of any authenticated route: token check, one Redis read, the framework.
    await measure('app GET /api/v1/me (for reference)', async () => {
      const response = await fetch(`${app.baseUrl}/api/v1/me`, { headers });
      await response.arrayBuffer();
      return response.status === 200;
    });

    const client = grpcClient(
      app.grpcAddress,
      'project/v1/project.proto',
      'msproject.project.v1.ProjectService',
    );
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${member.accessToken}`);
    const grpcRps = await measure('app gRPC ListProjects (list cache on)', async () => {
      const response = await unary<object, { total: number }>(client, 'ListProjects', {}, metadata);
      return response.total === PROJECTS;
    });
    client.close();

    await app.close();
    app = await startApp(database.name, 0);
    const uncachedRps = await measure('app GET /api/v1/projects (list cache off)', listOnce);
    const bareAgain = await measure('bare Fastify + mysql2 (again)', bareOnce);
    const bareBest = Math.max(bareRps, bareAgain);
    console.log(
      `ratio to bare: cache on ${(cachedRps / bareBest).toFixed(2)}, cache off ${(uncachedRps / bareBest).toFixed(2)}, gRPC ${(grpcRps / bareBest).toFixed(2)}`,
    );
  } finally {
    await app.close();
    await bare.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
