import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * One memory-reducing collection: garbage goes, and the young generation, which start-up's
 * allocations grow to its maximum, shrinks back. V8 shrinks it by itself only under memory
 * pressure, so an idle process would keep it resident. The collection is not exposed to the
 * application's code (no global `gc`).
 */
export function settleMemory(): void {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as Collect;
  setFlagsFromString('--no-expose-gc');
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** `settleMemory` once, a while after the process starts serving. */
export function settleMemoryAfterStart(delayMs = 1_000): void {
  setTimeout(settleMemory, delayMs).unref();
}
