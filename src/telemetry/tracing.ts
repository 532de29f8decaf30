import {
  context,
  createNoopMeter,
  diag,
  propagation,
  trace,
  type MeterProvider,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import type { Resource } from '@opentelemetry/resources';
import Module from 'node:module';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  TracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { EncodingSpanProcessor, type EncodedSpanExporter } from './encoding-span-processor';
import { JaegerTraceHeaderPropagator } from './jaeger-trace-header.propagator';
import { LeafSpans, LightTracer } from './light-span';
import { useLightTracers } from './own-tracer';
import { LiveRatioSampler } from './live-ratio-sampler';
import { installRedisSpans } from './redis-spans';
import { installSqlSpans } from './sql-spans';
import { UNTRACED_GRPC_METHODS } from './untraced';

/**
 * The tracing half of the telemetry, loaded only when tracing is on: context manager,
 * propagators, sampler, span pipeline and the instrumentations, each listed explicitly.
 */

export interface TracingOptions {
  resource: Resource;
  /**
   * `encoding`: OTLP, each span encoded as it ends (encoding-span-processor.ts); `batch`: the
   * SDK's batching, for the other exporters; `simple` exports every span as it ends: for
   * tests, never under load.
   */
  export:
    | { processor: 'encoding'; exporter: EncodedSpanExporter }
    | { processor: 'batch' | 'simple'; exporter: SpanExporter };
  /** Receives the span processor's own counters (queue size, dropped and exported spans). */
  selfObservability: MeterProvider;
  env: NodeJS.ProcessEnv;
}

export interface Tracing {
  provider: TracerProvider;
  sampler: LiveRatioSampler;
  /**
   * Ends the instrumentations' interception of `require` once the application has loaded
   * what they patch (see sealRequireHooks); idempotent.
   */
  sealRequireHooks(): void;
}

/** What an instrumentation patches, by module name. */
interface InstrumentedModules {
  getModuleDefinitions(): { name: string }[];
}

/**
 * The instrumentations patch modules as they load, through `require-in-the-middle`: a hook on
 * `Module.prototype.require` (and `process.getBuiltinModule`) that resolves every id again and
 * reads its package.json, on every call, for as long as the process lives. Libraries call
 * `require` on hot paths (mysql2 does, for every statement TypeORM runs), so once the
 * application has started, with every instrumented module loaded and patched, the original
 * functions are put back: the patches stay, the per-call interception goes.
 */
function requireHookSeal(): (instrumentations: readonly InstrumentedModules[]) => void {
  const originalRequire = Object.getOwnPropertyDescriptor(Module.prototype, 'require')!;
  const originalBuiltin = Object.getOwnPropertyDescriptor(process, 'getBuiltinModule');
  let sealed = false;
  return (instrumentations) => {
    if (sealed) return;
    sealed = true;
    // Through the hooks, so that a module not loaded yet is patched now.
    for (const instrumentation of instrumentations)
      for (const { name } of instrumentation.getModuleDefinitions())
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(name);
    Object.defineProperty(Module.prototype, 'require', originalRequire);
    if (originalBuiltin) Object.defineProperty(process, 'getBuiltinModule', originalBuiltin);
  };
}

/** Query parameters of outgoing calls whose values never reach a span (server spans record no query). */
const REDACTED_QUERY_PARAMETERS = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'api_key',
  'apiKey',
  'captcha',
  'code',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
];

function positiveInteger(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/**
 * Sized so that nothing is dropped at a few thousand requests per second with four spans
 * each: batches leave as soon as 1024 spans are waiting, or after a second.
 */
function batchOptions(env: NodeJS.ProcessEnv) {
  const maxQueueSize = positiveInteger(env.OTEL_BSP_MAX_QUEUE_SIZE, 16_384);
  return {
    maxQueueSize,
    maxExportBatchSize: Math.min(
      maxQueueSize,
      positiveInteger(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 1_024),
    ),
    scheduledDelayMillis: positiveInteger(env.OTEL_BSP_SCHEDULE_DELAY, 1_000),
    exportTimeoutMillis: positiveInteger(env.OTEL_BSP_EXPORT_TIMEOUT, 10_000),
  };
}

/** W3C trace context and baggage, plus Jaeger's header for old clients (`OTEL_PROPAGATORS`). */
export function createPropagator(setting: string | undefined): TextMapPropagator {
  const names = (setting ?? 'tracecontext,baggage,jaeger')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const propagators: TextMapPropagator[] = [];
  // Jaeger first: a W3C `traceparent` on the same request wins.
  if (names.includes('jaeger')) propagators.push(new JaegerTraceHeaderPropagator());
  if (names.includes('tracecontext')) propagators.push(new W3CTraceContextPropagator());
  if (names.includes('baggage')) propagators.push(new W3CBaggagePropagator());
  const unknown = names.filter(
    (name) => !['jaeger', 'tracecontext', 'baggage', 'none'].includes(name),
  );
  if (unknown.length)
    diag.warn(`unsupported OTEL_PROPAGATORS entries ignored: ${unknown.join(', ')}`);
  return new CompositePropagator({ propagators });
}

export function startTracing(options: TracingOptions): Tracing {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(createPropagator(options.env.OTEL_PROPAGATORS));

  const sampler = new LiveRatioSampler(1);
  const chosen = options.export;
  const selfObsMeterProvider = options.selfObservability;
  const processor: SpanProcessor =
    chosen.processor === 'encoding'
      ? new EncodingSpanProcessor({
          exporter: chosen.exporter,
          ...batchOptions(options.env),
          selfObsMeterProvider,
        })
      : chosen.processor === 'simple'
        ? new SimpleSpanProcessor({ exporter: chosen.exporter, selfObsMeterProvider })
        : new BatchSpanProcessor({
            exporter: chosen.exporter,
            ...batchOptions(options.env),
            selfObsMeterProvider,
          });
  const provider = new TracerProvider({
    resource: options.resource,
    sampler,
    spanProcessors: [processor],
  });
  trace.setGlobalTracerProvider(provider);
  // The application's own server and service spans (light-span.ts); the instrumentations'
  // spans stay the SDK's.
  const ownTracers = new Map<string, LightTracer>();
  useLightTracers((scopeName) => {
    let tracer = ownTracers.get(scopeName);
    if (!tracer) {
      tracer = new LightTracer(scopeName, options.resource, sampler, processor);
      ownTracers.set(scopeName, tracer);
    }
    return tracer;
  });

  // Node's own functions, before the instrumentations hook them.
  const sealRequireHooks = requireHookSeal();
  const instrumentations = [
    // Outgoing calls only: server spans come from Fastify hooks (http-telemetry.ts), at a
    // fraction of the cost of binding every request and response emitter to the context.
    new HttpInstrumentation({
      disableIncomingRequestInstrumentation: true,
      requireParentforOutgoingSpans: true,
      redactedQueryParams: REDACTED_QUERY_PARAMETERS,
    }),
    new GrpcInstrumentation({ ignoreGrpcMethods: UNTRACED_GRPC_METHODS }),
    // Trace and span ids on every log line; the lines themselves stay on stdout.
    new PinoInstrumentation({ disableLogSending: true }),
  ];
  // Request metrics are the application's own (see http-telemetry.ts): none from these.
  const noMetrics: MeterProvider = { getMeter: () => createNoopMeter() };
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(provider);
    instrumentation.setMeterProvider(noMetrics);
  }
  // SQL statements and Redis commands: spans only inside a sampled trace (see these files).
  installSqlSpans(new LeafSpans(processor, 'msproject.mysql2'));
  installRedisSpans(new LeafSpans(processor, 'msproject.ioredis'));
  return { provider, sampler, sealRequireHooks: () => sealRequireHooks(instrumentations) };
}
