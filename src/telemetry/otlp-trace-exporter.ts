import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import { TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { FastProtobufTraceSerializer } from './otlp-trace-serializer';

/**
 * OTLP/HTTP protobuf span export, as `@opentelemetry/exporter-trace-otlp-proto` does it (the
 * same transport, retries, headers, timeout and compression from the OTEL_EXPORTER_OTLP_*
 * variables), with the cheaper serializer of otlp-trace-serializer.ts.
 */
export function createOtlpTraceExporter(url: string): SpanExporter {
  const options = convertLegacyHttpOptions({ url }, 'TRACES', 'v1/traces', {
    'Content-Type': 'application/x-protobuf',
  });
  return new OTLPExporterBase<ReadableSpan[]>(
    createOtlpHttpExportDelegate(
      options,
      FastProtobufTraceSerializer,
      'otlp_http_span_exporter',
      TraceExporterMetricsHelper,
      // The exporter's own metrics stay off, as they were: the span processor counts drops.
      undefined,
    ),
  );
}
