import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigCenter, type PreparedChange } from '../config/config-center';
import { ReactsToConfig, type ConfigReaction } from '../config/config-reaction';
import type { AppConfig } from '../config/schema';
import { telemetry } from './telemetry';

/**
 * Ties the process's telemetry to the application: the sampling ratio follows
 * `tracing.sampleRatio` live, and queued spans are exported when the application closes.
 */
@Injectable()
@ReactsToConfig('tracing')
export class TelemetryLifecycle implements ConfigReaction, OnModuleInit, OnApplicationShutdown {
  constructor(private readonly center: ConfigCenter) {}

  onModuleInit(): void {
    const started = telemetry();
    const ratio = this.center.config.tracing.sampleRatio;
    if (!started?.tracing) {
      this.center.logger.info({ exporter: started?.target ?? 'none' }, 'tracing off');
      return;
    }
    started.setSampleRatio(ratio);
    this.center.logger.info({ exporter: started.target, sampleRatio: ratio }, 'tracing on');
  }

  /** The sampler follows `tracing.sampleRatio` from the switch on. */
  prepare(next: AppConfig, previous: AppConfig): PreparedChange {
    return {
      commit: () => {
        const started = telemetry();
        if (!started?.tracing) return;
        started.setSampleRatio(next.tracing.sampleRatio);
        this.center.logger.info(
          { from: previous.tracing.sampleRatio, to: next.tracing.sampleRatio },
          'trace sampling ratio changed',
        );
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      await telemetry()?.flush();
    } catch (error) {
      this.center.logger.warn({ err: (error as Error).message }, 'exporting the last spans failed');
    }
  }
}
