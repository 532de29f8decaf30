import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { LeafSpans, LightTracer } from '@/telemetry/light-span';
import { LiveRatioSampler } from '@/telemetry/live-ratio-sampler';

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

describe('light tracer (server and service spans)', () => {
  function lightSetup(sampler = new LiveRatioSampler(1)) {
    const exporter = new InMemorySpanExporter();
    const processor = new SimpleSpanProcessor({ exporter });
    const resource = resourceFromAttributes({ 'service.name': 'msproject' });
    return {
      exporter,
      tracer: new LightTracer('msproject', resource, sampler, processor),
      resource,
    };
  }

  it('starts a root span, active inside startActiveSpan, and exports it once as a ReadableSpan', () => {
    const { exporter, tracer, resource } = lightSetup();
    const result = tracer.startActiveSpan(
      'GET /x',
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', skipped: undefined } },
      (span) => {
        assert.equal(trace.getSpan(context.active()), span);
        const child = tracer.startSpan('ProjectService.list');
        child.setAttribute('count', 2).setAttributes({ list: ['a', 'b'] });
        child.end();
        span.setStatus({ code: SpanStatusCode.OK });
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'after OK: ignored' });
        span.end();
        span.end();
        return 'done';
      },
    );
    assert.equal(result, 'done');
    const [child, root] = exporter.getFinishedSpans();
    assert.equal(exporter.getFinishedSpans().length, 2);
    assert.equal(root.name, 'GET /x');
    assert.equal(root.kind, SpanKind.SERVER);
    assert.equal(root.parentSpanContext, undefined);
    assert.deepEqual(root.attributes, { 'http.request.method': 'GET' });
    assert.deepEqual(root.status, { code: SpanStatusCode.OK });
    assert.equal(root.resource, resource);
    assert.equal(root.instrumentationScope.name, 'msproject');
    assert.match(root.spanContext().traceId, /^[0-9a-f]{32}$/);
    assert.equal(root.spanContext().traceFlags, TraceFlags.SAMPLED);
    assert.equal(child.parentSpanContext?.spanId, root.spanContext().spanId);
    assert.equal(child.spanContext().traceId, root.spanContext().traceId);
    assert.deepEqual(child.attributes, { count: 2, list: ['a', 'b'] });
    assert.equal(child.kind, SpanKind.INTERNAL);
  });

  it('asks the sampler: an unsampled parent or a zero ratio gives a non-recording span', () => {
    const { exporter, tracer } = lightSetup(new LiveRatioSampler(0));
    const root = tracer.startSpan('GET /x');
    assert.equal(root.isRecording(), false);
    assert.equal(root.spanContext().traceFlags, TraceFlags.NONE);
    assert.match(root.spanContext().spanId, /^[0-9a-f]{16}$/);
    const child = tracer.startSpan('Service.method', {}, trace.setSpan(ROOT_CONTEXT, root));
    assert.equal(child.isRecording(), false);
    assert.equal(child.spanContext().traceId, root.spanContext().traceId);
    root.end();
    child.end();
    assert.equal(exporter.getFinishedSpans().length, 0);
  });

  it('follows a sampled remote parent, and records exceptions and errors as the SDK does', () => {
    const { exporter, tracer } = lightSetup(new LiveRatioSampler(0));
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    const span = tracer.startSpan('GET /x', {}, remote);
    assert.equal(span.isRecording(), true);
    span.recordException(Object.assign(new Error('gone'), { code: 'ECONNRESET' }));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'gone' });
    span.end();
    const [exported] = exporter.getFinishedSpans();
    assert.equal(exported.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(exported.parentSpanContext?.spanId, 'b7ad6b7169203331');
    assert.equal(exported.events[0].name, 'exception');
    assert.equal(exported.events[0].attributes?.['exception.type'], 'ECONNRESET');
    assert.equal(exported.events[0].attributes?.['exception.message'], 'gone');
    assert.deepEqual(exported.status, { code: SpanStatusCode.ERROR, message: 'gone' });
  });

  it('makes nothing where tracing is suppressed, and caps the attributes at 128', () => {
    const { exporter, tracer } = lightSetup();
    assert.equal(
      tracer.startSpan('export', {}, suppressTracing(ROOT_CONTEXT)).isRecording(),
      false,
    );
    const span = tracer.startSpan('many');
    for (let index = 0; index < 130; index++) span.setAttribute(`key${index}`, index);
    span.setAttribute('key0', 'replaced');
    span.end();
    const [exported] = exporter.getFinishedSpans();
    assert.equal(Object.keys(exported.attributes).length, 128);
    assert.equal(exported.attributes.key0, 'replaced');
    assert.equal(exported.droppedAttributesCount, 2);
  });
});
