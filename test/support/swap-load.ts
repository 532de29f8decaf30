import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'yaml';
import type { ReloadAttempt } from '@/config/config-center';
import { mergeDeep, type TestApp } from './app';

export interface SwapLoadOptions {
  /** Concurrent clients. */
  clients: number;
  durationMs: number;
  /** Pause between config flips; 0 for no flips (steady state). */
  flipEveryMs: number;
  /** The config patches flipped between, in turn. */
  patches: Record<string, unknown>[];
  /** What each client does in a loop; resolves true when the request succeeded. */
  request: (client: number, sequence: number) => Promise<boolean>;
}

export interface RetirementLog {
  resource: string;
  drained: boolean;
  drainMs: number;
  leftLeases: number;
}

export interface SwapLoadResult {
  requests: number;
  failures: number;
  swaps: ReloadAttempt[];
  /** Latencies (ms) of requests that started while no swap was in progress. */
  steady: number[];
  /** Latencies (ms) of requests that started while a swap was being prepared or drained. */
  duringSwaps: number[];
  retirements: RetirementLog[];
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Drives `clients` concurrent request loops for `durationMs` while the config flips between
 * `patches` every `flipEveryMs`, and reports failures, latencies and how each old generation
 * drained.
 */
export async function runSwapLoad(app: TestApp, options: SwapLoadOptions): Promise<SwapLoadResult> {
  const result: SwapLoadResult = {
    requests: 0,
    failures: 0,
    swaps: [],
    steady: [],
    duringSwaps: [],
    retirements: [],
  };
  let swapping = 0;
  const logsBefore = app.logs.lines.length;
  const deadline = Date.now() + options.durationMs;

  const clients = Array.from({ length: options.clients }, async (_, client) => {
    for (let sequence = 0; Date.now() < deadline; sequence++) {
      const duringSwap = swapping > 0;
      const started = performance.now();
      let ok = false;
      try {
        ok = await options.request(client, sequence);
      } catch {
        ok = false;
      }
      const elapsed = performance.now() - started;
      result.requests++;
      if (!ok) result.failures++;
      (duringSwap ? result.duringSwaps : result.steady).push(elapsed);
    }
  });

  const flipper = (async () => {
    if (options.flipEveryMs <= 0) return;
    // One flip every `flipEveryMs`, counted from the start of the previous one; the old
    // generation drains in the background meanwhile.
    let next = Date.now() + options.flipEveryMs;
    for (let flip = 1; next < deadline; flip++) {
      await delay(Math.max(0, next - Date.now()));
      next += options.flipEveryMs;
      const patch = options.patches[flip % options.patches.length];
      swapping++;
      const attempt = await app.center.apply(
        stringify(mergeDeep(app.center.config, patch)),
        'file',
      );
      result.swaps.push(attempt);
      void app.center.settled().finally(() => swapping--);
    }
  })();

  await Promise.all([...clients, flipper]);
  await app.center.settled();
  result.retirements = app.logs.lines
    .slice(logsBefore)
    .map((line) => JSON.parse(line) as RetirementLog & { msg: string })
    .filter((entry) => entry.msg === 'old generation retired');
  return result;
}
