import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import type { ConfigCenter, PreparedChange } from '@/config/config-center';
import type { ConfigReaction } from '@/config/config-reaction';
import type { AppConfig } from '@/config/schema';
import type { RequestScope } from './request-scope';
import type { Generation, Swappable } from './swappable';

const meter = metrics.getMeter('msproject.generations');
const swaps = meter.createCounter('generation.swaps', {
  description: 'Resources (database, redis) replaced by a config reload',
});
/** Seconds; a drain ends when the last request using the old resource does, or at its timeout. */
const drains = meter.createHistogram('generation.drain.duration', {
  unit: 's',
  description: 'Time an old generation took to drain before closing, by resource and outcome',
  advice: { explicitBucketBoundaries: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] },
});

/**
 * Owner of one swappable resource (a DataSource, a Redis client) in the config center's
 * reload: builds and probes the new generation (`open` throws when it cannot serve),
 * switches to it, and retires the old one once drained.
 */
export abstract class GenerationReloader<T>
  implements ConfigReaction, OnModuleInit, OnApplicationShutdown
{
  protected constructor(
    private readonly resource: string,
    protected readonly center: ConfigCenter,
    protected readonly scope: RequestScope,
    private readonly generations: Swappable<T>,
  ) {}

  protected abstract open(config: AppConfig): Promise<T>;
  protected abstract close(resource: T): Promise<void>;
  protected abstract label(config: AppConfig): string;
  protected abstract drainTimeoutMs(config: AppConfig): number;

  get reactionName(): string {
    return this.resource;
  }

  onModuleInit(): void {
    this.scope.register(this.generations as Swappable<unknown>);
  }

  /** Builds and probes the new generation; the switch happens at commit. */
  async prepare(next: AppConfig): Promise<PreparedChange> {
    const opened = await this.open(next);
    let previous: Generation<T>;
    return {
      commit: () => {
        previous = this.generations.switchTo(opened, this.label(next));
        swaps.add(1, { resource: this.resource });
      },
      release: () => this.close(opened),
      retire: async () => {
        const report = await this.generations.retire(previous, this.drainTimeoutMs(next));
        drains.record(report.drainMs / 1000, {
          resource: this.resource,
          drained: report.drained,
        });
        const level = report.drained ? 'info' : 'warn';
        this.center.logger[level]({ resource: this.resource, ...report }, 'old generation retired');
      },
    };
  }

  /** After HTTP and gRPC have drained and the config center has stopped reloading. */
  async onApplicationShutdown(): Promise<void> {
    await this.center.settled();
    this.scope.unregister(this.generations as Swappable<unknown>);
    await this.generations.closeCurrent(this.drainTimeoutMs(this.center.config));
  }
}
