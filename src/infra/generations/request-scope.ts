import { AsyncLocalStorage } from 'node:async_hooks';
import type { Generation, Swappable } from './swappable';

interface ScopeState {
  pinned: Map<Swappable<unknown>, Generation<unknown>>;
  releases: (() => void)[];
  /** Parties still using the unit of work (the response, the handler); leases end at 0. */
  holders: number;
  /** Set once the unit of work used the primary: its later reads follow it there. */
  usedPrimary: boolean;
}

/**
 * The unit of work (an HTTP request, a gRPC call, a background job) and what it has pinned:
 * one generation of every swappable resource, for its whole life, and whether it has written.
 */
export class RequestScope {
  private readonly storage = new AsyncLocalStorage<ScopeState>();
  private readonly swappables = new Set<Swappable<unknown>>();

  register(swappable: Swappable<unknown>): void {
    this.swappables.add(swappable);
  }

  unregister(swappable: Swappable<unknown>): void {
    this.swappables.delete(swappable);
  }

  /** True inside a unit of work. */
  get active(): boolean {
    return this.storage.getStore() !== undefined;
  }

  /**
   * Opens a unit of work that pins the current generation of every resource and returns the
   * function that ends it. `run` executes inside it. Nested calls join the outer unit.
   */
  open<R>(run: () => R): { result: R; end: () => void } {
    const outer = this.storage.getStore();
    if (outer) return { result: run(), end: () => undefined };
    const state: ScopeState = { pinned: new Map(), releases: [], holders: 0, usedPrimary: false };
    for (const swappable of this.swappables) {
      const generation = swappable.current;
      state.pinned.set(swappable, generation);
      state.releases.push(generation.acquire());
    }
    const end = this.hold(state);
    return { result: this.storage.run(state, run), end };
  }

  /**
   * Keeps the current unit of work's generations pinned until the returned function is
   * called, even if whoever opened it ends first (a client that disconnects while its
   * handler still runs).
   */
  retain(): () => void {
    const state = this.storage.getStore();
    return state ? this.hold(state) : () => undefined;
  }

  private hold(state: ScopeState): () => void {
    state.holders++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--state.holders === 0) for (const release of state.releases) release();
    };
  }

  /** Runs `work` (a job, a consumer callback) as one unit of work. */
  async run<R>(work: () => Promise<R>): Promise<R> {
    const { result, end } = this.open(work);
    try {
      return await result;
    } finally {
      end();
    }
  }

  /** The generation this unit of work pinned, or the current one outside a unit of work. */
  resolve<T>(swappable: Swappable<T>): T {
    const pinned = this.storage.getStore()?.pinned.get(swappable as Swappable<unknown>);
    return (pinned ?? swappable.current).resource as T;
  }

  markUsedPrimary(): void {
    const state = this.storage.getStore();
    if (state) state.usedPrimary = true;
  }

  get usedPrimary(): boolean {
    return this.storage.getStore()?.usedPrimary ?? false;
  }
}
