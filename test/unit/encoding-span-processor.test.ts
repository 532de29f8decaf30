import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SpanKind, type Span } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  EncodingSpanProcessor,
  type EncodedSpanExporter,
  type EncodedSpans,
} from '@/telemetry/encoding-span-processor';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Keeps what it is asked to send; `hold` leaves the exports unanswered until `release`. */
class CapturingExporter implements EncodedSpanExporter {
  readonly batches: EncodedSpans[] = [];
  private held: (() => void)[] = [];
  hold = false;

  export(batch: EncodedSpans, done: (result: { code: ExportResultCode }) => void): void {
    this.batches.push(batch);
    const answer = () => done({ code: ExportResultCode.SUCCESS });
    if (this.hold) this.held.push(answer);
    else answer();
  }

  release(): void {
    this.hold = false;
    for (const answer of this.held.splice(0)) answer();
  }

  async shutdown(): Promise<void> {}
}

function pipeline(
  options: { maxQueueSize?: number; maxExportBatchSize?: number; reference?: boolean } = {},
) {
  const exporter = new CapturingExporter();
  const reference = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const processor = new EncodingSpanProcessor({
    exporter,
    maxQueueSize: options.maxQueueSize ?? 100,
    maxExportBatchSize: options.maxExportBatchSize ?? 10,
    scheduledDelayMillis: 3_600_000,
    exportTimeoutMillis: 10_000,
    selfObsMeterProvider: meterProvider,
  });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'msproject' }),
    // The reference exporter keeps every span it is given.
    spanProcessors:
      options.reference === false
        ? [processor]
        : [processor, new SimpleSpanProcessor({ exporter: reference })],
  });
  const tracers = [provider.getTracer('msproject.http'), provider.getTracer('msproject.mysql2')];
  let counter = 0;
  const endSpan = (): Span => {
    const tracer = tracers[counter % 2];
    const span = tracer.startSpan(`span ${counter++}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.query.text': `SELECT ${counter}`, 'ünï.cödé': '😀' },
    });
    span.end();
    return span;
  };
  /** `otel.sdk.processor.span.processed`, by its error type ('' for exported). */
  const processed = async (): Promise<Record<string, number>> => {
    await reader.forceFlush();
    const counts: Record<string, number> = {};
    for (const { scopeMetrics } of metricExporter.getMetrics().slice(-1))
      for (const { metrics } of scopeMetrics)
        for (const metric of metrics)
          if (metric.descriptor.name === 'otel.sdk.processor.span.processed')
            for (const point of metric.dataPoints) {
              const type = (point.attributes['error.type'] as string | undefined) ?? '';
              counts[type] = point.value as number;
            }
    return counts;
  };
  return { exporter, reference, processor, endSpan, processed };
}

describe('the encoding span processor (OTLP)', () => {
  it("sends each full batch as the bytes the OTLP exporter's own serializer writes", async () => {
    const { exporter, reference, endSpan } = pipeline({ maxExportBatchSize: 10 });
    for (let index = 0; index < 25; index++) endSpan();
    // Each export is answered at once; the next batch leaves once that answer is processed.
    await new Promise(setImmediate);
    assert.deepEqual(
      exporter.batches.map((batch) => batch.length),
      [10, 10],
    );
    const spans = reference.getFinishedSpans();
    exporter.batches.forEach((batch, index) => {
      const expected = ProtobufTraceSerializer.serializeRequest(
        spans.slice(index * 10, index * 10 + 10),
      )!;
      assert.ok(Buffer.from(batch.bytes).equals(Buffer.from(expected)), `batch ${index} differs`);
    });
  });

  it('sends what is left on a flush, and nothing twice', async () => {
    const { exporter, reference, processor, endSpan } = pipeline({ maxExportBatchSize: 10 });
    for (let index = 0; index < 13; index++) endSpan();
    await processor.forceFlush();
    assert.deepEqual(
      exporter.batches.map((batch) => batch.length),
      [10, 3],
    );
    const expected = ProtobufTraceSerializer.serializeRequest(
      reference.getFinishedSpans().slice(10),
    )!;
    assert.ok(Buffer.from(exporter.batches[1].bytes).equals(Buffer.from(expected)));
    await processor.forceFlush();
    assert.equal(exporter.batches.length, 2);
  });

  it('sends one batch at a time, and drops and counts the spans beyond its queue', async () => {
    const { exporter, processor, endSpan, processed } = pipeline({
      maxQueueSize: 30,
      maxExportBatchSize: 10,
    });
    exporter.hold = true;
    for (let index = 0; index < 45; index++) endSpan();
    // The first batch is out; the next two wait for it; the queue holds 30 spans in all.
    assert.equal(exporter.batches.length, 1);
    exporter.release();
    await processor.forceFlush();
    assert.deepEqual(
      exporter.batches.map((batch) => batch.length),
      [10, 10, 10],
    );
    assert.deepEqual(await processed(), { '': 30, queue_full: 15 });
  });

  it('keeps no span object once it has ended', async () => {
    const { exporter, endSpan } = pipeline({ maxExportBatchSize: 1000, reference: false });
    const ended = Array.from({ length: 50 }, () => new WeakRef(endSpan() as unknown as object));
    // A new WeakRef keeps its target until the current job ends.
    await new Promise(setImmediate);
    collectGarbage();
    assert.equal(exporter.batches.length, 0, 'the spans are still waiting for their batch');
    const alive = ended.filter((ref) => ref.deref() !== undefined).length;
    assert.equal(alive, 0, `${alive} of 50 ended spans are still reachable`);
  });
});
