import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DiagLogLevel, diag, metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import {
  detectResources,
  envDetector,
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { loadBootstrap, type BootstrapConfig } from '../config/bootstrap';
import { ThrottledDiagLogger } from './diag-logger';
import { createSpanExporter, type ChosenExporter } from './span-exporter';
import type { Tracing } from './tracing';

export interface TelemetryOptions {
  /** Read from config/ and the environment when absent. */
  bootstrap?: BootstrapConfig;
  env?: NodeJS.ProcessEnv;
  /**
   * Replaces the configured exporter, whatever `telemetry.exporter` says: spans go to it one
   * by one as they end. For tests (an InMemorySpanExporter).
   */
  spanExporter?: SpanExporter;
}

export interface Telemetry {
  readonly resource: Resource;
  /** Where spans go (`otlp http://…`, `jaeger …`, `console`), or `none` when tracing is off. */
  readonly target: string;
  /** Present when tracing is on. */
  readonly tracing?: Tracing;
  /** The root sampling ratio; ignored when tracing is off. */
  setSampleRatio(ratio: number): void;
  /** Every metric of the process in the Prometheus text format. */
  metricsText(): Promise<string>;
  /** Exports the spans still queued (and pushes metrics, when they are pushed). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let started: Telemetry | undefined;

/** The process's telemetry, once `startTelemetry` ran (src/telemetry/register.ts). */
export function telemetry(): Telemetry | undefined {
  return started;
}

/** The application's version, from the package.json above the compiled file. */
export function serviceVersion(): string {
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate)) {
      const { name, version } = JSON.parse(readFileSync(candidate, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (name === 'msproject' && version) return version;
    }
    if (dirname(directory) === directory) return '0.0.0';
  }
}

function buildResource(bootstrap: BootstrapConfig): Resource {
  const { name, profile } = bootstrap.app;
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win, as the standard says.
  return resourceFromAttributes({
    'service.name': name,
    'service.version': serviceVersion(),
    'deployment.environment': profile,
    'deployment.environment.name': profile,
  }).merge(detectResources({ detectors: [envDetector] }));
}

function otlpMetricReader(env: NodeJS.ProcessEnv): MetricReader {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { OTLPMetricExporter } =
    require('@opentelemetry/exporter-metrics-otlp-proto') as typeof import('@opentelemetry/exporter-metrics-otlp-proto');
  const { PeriodicExportingMetricReader } =
    require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL) || 60_000;
  return new PeriodicExportingMetricReader({
    // Endpoint, headers and temporality from the OTEL_EXPORTER_OTLP_* variables.
    exporter: new OTLPMetricExporter(),
    exportIntervalMillis: interval,
    exportTimeoutMillis: Math.min(interval, Number(env.OTEL_METRIC_EXPORT_TIMEOUT) || 30_000),
  });
}

/**
 * Starts the process's telemetry, once: metrics always (Prometheus text at /metrics, plus
 * OTLP when OTEL_METRICS_EXPORTER names it), tracing when an exporter is configured. Must
 * run before anything loads http, @grpc/grpc-js, mysql2, ioredis or pino, and before the
 * config center creates its counters: the metrics API has no late binding.
 */
export function startTelemetry(options: TelemetryOptions = {}): Telemetry {
  if (started) return started;
  const env = options.env ?? process.env;
  const bootstrap = options.bootstrap ?? loadBootstrap({ env });
  diag.setLogger(new ThrottledDiagLogger(), DiagLogLevel.WARN);

  const resource = buildResource(bootstrap);
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const readers: MetricReader[] = [prometheus];
  if (/(^|,)\s*otlp\s*(,|$)/.test(env.OTEL_METRICS_EXPORTER ?? ''))
    readers.push(otlpMetricReader(env));
  const meterProvider = new MeterProvider({ resource, readers });
  const serializer = new PrometheusSerializer();

  const kind = bootstrap.telemetry.exporter;
  const disabled = /^true$/i.test(env.OTEL_SDK_DISABLED ?? '');
  let tracing: Tracing | undefined;
  let target = 'none';
  if (options.spanExporter || (kind !== 'none' && !disabled)) {
    const chosen: ChosenExporter = options.spanExporter
      ? { exporter: options.spanExporter, target: 'test exporter' }
      : createSpanExporter(kind as Exclude<typeof kind, 'none'>, bootstrap.telemetry.endpoint, env);
    // Loaded only now: with tracing off no instrumentation is even required.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startTracing } = require('./tracing') as typeof import('./tracing');
    tracing = startTracing({
      resource,
      export:
        'encodedExporter' in chosen
          ? { processor: 'encoding', exporter: chosen.encodedExporter }
          : { processor: options.spanExporter ? 'simple' : 'batch', exporter: chosen.exporter },
      selfObservability: meterProvider,
      env,
    });
    target = chosen.target;
  }
  // After the instrumentations exist, so that they bind to no meter: request metrics are ours.
  metrics.setGlobalMeterProvider(meterProvider);

  started = {
    resource,
    target,
    tracing,
    setSampleRatio: (ratio) => tracing?.sampler.setRatio(ratio),
    metricsText: async () => {
      const { resourceMetrics, errors } = await prometheus.collect();
      if (errors.length) diag.error('metrics collection failed', ...errors);
      return serializer.serialize(resourceMetrics);
    },
    flush: async () => {
      await Promise.all([tracing?.provider.forceFlush(), meterProvider.forceFlush()]);
    },
    shutdown: async () => {
      await Promise.allSettled([tracing?.provider.shutdown(), meterProvider.shutdown()]);
    },
  };
  return started;
}
