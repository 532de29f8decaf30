import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { LeafSpans } from '@/telemetry/leaf-span';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

function setup(sampled = true) {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'msproject' }),
    spanProcessors: [processor],
    ...(sampled ? {} : { sampler: new AlwaysOffSampler() }),
  });
  return { exporter, tracer: provider.getTracer('test'), leaves: new LeafSpans(processor, 'leaf') };
}

describe('leaf spans (SQL statements, Redis commands)', () => {
  it('are children of the active recorded span, in its trace, resource and sampling', () => {
    const { exporter, tracer, leaves } = setup();
    const server = tracer.startSpan('GET /x', { kind: SpanKind.SERVER });
    context.with(trace.setSpan(ROOT_CONTEXT, server), () => {
      const parent = leaves.recordedParent();
      assert.ok(parent);
      const leaf = leaves.start(parent, 'SELECT', SpanKind.CLIENT, { 'db.system.name': 'mysql' });
      leaf.end();
      leaf.end();
    });
    server.end();
    const [leaf, root] = exporter.getFinishedSpans();
    assert.equal(exporter.getFinishedSpans().length, 2, 'a leaf is exported once');
    assert.equal(leaf.name, 'SELECT');
    assert.equal(leaf.kind, SpanKind.CLIENT);
    assert.equal(leaf.spanContext().traceId, root.spanContext().traceId);
    assert.equal(leaf.parentSpanContext?.spanId, root.spanContext().spanId);
    assert.match(leaf.spanContext().spanId, /^[0-9a-f]{16}$/);
    assert.notEqual(leaf.spanContext().spanId, root.spanContext().spanId);
    assert.equal(leaf.spanContext().traceFlags, root.spanContext().traceFlags);
    assert.equal(leaf.resource, root.resource);
    assert.deepEqual(leaf.attributes, { 'db.system.name': 'mysql' });
    assert.equal(leaf.instrumentationScope.name, 'leaf');
    // Within its parent's time, on the same clock: wall-clock anchors are whole milliseconds,
    // for the SDK's spans as for leaves, and a busy machine may pause between two readings.
    const nanos = ([seconds, fraction]: [number, number]) => seconds * 1e9 + fraction;
    assert.ok(nanos(leaf.startTime) >= nanos(root.startTime) - 20e6);
    assert.ok(nanos(leaf.endTime) <= nanos(root.endTime) + 20e6);
    assert.ok(nanos(leaf.endTime) >= nanos(leaf.startTime));
  });

  it('records a failure as an error status, with the exception as an event when asked', () => {
    const { exporter, tracer, leaves } = setup();
    const server = tracer.startSpan('GET /x');
    const leaf = leaves.start(server as never, 'get', SpanKind.CLIENT, {});
    leaf.fail(Object.assign(new Error('connection lost'), { code: 'ECONNRESET' }), true);
    leaf.end();
    const [exported] = exporter.getFinishedSpans();
    assert.deepEqual(exported.status, { code: SpanStatusCode.ERROR, message: 'connection lost' });
    assert.equal(exported.events[0].name, 'exception');
    assert.equal(exported.events[0].attributes?.['exception.type'], 'ECONNRESET');
  });

  it('have no parent outside a trace or under an unsampled span', () => {
    const { tracer, leaves } = setup(false);
    assert.equal(leaves.recordedParent(), undefined);
    const unsampled = tracer.startSpan('GET /x');
    context.with(trace.setSpan(ROOT_CONTEXT, unsampled), () => {
      assert.equal(leaves.recordedParent(), undefined);
    });
  });
});
