import { randomFillSync } from 'node:crypto';
import {
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type HrTime,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
} from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace';

/**
 * Spans for SQL statements and Redis commands, made without the SDK's span machinery.
 *
 * These are leaves: nothing runs inside them, they are never the active span, and they exist
 * only under a recorded parent, whose sampling decision they share (the sampler is
 * parent-based). So the SDK's work per span (sampler call, two attribute clean-ups, span
 * limits, four clock readings) buys nothing here; a leaf takes its trace, flags, resource
 * and trace state from its parent, a random span id, two clock readings, and goes to the
 * same span processor as every other span when it ends. Exporters see an ordinary
 * ReadableSpan.
 */

/** Random span ids, drawn from a buffer filled 512 ids at a time. */
const ID_POOL = Buffer.allocUnsafe(8 * 512);
let idOffset = ID_POOL.length;

function randomSpanId(): string {
  if (idOffset === ID_POOL.length) {
    randomFillSync(ID_POOL);
    idOffset = 0;
  }
  const id = ID_POOL.toString('hex', idOffset, idOffset + 8);
  idOffset += 8;
  // All zeros is the invalid span id.
  return id === '0000000000000000' ? randomSpanId() : id;
}

/**
 * Wall-clock milliseconds from the monotonic clock. The offset between the two is taken again
 * every second, so that a long-running process follows the wall clock as the SDK's spans do;
 * a reading interrupted between the two clocks (by more than a millisecond) is not used.
 */
let clockOffset = performance.timeOrigin;
let offsetTakenAt = -Infinity;

function nowMillis(): number {
  const monotonic = performance.now();
  if (monotonic - offsetTakenAt > 1000) {
    const wall = Date.now();
    const after = performance.now();
    if (after - monotonic < 1) {
      clockOffset = wall - (monotonic + after) / 2;
      offsetTakenAt = monotonic;
    }
  }
  return monotonic + clockOffset;
}

function toHrTime(millis: number): HrTime {
  const seconds = Math.floor(millis / 1000);
  const nanos = Math.round((millis - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}

class LeafSpan implements ReadableSpan {
  readonly links = [];
  readonly events: TimedEvent[] = [];
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  readonly startTime: HrTime;
  endTime: HrTime = [0, 0];
  duration: HrTime = [0, 0];
  ended = false;
  private readonly startMillis: number;

  constructor(
    readonly name: string,
    readonly kind: SpanKind,
    readonly attributes: Attributes,
    readonly resource: Resource,
    readonly instrumentationScope: InstrumentationScope,
    readonly parentSpanContext: SpanContext,
    private readonly context: SpanContext,
    private readonly processor: SpanProcessor,
  ) {
    this.startMillis = nowMillis();
    this.startTime = toHrTime(this.startMillis);
  }

  spanContext(): SpanContext {
    return this.context;
  }

  /** Error status; with `record`, the error as an `exception` event too. */
  fail(error: Error, record: boolean): void {
    if (record) {
      const attributes: Attributes = {};
      const { code } = error as { code?: unknown };
      const type = typeof code === 'string' || typeof code === 'number' ? String(code) : error.name;
      if (type) attributes['exception.type'] = type;
      attributes['exception.message'] = error.message;
      if (error.stack) attributes['exception.stacktrace'] = error.stack;
      this.events.push({
        name: 'exception',
        attributes,
        time: toHrTime(nowMillis()),
        droppedAttributesCount: 0,
      });
    }
    this.status = { code: SpanStatusCode.ERROR, message: error.message };
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const endMillis = Math.max(nowMillis(), this.startMillis);
    this.endTime = toHrTime(endMillis);
    this.duration = toHrTime(endMillis - this.startMillis);
    this.processor.onEnd(this);
  }
}

export type { LeafSpan };

/** Starts leaf spans of one instrumentation scope. */
export class LeafSpans {
  private readonly scope: InstrumentationScope;

  constructor(
    private readonly processor: SpanProcessor,
    scopeName: string,
  ) {
    this.scope = { name: scopeName };
  }

  /** The active span, when it is recorded: the parent a leaf needs. */
  recordedParent(): ReadableSpan | undefined {
    const parent = trace.getSpan(context.active());
    return parent?.isRecording() ? (parent as unknown as ReadableSpan) : undefined;
  }

  start(parent: ReadableSpan, name: string, kind: SpanKind, attributes: Attributes): LeafSpan {
    const parentContext = parent.spanContext();
    return new LeafSpan(
      name,
      kind,
      attributes,
      parent.resource,
      this.scope,
      parentContext,
      {
        traceId: parentContext.traceId,
        spanId: randomSpanId(),
        traceFlags: parentContext.traceFlags,
        traceState: parentContext.traceState,
      },
      this.processor,
    );
  }
}
