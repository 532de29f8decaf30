// First: the SDK must be in place before the application's modules load.
import {
  SpanKind,
  allAttributeText,
  finishedSpans,
  parentId,
  resetSpans,
  spanNamed,
  spansOfTrace,
  untraced,
  requireBeforeTracing,
  waitForTrace,
  type ReadableSpan,
} from '../support/telemetry';
import assert from 'node:assert/strict';
import https from 'node:https';
import Module from 'node:module';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { SpanStatusCode } from '@opentelemetry/api';
import { stringify } from 'yaml';
import { mergeDeep, TEST_IDS_SECRET, TEST_JWT, type TestApp } from '../support/app';
import { grpcClient, unary } from '../support/grpc-client';
import { registerMember } from '../support/members';
import { metricSum } from '../support/prometheus';
import { PROBE_PROTO, PROBE_SERVICE, type NoteView } from '../support/telemetry-probe';
import { startProbeApp } from '../support/telemetry-probe-app';

const NOTE_ROUTE = 'GET /test-telemetry/notes/:id';
const GRPC_READ_NOTE = `grpc.${PROBE_SERVICE}/ReadNote`;

function hexId(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

interface Traced<T> {
  status: number;
  body: T;
  traceId: string;
  traceparent: string;
}

describe('tracing of the real application', () => {
  let app: TestApp;
  let noteId: number;

  async function request<T>(
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Traced<T>> {
    const response = await fetch(`${app.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return {
      status: response.status,
      body: (await response.json()) as T,
      traceId: response.headers.get('x-trace-id') ?? '',
      traceparent: response.headers.get('traceparent') ?? '',
    };
  }

  const hasSpans =
    (...names: string[]) =>
    (spans: ReadableSpan[]) =>
      names.every((name) => spans.some((span) => span.name === name));

  /** Applies a config change the way a Nacos push does, and fails if it is not applied. */
  async function reconfigure(patch: Record<string, unknown>): Promise<void> {
    const attempt = await app.center.apply(stringify(mergeDeep(app.center.config, patch)), 'file');
    assert.equal(attempt.outcome, 'applied', attempt.error);
  }

  before(async () => {
    // The registration code in the response: the login test registers a real member.
    app = await startProbeApp({ captcha: { exposeInResponse: true } });
    const created = await request<{ id: number }>('/test-telemetry/notes', {
      method: 'POST',
      body: { body: 'a note about 42 things' },
    });
    noteId = created.body.id;
  });

  after(async () => {
    await app?.close();
  });

  it('traces a REST request that reads the database and Redis as one tree, HTTP span named by route', async () => {
    const response = await request<NoteView>(`/test-telemetry/notes/${noteId}`);
    assert.equal(response.status, 200);
    assert.equal(response.body.body, 'a note about 42 things');

    const spans = await waitForTrace(response.traceId, hasSpans(NOTE_ROUTE, 'incr'));
    const server = spanNamed(spans, NOTE_ROUTE, SpanKind.SERVER);
    const service = spanNamed(spans, 'ProbeService.readNote', SpanKind.INTERNAL);
    const select = spanNamed(spans, 'SELECT', SpanKind.CLIENT);
    const redis = spanNamed(spans, 'incr', SpanKind.CLIENT);

    assert.equal(server.attributes['http.route'], '/test-telemetry/notes/:id');
    assert.equal(server.attributes['http.response.status_code'], 200);
    assert.equal(parentId(server), undefined);
    assert.equal(parentId(service), server.spanContext().spanId);
    assert.equal(parentId(select), service.spanContext().spanId);
    assert.equal(parentId(redis), service.spanContext().spanId);
    assert.equal(select.attributes['db.system.name'], 'mysql');
    assert.equal(redis.attributes['db.system.name'], 'redis');

    // The response names the trace and the server span, W3C style and as a plain id.
    assert.match(response.traceId, /^[0-9a-f]{32}$/);
    assert.equal(response.traceparent, `00-${response.traceId}-${server.spanContext().spanId}-01`);
    assert.ok(spans.every((span) => span.spanContext().traceId === response.traceId));
    assert.deepEqual(
      server.resource.attributes['service.name'],
      'msproject',
      'the resource names the service',
    );
  });

  it('traces failures too: a 500 is an error span, a 404 still carries its trace id', async () => {
    const failed = await request('/test-telemetry/fail');
    assert.equal(failed.status, 500);
    const failedSpans = await waitForTrace(failed.traceId, hasSpans('GET /test-telemetry/fail'));
    const failedServer = spanNamed(failedSpans, 'GET /test-telemetry/fail', SpanKind.SERVER);
    assert.equal(failedServer.status.code, SpanStatusCode.ERROR);
    assert.equal(failedServer.attributes['http.response.status_code'], 500);

    const missing = await request('/test-telemetry/nowhere');
    assert.equal(missing.status, 404);
    const missingSpans = await waitForTrace(missing.traceId, hasSpans('GET'));
    // No route matched: the span keeps the bare method rather than an unbounded URL.
    assert.equal(spanNamed(missingSpans, 'GET').attributes['http.response.status_code'], 404);
  });

  it('ends the span of a request the client gave up on, as an error', async () => {
    const controller = new AbortController();
    const pending = fetch(`${app.baseUrl}/test-telemetry/slow?ms=1000`, {
      signal: controller.signal,
    }).catch((error: Error) => error);
    const arrived = await app.logs.waitFor((entry) => entry.msg === 'slow request arrived');
    controller.abort();
    assert.ok((await pending) instanceof Error);
    const spans = await waitForTrace(
      String(arrived.trace_id),
      hasSpans('GET /test-telemetry/slow'),
    );
    const server = spanNamed(spans, 'GET /test-telemetry/slow', SpanKind.SERVER);
    assert.equal(server.status.code, SpanStatusCode.ERROR);
    assert.equal(server.attributes['error.type'], 'aborted');
  });

  it('masks the SQL statement: no literal or bound value reaches db.query.text', async () => {
    const response = await request<NoteView>(`/test-telemetry/notes/${noteId}`);
    const spans = await waitForTrace(response.traceId, hasSpans(NOTE_ROUTE, 'incr'));
    const statement = String(spanNamed(spans, 'SELECT').attributes['db.query.text']);
    assert.match(statement, /FROM `test_note`/);
    assert.match(statement, /LIMIT \?/, 'the inline LIMIT literal is masked');
    assert.doesNotMatch(statement, /\b\d+\b/, `no number left in: ${statement}`);
  });

  it('puts the trace and span ids on the log lines written inside the request', async () => {
    const response = await request<NoteView>(`/test-telemetry/notes/${noteId}`);
    const spans = await waitForTrace(response.traceId, hasSpans(NOTE_ROUTE, 'incr'));
    const service = spanNamed(spans, 'ProbeService.readNote');
    const line = await app.logs.waitFor(
      (entry) => entry.msg === 'note read' && entry.trace_id === response.traceId,
    );
    assert.equal(line.span_id, service.spanContext().spanId);
    const completed = await app.logs.waitFor(
      (entry) => entry.msg === 'request completed' && entry.trace_id === response.traceId,
    );
    assert.equal(completed.span_id, spanNamed(spans, NOTE_ROUTE).spanContext().spanId);
  });

  it('continues the trace of an incoming traceparent header', async () => {
    const traceId = hexId(16);
    const parent = hexId(8);
    const response = await request<NoteView>(`/test-telemetry/notes/${noteId}`, {
      headers: { traceparent: `00-${traceId}-${parent}-01` },
    });
    assert.equal(response.traceId, traceId);
    const spans = await waitForTrace(traceId, hasSpans(NOTE_ROUTE, 'incr'));
    assert.equal(parentId(spanNamed(spans, NOTE_ROUTE)), parent);
  });

  it("continues the trace of an old client's uber-trace-id header", async () => {
    const traceId = hexId(16);
    const parent = hexId(8);
    const response = await request<NoteView>(`/test-telemetry/notes/${noteId}`, {
      headers: { 'uber-trace-id': `${traceId}:${parent}:0:1` },
    });
    assert.equal(response.traceId, traceId);
    const spans = await waitForTrace(traceId, hasSpans(NOTE_ROUTE, 'incr'));
    assert.equal(parentId(spanNamed(spans, NOTE_ROUTE)), parent);
  });

  it('makes a gRPC call carrying traceparent the parent of the server span, with DB spans below', async () => {
    const client = grpcClient(app.grpcAddress, PROBE_PROTO, PROBE_SERVICE);
    try {
      const traceId = hexId(16);
      const parent = hexId(8);
      const metadata = new Metadata();
      metadata.set('traceparent', `00-${traceId}-${parent}-01`);
      // Untraced: this test's own client would otherwise start a span and replace the header.
      const reply = await untraced(() =>
        unary<{ id: number }, NoteView>(client, 'ReadNote', { id: noteId }, metadata),
      );
      assert.equal(reply.body, 'a note about 42 things');

      const spans = await waitForTrace(traceId, hasSpans(GRPC_READ_NOTE, 'incr'));
      const server = spanNamed(spans, GRPC_READ_NOTE, SpanKind.SERVER);
      const service = spanNamed(spans, 'ProbeService.readNote');
      assert.equal(parentId(server), parent);
      assert.equal(server.attributes['rpc.method'], 'ReadNote');
      assert.equal(parentId(service), server.spanContext().spanId);
      assert.equal(parentId(spanNamed(spans, 'SELECT')), service.spanContext().spanId);
      assert.equal(parentId(spanNamed(spans, 'incr')), service.spanContext().spanId);
    } finally {
      client.close();
    }
  });

  it('links a call made through GrpcClientFactory to its server span across the wire', async () => {
    const response = await request<NoteView>(`/test-telemetry/relay/${noteId}`);
    assert.equal(response.status, 200);
    assert.equal(response.body.body, 'a note about 42 things');

    const spans = await waitForTrace(
      response.traceId,
      (found) =>
        hasSpans('GET /test-telemetry/relay/:id', 'incr')(found) &&
        found.filter((span) => span.name === GRPC_READ_NOTE).length === 2,
    );
    const http = spanNamed(spans, 'GET /test-telemetry/relay/:id', SpanKind.SERVER);
    const client = spanNamed(spans, GRPC_READ_NOTE, SpanKind.CLIENT);
    const server = spanNamed(spans, GRPC_READ_NOTE, SpanKind.SERVER);
    const service = spanNamed(spans, 'ProbeService.readNote');
    assert.equal(parentId(client), http.spanContext().spanId);
    assert.equal(parentId(server), client.spanContext().spanId);
    assert.equal(parentId(service), server.spanContext().spanId);
    assert.equal(parentId(spanNamed(spans, 'SELECT')), service.spanContext().spanId);
  });

  it('traces neither health, metrics and docs requests nor gRPC health checks', async () => {
    resetSpans();
    for (const path of ['/health/live', '/health/ready', '/metrics', '/docs-json']) {
      const response = await fetch(`${app.baseUrl}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('x-trace-id'), null, path);
      await response.arrayBuffer();
    }
    const health = grpcClient(
      app.grpcAddress,
      'grpc/health/v1/health.proto',
      'grpc.health.v1.Health',
    );
    try {
      await unary(health, 'Check', { service: '' });
    } finally {
      health.close();
    }
    // A traced request after them: once its trace is complete, nothing else may be there.
    const marker = await request<NoteView>(`/test-telemetry/notes/${noteId}`);
    await waitForTrace(marker.traceId, hasSpans(NOTE_ROUTE, 'incr'));
    const others = finishedSpans().filter((span) => span.spanContext().traceId !== marker.traceId);
    assert.deepEqual(
      others.map((span) => span.name),
      [],
    );
  });

  it('stops new traces when tracing.sampleRatio becomes 0, without a restart', async () => {
    await reconfigure({ tracing: { sampleRatio: 0 } });
    await app.logs.waitFor(
      (entry) => entry.msg === 'trace sampling ratio changed' && entry.to === 0,
    );
    const unsampled = await request<NoteView>(`/test-telemetry/notes/${noteId}`);
    assert.equal(unsampled.status, 200);
    assert.match(unsampled.traceparent, /-00$/, 'the response says: not sampled');

    await reconfigure({ tracing: { sampleRatio: 1 } });
    const sampled = await request<NoteView>(`/test-telemetry/notes/${noteId}`);
    assert.match(sampled.traceparent, /-01$/);
    await waitForTrace(sampled.traceId, hasSpans(NOTE_ROUTE, 'incr'));
    assert.deepEqual(spansOfTrace(unsampled.traceId), [], 'the request at ratio 0 left no span');
  });

  it('lets a password bound into SQL and hashed into Redis reach no span attribute and no log line', async () => {
    const password = `pw-${hexId(12)}`;
    const account = `member-${hexId(4)}`;
    const registered = await request('/test-telemetry/accounts', {
      method: 'POST',
      body: { account, password },
    });
    assert.equal(registered.status, 201);
    const wrong = await request('/test-telemetry/login', {
      method: 'POST',
      body: { account, password: `${password}-wrong` },
    });
    assert.equal(wrong.status, 401);
    const login = await request<{ account: string }>('/test-telemetry/login', {
      method: 'POST',
      body: { account, password },
    });
    assert.equal(login.status, 200);

    const spans = await waitForTrace(login.traceId, hasSpans('POST /test-telemetry/login', 'set'));
    // The body was parsed outside the request's context, and the handler still runs inside it.
    const server = spanNamed(spans, 'POST /test-telemetry/login', SpanKind.SERVER);
    const service = spanNamed(spans, 'ProbeService.login');
    assert.equal(parentId(service), server.spanContext().spanId);
    assert.equal(parentId(spanNamed(spans, 'set')), service.spanContext().spanId);
    // The password did pass through SQL as a bound value and into Redis as a hash.
    const hashing = spans.find((span) => String(span.attributes['db.query.text']).includes('SHA2'));
    assert.equal(hashing?.attributes['db.query.text'], 'SELECT SHA2(?, ?) AS hash');
    await waitForTrace(wrong.traceId, hasSpans('POST /test-telemetry/login', 'incr'));
    const everything = allAttributeText(finishedSpans());
    for (const secret of [
      password,
      TEST_JWT.accessSecret,
      TEST_JWT.refreshSecret,
      TEST_IDS_SECRET,
    ]) {
      assert.ok(!everything.includes(secret), 'a secret is in a span');
      assert.ok(!app.logs.text.includes(secret), 'a secret is in a log line');
    }
    assert.ok(everything.includes(account), 'the check looks at the right spans');
  });

  it("lets the real login's password and tokens reach no span attribute and no log line", async () => {
    resetSpans();
    const member = await registerMember(app);
    const me = await fetch(`${app.baseUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${member.accessToken}` },
    });
    assert.equal(me.status, 200);
    await me.arrayBuffer();
    const traceId = me.headers.get('x-trace-id') ?? '';
    await waitForTrace(traceId, hasSpans('GET /api/v1/me', 'UserService.me'));

    const spans = finishedSpans();
    assert.ok(spans.some((span) => span.name === 'POST /api/v1/auth/login'));
    // The real service's methods are spans under the request's server span.
    const server = spanNamed(spans, 'GET /api/v1/me', SpanKind.SERVER);
    const service = spans.find(
      (span) => span.name === 'UserService.me' && span.spanContext().traceId === traceId,
    );
    assert.equal(service && parentId(service), server.spanContext().spanId);
    const everything = allAttributeText(spans);
    for (const secret of [member.input.password, member.accessToken, member.refreshToken]) {
      assert.ok(!everything.includes(secret), 'a secret is in a span');
      assert.ok(!app.logs.text.includes(secret), 'a secret is in a log line');
    }
  });

  it('stops intercepting require once serving, keeping the patches made while loading', () => {
    // Hooked, every require resolved its id again and read a package.json (mysql2 requires
    // on every statement); Node's own function is back.
    assert.equal(
      Object.getOwnPropertyDescriptor(Module.prototype, 'require')!.value,
      requireBeforeTracing,
    );
    // https, which nothing had loaded yet, was loaded through the hooks first: its outgoing
    // calls are still spanned (the other tests here cover http, gRPC, pino).
    assert.equal((https.request as { __wrapped?: boolean }).__wrapped, true);
  });

  it('spans a call into a service once: what the service calls on itself adds no span', async () => {
    resetSpans();
    const member = await registerMember(app);
    const headers = { authorization: `Bearer ${member.accessToken}` };
    const created = await request<{ id: string }>('/api/v1/projects', {
      method: 'POST',
      body: { name: 'Traced project' },
      headers,
    });
    assert.equal(created.status, 201);
    // update() reads the project, changes it and builds its view through other methods.
    const edited = await request(`/api/v1/projects/${created.body.id}`, {
      method: 'PATCH',
      body: { description: 'Edited' },
      headers,
    });
    assert.equal(edited.status, 200);
    const spans = await waitForTrace(edited.traceId, hasSpans('PATCH /api/v1/projects/:id'));
    const ofTrace = spans.filter((span) => span.spanContext().traceId === edited.traceId);
    const services = ofTrace.filter((span) => span.name.startsWith('ProjectService.'));
    assert.deepEqual(
      services.map((span) => span.name),
      ['ProjectService.update'],
    );
    const server = spanNamed(ofTrace, 'PATCH /api/v1/projects/:id', SpanKind.SERVER);
    assert.equal(parentId(services[0]), server.spanContext().spanId);
    // Its statements are its children.
    assert.ok(
      ofTrace.some(
        (span) => span.name === 'UPDATE' && parentId(span) === services[0].spanContext().spanId,
      ),
    );
  });

  it('serves request, RPC and config-reload metrics in the Prometheus format at /metrics', async () => {
    await request<NoteView>(`/test-telemetry/notes/${noteId}`);
    const response = await fetch(`${app.baseUrl}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.match(text, /^config_reloads_total\{result="applied",source="file"[^}]*\} \d+/m);
    assert.match(
      text,
      /^http_server_request_duration_count\{http_request_method="GET",http_response_status_code="200",http_route="\/test-telemetry\/notes\/:id"[^}]*\} \d+/m,
    );
    assert.match(
      text,
      /^rpc_server_call_duration_count\{[^}]*rpc_method="ReadNote"[^}]*rpc_grpc_status_code="0"/m,
    );
    assert.doesNotMatch(
      text,
      /http_route="\/(health|metrics)/,
      'probes and scrapes are not counted',
    );
    assert.match(text, /^target_info\{service_name="msproject"/m);
  });

  it('counts a gRPC call its guard refused, with the status it ended with', async () => {
    const client = grpcClient(
      app.grpcAddress,
      'project/v1/project.proto',
      'msproject.project.v1.ProjectService',
    );
    const refused = () =>
      assert.rejects(unary(client, 'ListProjects', {}), (error: ServiceError) => {
        assert.equal(error.code, status.UNAUTHENTICATED);
        return true;
      });
    // Count before and after, so that what other tests did does not matter.
    const count = () =>
      metricSum(
        app.baseUrl,
        'rpc_server_call_duration_count',
        'rpc_method="ListProjects"',
        `rpc_grpc_status_code="${status.UNAUTHENTICATED}"`,
      );
    try {
      const before = await count();
      await untraced(refused);
      await untraced(refused);
      assert.equal(await count(), before + 2);
    } finally {
      client.close();
    }
  });
});
