import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '../common/api-docs';
import { Public } from '../common/public.decorator';
import { telemetry } from './telemetry';

/** Prometheus scrape endpoint: request metrics, config reloads, span pipeline counters. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  async scrape(): Promise<string> {
    const started = telemetry();
    if (!started) throw new ServiceUnavailableException('telemetry is not started in this process');
    return started.metricsText();
  }
}
