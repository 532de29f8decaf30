import type { Server } from 'node:http';

/**
 * Resolves with `read()` once `predicate` holds for it, re-checking whenever the receiver
 * calls one of `waiters` (after each batch it receives).
 */
export function waitForBatches<T>(
  waiters: Set<() => void>,
  read: () => T[],
  predicate: (items: T[]) => boolean,
  describe: (item: T) => string,
  timeoutMs: number,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const items = read();
      if (!predicate(items)) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(items);
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`spans not received in time; have ${read().map(describe).join(', ')}`));
    }, timeoutMs);
    waiters.add(check);
    check();
  });
}

export async function closeReceiver(server: Server | undefined): Promise<void> {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}
