import { context, metrics, trace, TraceFlags } from '@opentelemetry/api';
import { RPCType, getRPCMetadata } from '@opentelemetry/core';
import type { FastifyInstance } from 'fastify';
import { isUntracedPath } from './untraced';

/** Seconds; the semantic conventions' recommended buckets for request durations. */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * Two Fastify hooks instead of the NestJS and Fastify instrumentations (neither supports
 * Nest 12 on Fastify): on request, name the HTTP server span by its route and put the trace
 * id on the response; on response, record the request in `http.server.request.duration`.
 */
export function installHttpTelemetry(fastify: FastifyInstance): void {
  const duration = metrics
    .getMeter('msproject.http')
    .createHistogram('http.server.request.duration', {
      unit: 's',
      description: 'Duration of HTTP requests, by method, route and status',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });

  fastify.addHook('onRequest', (request, reply, done) => {
    const active = context.active();
    const span = trace.getSpan(active);
    if (span) {
      const { traceId, spanId, traceFlags } = span.spanContext();
      const route = request.routeOptions.url;
      // instrumentation-http reads it when the response ends: span name and `http.route`.
      const metadata = getRPCMetadata(active);
      if (route && metadata?.type === RPCType.HTTP) metadata.route = route;
      const sampled = (traceFlags & TraceFlags.SAMPLED) !== 0;
      void reply.header('traceparent', `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`);
      void reply.header('x-trace-id', traceId);
    }
    done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
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
