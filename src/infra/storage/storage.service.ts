import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { ConfigCenter, type PreparedChange } from '@/config/config-center';
import { ReactsToConfig, type ConfigReaction } from '@/config/config-reaction';
import type { AppConfig } from '@/config/schema';
import { RequestScope } from '../generations/request-scope';
import type { Generation, Swappable } from '../generations/swappable';
import { closeStorage, describeStorage, openStorage, type StorageSet } from './storage.factory';
import { StorageUnavailable, type StorageBackend, type StoragePort } from './storage.port';

export const STORAGE_GENERATIONS = Symbol('STORAGE_GENERATIONS');
export type StorageGenerations = Swappable<StorageSet>;

const swaps = metrics.getMeter('msproject.generations').createCounter('generation.swaps', {
  description: 'Resources (database, redis) replaced by a config reload',
});

/**
 * The object storage of the current configuration: the default backend for new files and
 * every backend still configured, for the files already there. A request keeps the backends
 * it started with (a download in flight outlives a reload); a replaced backend is closed
 * once the requests using it are done.
 *
 * On a change of `storage`, the new backends are built and probed before the switch; a
 * backend that fails its probe rejects the reload and the old ones keep serving.
 */
@Injectable()
@ReactsToConfig('storage')
export class Storage implements ConfigReaction, OnModuleInit, OnApplicationShutdown {
  readonly reactionName = 'storage';

  constructor(
    private readonly center: ConfigCenter,
    private readonly scope: RequestScope,
    @Inject(STORAGE_GENERATIONS) private readonly generations: StorageGenerations,
  ) {}

  onModuleInit(): void {
    this.scope.register(this.generations as Swappable<unknown>);
  }

  private get current(): StorageSet {
    return this.scope.resolve(this.generations);
  }

  /** Where a new file goes. */
  get defaultBackend(): StorageBackend {
    return this.current.defaultBackend;
  }

  /** The backend a file was written to; unavailable when its config was removed. */
  backend(name: string): StoragePort {
    const adapter = this.current.adapters.get(name as StorageBackend);
    if (!adapter) throw new StorageUnavailable(`storage backend ${name} is not configured`);
    return adapter;
  }

  /** Every configured backend. */
  all(): StoragePort[] {
    return [...this.current.adapters.values()];
  }

  async prepare(next: AppConfig): Promise<PreparedChange> {
    const live = this.generations.current.resource;
    const opened = await openStorage(next.storage, live);
    let previous: Generation<StorageSet>;
    return {
      commit: () => {
        previous = this.generations.switchTo(opened, describeStorage(opened));
        swaps.add(1, { resource: 'storage' });
      },
      release: () => closeStorage(opened, this.generations.current.resource),
      retire: async () => {
        const report = await this.generations.retire(previous, next.storage.drainTimeoutMs);
        const level = report.drained ? 'info' : 'warn';
        this.center.logger[level]({ resource: 'storage', ...report }, 'old generation retired');
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.center.settled();
    this.scope.unregister(this.generations as Swappable<unknown>);
    const last = this.generations.current;
    await last.idle(this.center.config.storage.drainTimeoutMs);
    await closeStorage(last.resource);
  }
}
