import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { LightSpan, LightTracer } from '@/telemetry/light-span';
import { LiveRatioSampler } from '@/telemetry/live-ratio-sampler';
import { serializeTraceRequest, TraceRequestEncoder } from '@/telemetry/otlp-trace-serializer';

/**
 * Spans of every shape the SDK produces, from two tracers and two resources, and the same
 * from the application's light tracer (light-span.ts).
 */
function sampleSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const resources = [
    resourceFromAttributes({ 'service.name': 'msproject', 'service.version': '1.2.3' }),
    resourceFromAttributes({ 'service.name': 'другой', 'process.pid': 4_000_000_000 }),
  ];
  const longSql = `SELECT ${Array.from({ length: 60 }, (_, i) => `\`project\`.\`c${i}\``).join(', ')} FROM \`project\` WHERE id = ? LIMIT ?`;
  for (const resource of resources) {
    const provider = new TracerProvider({ resource, spanProcessors: [processor] });
    const light = new LightTracer('msproject.http', resource, new LiveRatioSampler(1), processor);
    for (const tracer of [
      provider.getTracer('msproject'),
      provider.getTracer('mysql2', '0.1'),
      light,
    ]) {
      const root = tracer.startSpan('GET /api/v1/projects', {
        kind: SpanKind.SERVER,
        attributes: {
          'http.route': '/api/v1/projects',
          'http.response.status_code': 200,
          'url.path': '/api/v1/projects/ünïcödé/😀',
        },
      });
      const parent = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
        traceState: new TraceState('vendor=value,other=1'),
      });
      const child = tracer.startSpan(
        'SELECT',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.query.text': longSql,
            'db.query.text.long': longSql.repeat(200),
            'server.port': 3306,
            negative: -42,
            huge: 2 ** 40,
            'very.negative': -(2 ** 40),
            ratio: 0.25,
            flag: true,
            off: false,
            words: ['a', 'ß', ''],
            numbers: [1, -1, 1.5],
            empty: '',
          },
          links: [{ context: root.spanContext(), attributes: { why: 'follows' } }],
        },
        parent,
      );
      child.addEvent('retry', { attempt: 2 });
      child.recordException(new Error('connection lost: ❌'));
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
      child.end();
      root.end([1_765_000_000, 123_456_789]);
    }
  }
  return exporter.getFinishedSpans();
}

describe('the OTLP protobuf trace serializer', () => {
  it('writes byte for byte what the OTLP exporter writes, for spans of every shape', () => {
    const spans = sampleSpans();
    assert.equal(spans.length, 12);
    assert.equal(spans.filter((span) => span instanceof LightSpan).length, 4);
    const ours = Buffer.from(serializeTraceRequest(spans));
    const reference = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    assert.ok(ours.length > 100_000, 'the batch is large enough to grow the buffer');
    assert.ok(ours.equals(reference), 'the encodings differ');
  });

  it('writes each batch whole, small after large', () => {
    const spans = sampleSpans();
    for (const batch of [spans, spans.slice(0, 1), [], spans.slice(2, 5)]) {
      const reference = Buffer.from(ProtobufTraceSerializer.serializeRequest(batch)!);
      assert.ok(Buffer.from(serializeTraceRequest(batch)).equals(reference));
    }
  });

  it('writes every batch of one encoder whole, its buffers used again by the next batch', () => {
    const spans = sampleSpans();
    const encoder = new TraceRequestEncoder();
    // Large first, then smaller ones, the groups meeting in another order.
    const batches = [spans, spans.slice(0, 2), [], [...spans].reverse(), spans.slice(3, 7)];
    const requests: Uint8Array[] = [];
    for (const batch of batches) {
      for (const span of batch) encoder.add(span);
      assert.equal(encoder.count, batch.length);
      requests.push(encoder.finish());
      assert.equal(encoder.count, 0);
    }
    // Compared only now: a request still waiting for its export is not written over.
    for (const [index, batch] of batches.entries()) {
      const reference = Buffer.from(ProtobufTraceSerializer.serializeRequest(batch)!);
      assert.ok(Buffer.from(requests[index]).equals(reference), `batch ${index} differs`);
    }
  });
});
