import { Global, Module } from '@nestjs/common';
import { OpenTelemetryModule } from 'nestjs-otel';
import { MetricsController } from './metrics.controller';
import { TelemetryLifecycle } from './telemetry.lifecycle';

/**
 * `@Span`, `TraceService` and `MetricService` (nestjs-otel) on the SDK that
 * src/telemetry/register.ts started, `GET /metrics` and live sampling (gRPC call metrics come
 * from a grpc-js interceptor, see grpc.options.ts).
 * HTTP spans are named and counted by hooks on Fastify (see http-telemetry.ts).
 */
@Global()
@Module({
  imports: [OpenTelemetryModule.forRoot({ metrics: { hostMetrics: false } })],
  controllers: [MetricsController],
  providers: [TelemetryLifecycle],
})
export class TelemetryModule {}
