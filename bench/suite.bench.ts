/**
 * The application's costs, measured from outside its process: every server (the built app as
 * `npm run start:prod` starts it, and a bare Fastify + mysql2 baseline running the same SQL)
 * is a process of its own, loaded from another process by h2load (bench/lib/load.ts), the same
 * client for HTTP/1.1 and for gRPC. Variants of a scenario run in alternating rounds; the
 * table shows the medians: req/s, the server's CPU time per request (steadier than req/s on
 * shared cores), p50 and p99.
 *
 *   npm run bench                      # 4 rounds of 8 s, 16 connections
 *   BENCH_ROUNDS=6 BENCH_SECONDS=10 BENCH_CONNECTIONS=32 npm run bench
 *   BENCH_SCENARIOS=list,edit,tracing,me,growth npm run bench   # with the growth benchmark
 *
 * Needs MariaDB and Redis (bash scripts/services.sh) and h2load (bash scripts/bench-tools.sh).
 */
import { configurePublicIds, decodeId } from '@/common/public-id';
import { TEST_IDS_SECRET } from '../test/support/app';
import { createTestDatabase } from '../test/support/databases';
import { freePort } from '../test/support/ports';
import { metricSum } from '../test/support/prometheus';
import { OtlpReceiver } from '../test/support/otlp-receiver';
import { growthRows } from './growth.bench';
import { startApp, startScript, type AppProcess } from './lib/app-process';
import { grpcSample, httpSample, type LoadOptions } from './lib/load';
import { alternate, cpuRatio, printTable, together, type Row } from './lib/rounds';
import { json, seedMember } from './lib/seed';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const LOAD: LoadOptions = {
  seconds: Number(process.env.BENCH_SECONDS ?? 8),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 16),
};
const PROJECTS = 20;
/**
 * Which scenarios to run: list, transports, edit, tracing, me (the default), growth
 * (bench/growth.bench.ts).
 */
const SCENARIOS = new Set(
  (process.env.BENCH_SCENARIOS ?? 'list,transports,edit,tracing,me').split(','),
);

/** The same calls in flight, all on one connection, as a gRPC client's channel sends them. */
const oneChannel = (load: LoadOptions): LoadOptions => ({
  ...load,
  connections: 1,
  streams: load.connections,
});

/** Spans the traced process dropped or failed to export, from its own /metrics. */
function lostSpans(app: AppProcess): Promise<number> {
  return metricSum(app.baseUrl, 'otel_sdk_processor_span_processed_total', 'error_type="');
}

async function main() {
  const database = await createTestDatabase();
  const sink = await new OtlpReceiver(false).start();
  const servers: { stop(): Promise<void> }[] = [];
  try {
    // The first process runs the migrations; the others start on the migrated schema.
    const plain = await startApp('plain', database.name);
    servers.push(plain);
    const traced = await startApp(
      'traced',
      database.name,
      {},
      {
        telemetry: { exporter: 'otlp', endpoint: sink.url },
      },
    );
    servers.push(traced);
    // REST against gRPC loaded at the same time: two more untraced processes, neither seeded
    // through nor loaded by another scenario, swapping transports every round.
    const twins = SCENARIOS.has('transports')
      ? [await startApp('twin-a', database.name), await startApp('twin-b', database.name)]
      : undefined;
    if (twins) servers.push(...twins);
    const basePort = await freePort();
    const baseline = await startScript(
      'baseline',
      'baseline-server.js',
      [database.name, String(basePort)],
      basePort,
    );
    servers.push(baseline);

    const { accessToken, projectId } = await seedMember(plain, PROJECTS);
    const me = await json<{ id: string }>(plain, 'GET', '/api/v1/me', undefined, accessToken);
    configurePublicIds(TEST_IDS_SECRET);
    const baselineList = { path: `/projects?member=${decodeId(me.id, 'member')}` };
    const auth = { authorization: `Bearer ${accessToken}` };
    const list = { path: '/api/v1/projects', headers: auth };

    const listProjects = (app: AppProcess, load: LoadOptions) =>
      grpcSample(
        app,
        {
          target: app.grpcTarget,
          method: 'msproject.project.v1.ProjectService/ListProjects',
          protoFile: 'project/v1/project.proto',
          request: {},
          token: accessToken,
        },
        load,
      );
    // Half the connections each, for the scenarios that load two processes at the same time.
    const half = { ...LOAD, connections: Math.max(1, Math.floor(LOAD.connections / 2)) };

    const rows: Row[] = [];
    console.error(`bench: ${ROUNDS} rounds × ${LOAD.seconds} s, ${LOAD.connections} connections`);
    if (SCENARIOS.has('list'))
      rows.push(
        ...(await alternate(
          `project list (${PROJECTS} projects, first page)`,
          [
            {
              name: 'bare Fastify + mysql2, same SQL',
              run: () => httpSample(baseline, baselineList, LOAD),
            },
            { name: 'REST', run: () => httpSample(plain, list, LOAD) },
            { name: 'gRPC ListProjects', run: () => listProjects(plain, LOAD) },
            // As a gRPC client's channel calls: every call on one connection, as many in flight.
            {
              name: 'gRPC ListProjects, one channel',
              run: () => listProjects(plain, oneChannel(LOAD)),
            },
          ],
          ROUNDS,
        )),
      );
    if (twins) {
      const [a, b] = twins;
      // Neither has served yet: both are warmed on both transports first.
      for (const twin of twins) {
        await httpSample(twin, list, half);
        await listProjects(twin, half);
      }
      // Each variant runs once per round (and per warm-up run), so the two stay on different
      // processes and trade them every round (an even number of rounds gives each the same).
      // gRPC on as many connections as REST, then as a client's channel calls: one connection.
      for (const [scenario, grpcLoad] of [
        ['transports: project list, loaded together', half],
        ['transports: project list, gRPC on one channel, loaded together', oneChannel(half)],
      ] as const) {
        let restRuns = 0;
        let grpcRuns = 0;
        rows.push(
          ...(await together(
            scenario,
            [
              {
                name: 'REST',
                run: () => httpSample(restRuns++ % 2 ? b : a, list, half),
              },
              {
                name: 'gRPC ListProjects',
                run: () => listProjects(grpcRuns++ % 2 ? a : b, grpcLoad),
              },
            ],
            ROUNDS,
          )),
        );
      }
    }
    const write = {
      path: `/api/v1/projects/${projectId}`,
      method: 'PATCH' as const,
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Edited under load' }),
    };
    if (SCENARIOS.has('edit'))
      rows.push(
        ...(await alternate(
          'project edit (PATCH)',
          [{ name: 'REST', run: () => httpSample(plain, write, LOAD) }],
          ROUNDS,
        )),
      );
    // Tracing's cost: the traced and the untraced process loaded at the same time, each by
    // half the connections, so that both meet the same host.
    for (const [scenario, load] of [
      ['tracing: project list, loaded together', list],
      ['tracing: project edit, loaded together', write],
    ] as const)
      if (SCENARIOS.has('tracing'))
        rows.push(
          ...(await together(
            scenario,
            [
              { name: 'REST', run: () => httpSample(plain, load, half) },
              { name: 'REST, traced (100 %)', run: () => httpSample(traced, load, half) },
            ],
            ROUNDS,
          )),
        );
    if (SCENARIOS.has('me'))
      rows.push(
        ...(await alternate(
          'GET /api/v1/me',
          [
            {
              name: 'REST',
              run: () => httpSample(plain, { path: '/api/v1/me', headers: auth }, LOAD),
            },
          ],
          ROUNDS,
        )),
      );
    if (SCENARIOS.has('growth')) rows.push(...(await growthRows({ load: LOAD, rounds: ROUNDS })));
    printTable(rows);
    const listRow = (variant: string) =>
      rows.find((row) => row.scenario.startsWith('project list') && row.variant === variant);
    const rest = listRow('REST');
    if (rest) {
      const against = (variant: string) => cpuRatio(listRow(variant)!, rest).toFixed(2);
      console.log(
        `gRPC ListProjects against the REST list, CPU per request (median of the rounds' ` +
          `ratios): ${against('gRPC ListProjects')} on ${LOAD.connections} connections, ` +
          `${against('gRPC ListProjects, one channel')} on one channel`,
      );
    }
    console.log(`traced process: ${await lostSpans(traced)} spans dropped or failed to export`);
  } finally {
    for (const server of servers.reverse()) await server.stop();
    await sink.close();
    await database.drop();
  }
}

void main().catch((error: Error) => {
  console.error(error);
  process.exitCode = 1;
});
