import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  metrics,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { pathOf } from '../common/request-path';
import { ownTracer } from './own-tracer';
import { telemetry } from './telemetry';
import { isUntracedPath } from './untraced';

/** Seconds; the semantic conventions' recommended buckets for request durations. */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
]);

interface RequestTrace {
  span: Span;
  context: Context;
  /** For log lines written outside the request's context (see traceFieldsOf). */
  fields: { trace_id: string; span_id: string; trace_flags: string };
  ended: boolean;
}

const REQUEST_TRACE = Symbol('msproject.requestTrace');

type TracedRaw = IncomingMessage & { [REQUEST_TRACE]?: RequestTrace };

function requestTrace(request: FastifyRequest): RequestTrace | undefined {
  return (request.raw as TracedRaw)[REQUEST_TRACE];
}

/**
 * The trace fields of a request, for log lines written where its context is not active:
 * pino-http's "request completed" runs on the response's `finish` event.
 */
export function traceFieldsOf(request: IncomingMessage): RequestTrace['fields'] | undefined {
  return (request as TracedRaw)[REQUEST_TRACE]?.fields;
}

function startServerSpan(request: FastifyRequest, reply: FastifyReply): RequestTrace {
  const method = KNOWN_METHODS.has(request.method) ? request.method : '_OTHER';
  const route = request.routeOptions.url;
  const attributes: Attributes = {
    'http.request.method': method,
    'url.scheme': request.protocol,
    'url.path': pathOf(request.url),
    'client.address': request.ip,
  };
  if (route) attributes['http.route'] = route;
  const userAgent = request.headers['user-agent'];
  if (userAgent) attributes['user_agent.original'] = userAgent;
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span = tracer().startSpan(
    route ? `${method} ${route}` : method,
    { kind: SpanKind.SERVER, attributes },
    parent,
  );
  const { traceId, spanId, traceFlags } = span.spanContext();
  const flags = (traceFlags & TraceFlags.SAMPLED) !== 0 ? '01' : '00';
  void reply.header('traceparent', `00-${traceId}-${spanId}-${flags}`);
  void reply.header('x-trace-id', traceId);
  return {
    span,
    context: trace.setSpan(parent, span),
    fields: { trace_id: traceId, span_id: spanId, trace_flags: flags },
    ended: false,
  };
}

function endServerSpan(request: FastifyRequest, status: number, aborted = false): void {
  const started = requestTrace(request);
  // Once: an aborted request may still finish its response.
  if (!started || started.ended) return;
  started.ended = true;
  const { span } = started;
  span.setAttribute('http.response.status_code', status);
  if (status >= 500 || aborted) {
    span.setAttribute('error.type', aborted ? 'aborted' : String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

let cachedTracer: ReturnType<typeof trace.getTracer> | undefined;
function tracer() {
  return (cachedTracer ??= ownTracer('msproject.http'));
}

/**
 * HTTP server spans and request metrics from Fastify hooks, in place of the http
 * instrumentation's server side (which binds every request and response emitter to the
 * context: the largest single cost of tracing in this application) and of the Fastify and
 * NestJS instrumentations (neither supports Nest 12 on Fastify).
 *
 * - onRequest: the route is already known, so the span is named `GET /route` from the start;
 *   the trace id goes on the response (`traceparent`, `x-trace-id`).
 * - preHandler: the span's context is entered again, since body parsing runs on the socket's
 *   events, outside it; the handler and everything it awaits run inside.
 * - onResponse / onRequestAbort: the span ends; `http.server.request.duration` is recorded.
 */
export function installHttpTelemetry(fastify: FastifyInstance): void {
  const duration = metrics
    .getMeter('msproject.http')
    .createHistogram('http.server.request.duration', {
      unit: 's',
      description: 'Duration of HTTP requests, by method, route and status',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });

  if (telemetry()?.tracing) {
    fastify.addHook('onRequest', (request, reply, done) => {
      if (isUntracedPath(request.url)) return done();
      const started = startServerSpan(request, reply);
      (request.raw as TracedRaw)[REQUEST_TRACE] = started;
      context.with(started.context, done);
    });
    fastify.addHook('preHandler', (request, _reply, done) => {
      const started = requestTrace(request);
      if (started) context.with(started.context, done);
      else done();
    });
    fastify.addHook('onRequestAbort', (request, done) => {
      endServerSpan(request, 499, true);
      done();
    });
  }

  fastify.addHook('onResponse', (request, reply, done) => {
    endServerSpan(request, reply.statusCode);
    if (!isUntracedPath(request.url)) {
      const route = request.routeOptions.url;
      duration.record(reply.elapsedTime / 1000, {
        'http.request.method': request.method,
        'http.response.status_code': reply.statusCode,
        // Unmatched requests carry no route: raw URLs would explode the series count.
        ...(route ? { 'http.route': route } : {}),
      });
    }
    done();
  });
}
