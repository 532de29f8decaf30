import type { ConsoleSpanExporter, SpanExporter } from '@opentelemetry/sdk-trace';
import type { JaegerExporter } from '@opentelemetry/exporter-jaeger';
import type { EncodedSpanExporter } from './encoding-span-processor';
import type { createOtlpTraceExporter } from './otlp-trace-exporter';

export type SpanExporterKind = 'otlp' | 'jaeger' | 'console';

export const DEFAULT_OTLP_TRACES_URL = 'http://localhost:4318/v1/traces';
export const DEFAULT_JAEGER_URL = 'http://localhost:14268/api/traces';

/**
 * The configured exporter: OTLP takes spans already encoded (its own processor encodes each one
 * as it ends), the others take the SDK's spans.
 */
export type ChosenExporter = {
  /** Where spans go, for the start-up log line. */
  target: string;
} & ({ exporter: SpanExporter } | { encodedExporter: EncodedSpanExporter });

/**
 * The OTLP traces URL: the standard variables win over the bootstrap file, as every
 * environment override does.
 */
export function otlpTracesUrl(endpoint: string | undefined, env: NodeJS.ProcessEnv): string {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  }
  return endpoint ?? DEFAULT_OTLP_TRACES_URL;
}

/** Builds the exporter; its package loads only when chosen (none with tracing off). */
export function createSpanExporter(
  kind: SpanExporterKind,
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv,
): ChosenExporter {
  switch (kind) {
    case 'otlp': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const otlp = require('./otlp-trace-exporter') as {
        createOtlpTraceExporter: typeof createOtlpTraceExporter;
      };
      const url = otlpTracesUrl(endpoint, env);
      // Headers, timeout and compression still come from the OTEL_EXPORTER_OTLP_* variables.
      return { encodedExporter: otlp.createOtlpTraceExporter(url), target: `otlp ${url}` };
    }
    case 'jaeger': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const jaeger = require('@opentelemetry/exporter-jaeger') as {
        JaegerExporter: typeof JaegerExporter;
      };
      // Always an HTTP endpoint: without one the exporter falls back to UDP, which drops
      // spans silently when nothing listens.
      const url = env.OTEL_EXPORTER_JAEGER_ENDPOINT || endpoint || DEFAULT_JAEGER_URL;
      return {
        // Its shutdown waits on an uncleared flushTimeout timer (2 s by default).
        exporter: new jaeger.JaegerExporter({ endpoint: url, flushTimeout: 300 }),
        target: `jaeger ${url}`,
      };
    }
    case 'console': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@opentelemetry/sdk-trace') as {
        ConsoleSpanExporter: typeof ConsoleSpanExporter;
      };
      return { exporter: new sdk.ConsoleSpanExporter(), target: 'console' };
    }
  }
}
