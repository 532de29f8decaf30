import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ROOT_CONTEXT,
  SpanKind,
  TraceFlags,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
} from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { ThrottledDiagLogger } from '@/telemetry/diag-logger';
import { JaegerTraceHeaderPropagator } from '@/telemetry/jaeger-trace-header.propagator';
import { LiveRatioSampler } from '@/telemetry/live-ratio-sampler';
import { otlpTracesUrl } from '@/telemetry/span-exporter';
import { isUntracedGrpcPath, isUntracedPath } from '@/telemetry/untraced';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

function withParent(traceFlags: TraceFlags) {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags,
    isRemote: true,
  });
}

describe('LiveRatioSampler', () => {
  const decide = (sampler: LiveRatioSampler, context = ROOT_CONTEXT, attributes = {}) =>
    sampler.shouldSample(context, TRACE_ID, 'GET /x', SpanKind.SERVER, attributes, []).decision;

  it('samples every root at ratio 1 and none at ratio 0, switching live', () => {
    const sampler = new LiveRatioSampler(1);
    assert.equal(decide(sampler), SamplingDecision.RECORD_AND_SAMPLED);
    sampler.setRatio(0);
    assert.equal(decide(sampler), SamplingDecision.NOT_RECORD);
    assert.equal(sampler.ratio, 0);
    sampler.setRatio(1);
    assert.equal(decide(sampler), SamplingDecision.RECORD_AND_SAMPLED);
  });

  it("follows the parent's decision whatever the ratio", () => {
    const sampler = new LiveRatioSampler(0);
    assert.equal(
      decide(sampler, withParent(TraceFlags.SAMPLED)),
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    sampler.setRatio(1);
    assert.equal(decide(sampler, withParent(TraceFlags.NONE)), SamplingDecision.NOT_RECORD);
  });

  it('never samples a database call that has no parent', () => {
    const sampler = new LiveRatioSampler(1);
    assert.equal(
      decide(sampler, ROOT_CONTEXT, { 'db.system.name': 'mysql' }),
      SamplingDecision.NOT_RECORD,
    );
    assert.equal(
      decide(sampler, withParent(TraceFlags.SAMPLED), { 'db.system.name': 'mysql' }),
      SamplingDecision.RECORD_AND_SAMPLED,
    );
  });

  it('keeps the ratio within [0, 1]', () => {
    const sampler = new LiveRatioSampler(5);
    assert.equal(sampler.ratio, 1);
    sampler.setRatio(-1);
    assert.equal(sampler.ratio, 0);
  });
});

describe('JaegerTraceHeaderPropagator', () => {
  const propagator = new JaegerTraceHeaderPropagator();
  const extract = (header: string) =>
    trace.getSpanContext(
      propagator.extract(ROOT_CONTEXT, { 'uber-trace-id': header }, defaultTextMapGetter),
    );

  it('reads trace id, span id and the sampled flag', () => {
    assert.deepEqual(extract(`${TRACE_ID}:${SPAN_ID}:0:1`), {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      isRemote: true,
      traceFlags: TraceFlags.SAMPLED,
    });
    assert.equal(extract(`${TRACE_ID}:${SPAN_ID}:0:0`)?.traceFlags, TraceFlags.NONE);
  });

  it('pads 64-bit trace ids and accepts URL-encoded colons', () => {
    const context = extract(`a3ce929d0e0e4736%3A${SPAN_ID}%3A0%3A1`);
    assert.equal(context?.traceId, '0000000000000000a3ce929d0e0e4736');
  });

  it('ignores malformed headers', () => {
    for (const header of [
      '',
      'nope',
      `${TRACE_ID}:${SPAN_ID}:1`,
      `xyz:${SPAN_ID}:0:1`,
      `0:0:0:1`,
    ]) {
      assert.equal(extract(header), undefined, header);
    }
  });

  it('writes the header of a valid span context', () => {
    const carrier: Record<string, string> = {};
    propagator.inject(withParent(TraceFlags.SAMPLED), carrier, defaultTextMapSetter);
    assert.equal(carrier['uber-trace-id'], `${TRACE_ID}:${SPAN_ID}:0:1`);
  });
});

describe('telemetry settings', () => {
  it('leaves health, metrics and docs untraced, and nothing else', () => {
    for (const path of ['/health/live', '/health', '/metrics', '/docs', '/docs-json', '/docs/x']) {
      assert.ok(isUntracedPath(path), path);
    }
    for (const path of ['/api/v1/healthy', '/metricsx', '/documents', '/api/v1/projects/1']) {
      assert.ok(!isUntracedPath(path), path);
    }
    assert.ok(isUntracedGrpcPath('/grpc.health.v1.Health/Check'));
    assert.ok(!isUntracedGrpcPath('/msproject.user.v1.UserService/Login'));
  });

  it('takes the OTLP endpoint from the standard variables first, then the bootstrap', () => {
    assert.equal(otlpTracesUrl(undefined, {}), 'http://localhost:4318/v1/traces');
    assert.equal(otlpTracesUrl('http://jaeger:4318/v1/traces', {}), 'http://jaeger:4318/v1/traces');
    assert.equal(
      otlpTracesUrl('http://file/v1/traces', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318/' }),
      'http://env:4318/v1/traces',
    );
    assert.equal(
      otlpTracesUrl('http://file/v1/traces', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces/v1/traces',
      }),
      'http://traces/v1/traces',
    );
  });

  it('writes each SDK warning once a minute at most', () => {
    const lines: string[] = [];
    let clock = 1_000_000;
    const logger = new ThrottledDiagLogger(
      (line) => lines.push(line),
      () => clock,
    );
    logger.error('export failed', new Error('connect ECONNREFUSED'));
    clock += 59_999;
    logger.error('export failed', new Error('connect ECONNREFUSED'));
    logger.warn('queue full');
    logger.info();
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0]) as Record<string, unknown>;
    assert.equal(first.level, 50);
    assert.equal(first.msg, 'telemetry: export failed');
    assert.equal(first.detail, 'connect ECONNREFUSED');
    clock += 1;
    logger.error('export failed', new Error('connect ECONNREFUSED'));
    assert.equal(lines.length, 3, 'written again a minute after the first time');
    logger.warn('queue full');
    assert.equal(lines.length, 3, 'the other message is still within its minute');
  });
});
