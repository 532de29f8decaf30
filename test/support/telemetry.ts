/**
 * Tracing into memory, for tests of the spans the real application makes. Import this module
 * first in a test file: the SDK has to patch http, gRPC, mysql2, ioredis and pino before
 * anything loads them. Each test file is its own process, so each gets a fresh SDK.
 */
import Module from 'node:module';
import { SpanKind, context, type Attributes } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { loadBootstrap } from '@/config/bootstrap';
import { startTelemetry } from '@/telemetry/telemetry';

export const memoryExporter = new InMemorySpanExporter();

/** Node's own `require`, before the instrumentations hook it. */
export const requireBeforeTracing: unknown = Object.getOwnPropertyDescriptor(
  Module.prototype,
  'require',
)!.value;

export const testTelemetry = startTelemetry({
  bootstrap: loadBootstrap({ env: { APP_NAME: 'msproject', APP_PROFILE: 'test' } }),
  spanExporter: memoryExporter,
});

export { SpanKind, type ReadableSpan };

/** Every span exported so far. */
export function finishedSpans(): ReadableSpan[] {
  return memoryExporter.getFinishedSpans();
}

export function spansOfTrace(traceId: string): ReadableSpan[] {
  return finishedSpans().filter((span) => span.spanContext().traceId === traceId);
}

/**
 * Resolves with the spans of `traceId` once `complete` holds for them. Spans end after the
 * response is on its way (the HTTP server span on the socket's close), so tests wait for them.
 */
export async function waitForTrace(
  traceId: string,
  complete: (spans: ReadableSpan[]) => boolean,
  timeoutMs = 5_000,
): Promise<ReadableSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await testTelemetry.flush();
    const spans = spansOfTrace(traceId);
    if (complete(spans)) return spans;
    if (Date.now() > deadline) {
      throw new Error(
        `trace ${traceId} incomplete after ${timeoutMs} ms: ${spans.map(describeSpan).join(', ') || 'no spans'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function describeSpan(span: ReadableSpan): string {
  return `${SpanKind[span.kind]} ${span.name}`;
}

/** The one span named `name` (and of `kind`), failing with the names present otherwise. */
export function spanNamed(
  spans: ReadableSpan[],
  name: string | RegExp,
  kind?: SpanKind,
): ReadableSpan {
  const matches = spans.filter(
    (span) =>
      (typeof name === 'string' ? span.name === name : name.test(span.name)) &&
      (kind === undefined || span.kind === kind),
  );
  if (matches.length !== 1) {
    throw new Error(
      `expected one span ${String(name)}, found ${matches.length} in: ${spans.map(describeSpan).join(', ')}`,
    );
  }
  return matches[0];
}

export function parentId(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** Every attribute of every span, and every event's, as one string: for "never appears" checks. */
export function allAttributeText(spans: ReadableSpan[]): string {
  const values: Attributes[] = spans.flatMap((span) => [
    span.attributes,
    span.resource.attributes,
    ...span.events.map((event) => event.attributes ?? {}),
  ]);
  return JSON.stringify({
    values,
    names: spans.map((span) => span.name),
    statuses: spans.map((span) => span.status),
  });
}

/**
 * Runs `send` with tracing suppressed, so that the test's own client calls (instrumented in
 * this process too) neither start spans nor overwrite the `traceparent` a test sets.
 */
export function untraced<T>(send: () => Promise<T>): Promise<T> {
  return context.with(suppressTracing(context.active()), send);
}

export function resetSpans(): void {
  memoryExporter.reset();
}
