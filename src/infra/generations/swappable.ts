import { setTimeout as delay } from 'node:timers/promises';

export interface GenerationCloser<T> {
  (resource: T): Promise<void>;
}

/** One built set of resources (a DataSource, a Redis client) and who is using it. */
export class Generation<T> {
  private leases = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly id: number,
    readonly resource: T,
    readonly label: string,
  ) {}

  get activeLeases(): number {
    return this.leases;
  }

  acquire(): () => void {
    this.leases++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.leases--;
      if (this.leases === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
  }

  /** Resolves true once no lease is held, or false when `timeoutMs` passes first. */
  async idle(timeoutMs: number): Promise<boolean> {
    if (this.leases === 0) return true;
    const abort = new AbortController();
    const drained = new Promise<true>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const timedOut = delay(timeoutMs, false, { signal: abort.signal }).catch(() => false as const);
    const result = await Promise.race([drained, timedOut]);
    abort.abort();
    return result;
  }
}

export interface RetireReport {
  label: string;
  drained: boolean;
  drainMs: number;
  leftLeases: number;
}

/**
 * A resource that a config reload can replace while requests keep running. Each request pins
 * the current generation for its whole life (see RequestScope); after a switch the old
 * generation is closed only once its last user is done, or when the drain timeout passes.
 */
export class Swappable<T> {
  private generation: Generation<T>;
  private nextId = 1;

  constructor(
    readonly name: string,
    first: T,
    firstLabel: string,
    private readonly close: GenerationCloser<T>,
  ) {
    this.generation = new Generation(this.nextId++, first, firstLabel);
  }

  get current(): Generation<T> {
    return this.generation;
  }

  /** Makes `resource` current and returns the generation it replaced. Synchronous. */
  switchTo(resource: T, label: string): Generation<T> {
    const previous = this.generation;
    this.generation = new Generation(this.nextId++, resource, label);
    return previous;
  }

  /** Waits for the users of `old` (at most `drainTimeoutMs`), then closes it. */
  async retire(old: Generation<T>, drainTimeoutMs: number): Promise<RetireReport> {
    const started = Date.now();
    const drained = await old.idle(drainTimeoutMs);
    const report = {
      label: old.label,
      drained,
      drainMs: Date.now() - started,
      leftLeases: old.activeLeases,
    };
    await this.close(old.resource);
    return report;
  }

  /** Closes the current generation: at shutdown, after requests have finished. */
  async closeCurrent(drainTimeoutMs: number): Promise<void> {
    await this.retire(this.generation, drainTimeoutMs);
  }
}
