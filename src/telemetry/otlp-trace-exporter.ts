import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import {
  ProtobufTraceSerializer,
  type IExportTraceServiceResponse,
  type ISerializer,
} from '@opentelemetry/otlp-transformer';
import type { EncodedSpans } from './encoding-span-processor';

/** The request is already encoded, span by span, by the processor (encoding-span-processor.ts). */
const EncodedTraceSerializer: ISerializer<EncodedSpans, IExportTraceServiceResponse> = {
  serializeRequest: (batch) => batch.bytes,
  deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
};

/**
 * OTLP/HTTP protobuf span export, as `@opentelemetry/exporter-trace-otlp-proto` does it (the
 * same transport, retries, headers, timeout and compression from the OTEL_EXPORTER_OTLP_*
 * variables), for batches the span processor has already encoded.
 */
export function createOtlpTraceExporter(url: string): OTLPExporterBase<EncodedSpans> {
  const options = convertLegacyHttpOptions({ url }, 'TRACES', 'v1/traces', {
    'Content-Type': 'application/x-protobuf',
  });
  return new OTLPExporterBase<EncodedSpans>(
    createOtlpHttpExportDelegate(
      options,
      EncodedTraceSerializer,
      'otlp_http_span_exporter',
      { name: 'span', countItems: (batch) => batch.length },
      // The exporter's own metrics stay off, as they were: the span processor counts drops.
      undefined,
    ),
  );
}
