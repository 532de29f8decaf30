import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { OpenTelemetryModule } from 'nestjs-otel';
import { MetricsController } from './metrics.controller';
import { RpcMetricsInterceptor } from './rpc-metrics.interceptor';
import { TelemetryLifecycle } from './telemetry.lifecycle';

/**
 * `@Span`, `TraceService` and `MetricService` (nestjs-otel) on the SDK that
 * src/telemetry/register.ts started, `GET /metrics`, gRPC call metrics, and live sampling.
 * HTTP spans are named and counted by hooks on Fastify (see http-telemetry.ts).
 */
@Global()
@Module({
  imports: [OpenTelemetryModule.forRoot({ metrics: { hostMetrics: false } })],
  controllers: [MetricsController],
  providers: [TelemetryLifecycle, { provide: APP_INTERCEPTOR, useClass: RpcMetricsInterceptor }],
})
export class TelemetryModule {}
