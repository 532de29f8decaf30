import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { ConfigCenter } from '../config/config-center';
import { telemetry } from './telemetry';

/**
 * Ties the process's telemetry to the application: the sampling ratio follows
 * `tracing.sampleRatio` live, and queued spans are exported when the application closes.
 */
@Injectable()
export class TelemetryLifecycle implements OnModuleInit, OnApplicationShutdown {
  private subscription?: Subscription;

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
    this.subscription = this.center.changesOf('tracing').subscribe(({ previous, current }) => {
      started.setSampleRatio(current.sampleRatio);
      this.center.logger.info(
        { from: previous.sampleRatio, to: current.sampleRatio },
        'trace sampling ratio changed',
      );
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    try {
      await telemetry()?.flush();
    } catch (error) {
      this.center.logger.warn({ err: (error as Error).message }, 'exporting the last spans failed');
    }
  }
}
