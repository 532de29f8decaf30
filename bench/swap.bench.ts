/**
 * Requests, failures and latency of a DB + Redis workload in steady state and while the
 * config flips DB (replicated ↔ primary only) and Redis (6379 ↔ 6380) every 700 ms, with
 * the drain time of every retired generation. Needs the replica pair and the second Redis
 * (`bash scripts/services.sh`).
 *
 *   npm run bench:swap
 */
import { startTestApp } from '../test/support/app';
import { NotesModule } from '../test/support/notes.module';
import { createReplicatedDatabase, replicatedDb } from '../test/support/replica';
import { percentile, runSwapLoad, type SwapLoadResult } from '../test/support/swap-load';

const CLIENTS = 40;
const DURATION_MS = 10_000;

function summary(name: string, result: SwapLoadResult, seconds: number) {
  const all = [...result.steady, ...result.duringSwaps];
  const line = (label: string, values: number[]) =>
    `${label} n=${values.length} p50 ${percentile(values, 50).toFixed(1)} ms p99 ${percentile(values, 99).toFixed(1)} ms`;
  console.log(
    `${name}: ${result.requests} requests (${(result.requests / seconds).toFixed(0)} req/s), ` +
      `${result.failures} failed, ${result.swaps.length} swaps`,
  );
  console.log(`  ${line('all', all)}`);
  if (result.swaps.length) {
    console.log(`  ${line('steady', result.steady)}`);
    console.log(`  ${line('during swaps', result.duringSwaps)}`);
    for (const resource of ['database', 'redis']) {
      const drains = result.retirements
        .filter((retirement) => retirement.resource === resource)
        .map((retirement) => retirement.drainMs);
      console.log(
        `  ${resource} drain: n=${drains.length} p50 ${percentile(drains, 50)} ms max ${Math.max(...drains)} ms, ` +
          `undrained ${result.retirements.filter((r) => r.resource === resource && !r.drained).length}`,
      );
    }
  }
}

async function main() {
  const database = await createReplicatedDatabase();
  const app = await startTestApp({
    config: { db: replicatedDb(database.name), log: { level: 'warn' } },
    imports: [NotesModule],
  });
  const request = async (client: number, sequence: number) => {
    const response = await fetch(`${app.baseUrl}/test-notes/mixed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: `c${client}-${sequence}` }),
    });
    const body = (await response.json()) as { found?: boolean };
    return response.status === 201 && body.found === true;
  };
  try {
    const steady = await runSwapLoad(app, {
      clients: CLIENTS,
      durationMs: DURATION_MS,
      flipEveryMs: 0,
      patches: [],
      request,
    });
    summary('steady state (no swaps)', steady, DURATION_MS / 1000);
    app.center.logger.level = 'info';
    const swapping = await runSwapLoad(app, {
      clients: CLIENTS,
      durationMs: DURATION_MS,
      flipEveryMs: 700,
      patches: [
        { db: replicatedDb(database.name), redis: { port: 6379 }, log: { level: 'info' } },
        { db: replicatedDb(database.name, false), redis: { port: 6380 }, log: { level: 'info' } },
      ],
      request,
    });
    summary('swapping every 700 ms', swapping, DURATION_MS / 1000);
  } finally {
    await app.close();
    await database.drop();
  }
}

void main();
