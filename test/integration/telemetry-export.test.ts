import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JaegerReceiver } from '../support/jaeger-receiver';
import { OtlpReceiver } from '../support/otlp-receiver';
import { probeChildConfig, startProbeChild, type ProbeChild } from '../support/telemetry-probe-app';

// This process has no telemetry: the receivers' own requests must not be traced.
const NOTE_ROUTE = 'GET /test-telemetry/notes/:id';
const VERSION = (
  JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string }
).version;

async function readNoteThrough(child: ProbeChild): Promise<string> {
  const created = await fetch(`${child.http}/test-telemetry/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body: 'exported' }),
  });
  const { id } = (await created.json()) as { id: number };
  const response = await fetch(`${child.http}/test-telemetry/notes/${id}`);
  assert.equal(response.status, 200);
  await response.arrayBuffer();
  return response.headers.get('x-trace-id') ?? '';
}

describe('span export from the application process', () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('delivers spans with service name, version and environment over OTLP/HTTP protobuf', async () => {
    const receiver = await new OtlpReceiver().start();
    cleanups.push(() => receiver.close());
    // Exporter and endpoint from the standard variables, over a bootstrap file that says none.
    const { configDir, cleanup } = await probeChildConfig({
      app: { name: 'msproject', profile: 'export-test' },
      telemetry: { exporter: 'none' },
    });
    cleanups.push(cleanup);
    const child = await startProbeChild(configDir, {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    });
    cleanups.push(() => child.stop());

    const traceId = await readNoteThrough(child);
    const spans = (
      await receiver.waitFor((received) =>
        ['incr', 'SELECT', NOTE_ROUTE].every((name) =>
          received.some((span) => span.traceId === traceId && span.name === name),
        ),
      )
    ).filter((span) => span.traceId === traceId);

    const byName = (name: string) => spans.find((span) => span.name === name)!;
    const server = byName(NOTE_ROUTE);
    const service = byName('ProbeService.readNote');
    assert.equal(server.kind, 2, 'SERVER');
    assert.equal(server.parentSpanId, '');
    assert.equal(server.attributes['http.route'], '/test-telemetry/notes/:id');
    assert.equal(service.parentSpanId, server.spanId);
    assert.equal(byName('SELECT').parentSpanId, service.spanId);
    assert.equal(byName('incr').parentSpanId, service.spanId);
    for (const span of spans) {
      assert.equal(span.resource['service.name'], 'msproject');
      assert.equal(span.resource['service.version'], VERSION);
      assert.equal(span.resource['deployment.environment'], 'export-test');
    }

    const { code } = await child.stop();
    assert.equal(code, 0);
  });

  it('delivers spans as Jaeger Thrift over HTTP to the collector endpoint of the bootstrap', async () => {
    const receiver = await new JaegerReceiver().start();
    cleanups.push(() => receiver.close());
    const { configDir, cleanup } = await probeChildConfig({
      app: { name: 'msproject', profile: 'export-test' },
      telemetry: { exporter: 'jaeger', endpoint: receiver.url },
    });
    cleanups.push(cleanup);
    const child = await startProbeChild(configDir);
    cleanups.push(() => child.stop());

    const traceId = await readNoteThrough(child);
    const spans = (
      await receiver.waitFor((received) =>
        ['incr', 'SELECT', NOTE_ROUTE].every((name) =>
          received.some((span) => span.traceId === traceId && span.operationName === name),
        ),
      )
    ).filter((span) => span.traceId === traceId);

    assert.match(receiver.contentTypes[0], /thrift/);
    const byName = (name: string) => spans.find((span) => span.operationName === name)!;
    const server = byName(NOTE_ROUTE);
    const service = byName('ProbeService.readNote');
    assert.equal(server.tags['span.kind'], 'server');
    assert.equal(server.parentSpanId, '0000000000000000');
    assert.equal(service.parentSpanId, server.spanId);
    assert.equal(byName('SELECT').parentSpanId, service.spanId);
    assert.equal(byName('incr').parentSpanId, service.spanId);
    for (const span of spans) {
      assert.equal(span.serviceName, 'msproject');
      // exporter-jaeger copies the resource onto every span's tags.
      assert.equal(span.tags['service.version'], VERSION);
      assert.equal(span.tags['deployment.environment'], 'export-test');
    }
    assert.equal(byName('SELECT').tags['server.port'], 3306);

    // exporter-jaeger's shutdown timer is kept short: the process still exits promptly.
    const { code, ms } = await child.stop();
    assert.equal(code, 0);
    assert.ok(ms < 3_000, `exit took ${ms} ms`);
  });

  it('pushes metrics over OTLP when OTEL_METRICS_EXPORTER names otlp', async () => {
    const receiver = await new OtlpReceiver().start();
    cleanups.push(() => receiver.close());
    const { configDir, cleanup } = await probeChildConfig({ telemetry: { exporter: 'none' } });
    cleanups.push(cleanup);
    const child = await startProbeChild(configDir, {
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.metricsUrl,
      OTEL_METRIC_EXPORT_INTERVAL: '200',
    });
    cleanups.push(() => child.stop());
    await receiver.waitFor(() =>
      receiver.metricBodies.some((body) => body.includes('config_reloads')),
    );
    assert.equal(receiver.bodies.length, 0, 'no trace export: tracing is off');
    assert.equal((await child.stop()).code, 0);
  });

  it('with the exporter none, traces nothing and still serves /metrics', async () => {
    const { configDir, cleanup } = await probeChildConfig({ telemetry: { exporter: 'none' } });
    cleanups.push(cleanup);
    const child = await startProbeChild(configDir);
    cleanups.push(() => child.stop());

    const created = await fetch(`${child.http}/test-telemetry/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'untraced' }),
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('traceparent'), null);
    assert.equal(created.headers.get('x-trace-id'), null);
    const metrics = await fetch(`${child.http}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(
      await metrics.text(),
      /^http_server_request_duration_count\{[^}]*http_route="\/test-telemetry\/notes"/m,
    );
    assert.ok(child.output.some((line) => line.includes('"msg":"tracing off"')));
    assert.ok(!child.output.some((line) => line.includes('"trace_id"')));
    assert.equal((await child.stop()).code, 0);
  });
});
