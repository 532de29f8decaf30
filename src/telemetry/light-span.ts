import { randomFillSync } from 'node:crypto';
import {
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  diag,
  isSpanContextValid,
  trace,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
} from '@opentelemetry/api';
import {
  isAttributeValue,
  isTimeInput,
  isTracingSuppressed,
  timeInputToHrTime,
  type InstrumentationScope,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  SamplingDecision,
  type ReadableSpan,
  type Sampler,
  type SpanProcessor,
  type TimedEvent,
} from '@opentelemetry/sdk-trace';

/**
 * The application's own spans, made without the SDK's span machinery: the HTTP server span,
 * the `@TracedService()` spans, and the SQL statement and Redis command leaves.
 *
 * A span here is one object that is at once the API's `Span` (what code inside it calls) and
 * the SDK's `ReadableSpan` (what processors and exporters read), so every exporter sees an
 * ordinary span. What it leaves out is the work that buys nothing for spans whose attributes
 * the application writes itself: the attribute clean-up on every call, span limits beyond a
 * count, four clock readings, and the id generator's string building. Sampling is the
 * provider's sampler, called as the SDK calls it; the span goes to the same span processor.
 *
 * Leaves are cheaper still: nothing runs inside them, they are never the active span, and they
 * exist only under a recorded parent, whose sampling decision they share (the sampler is
 * parent-based), so they take trace, flags, resource and trace state from that parent.
 */

/** Random ids, drawn from a buffer filled 512 span ids at a time. */
const ID_POOL = Buffer.allocUnsafe(8 * 512);
let idOffset = ID_POOL.length;

function randomHex(bytes: number): string {
  if (idOffset + bytes > ID_POOL.length) {
    randomFillSync(ID_POOL);
    idOffset = 0;
  }
  const id = ID_POOL.toString('hex', idOffset, idOffset + bytes);
  idOffset += bytes;
  return id;
}

const INVALID_SPAN_ID = '0000000000000000';
const INVALID_TRACE_ID = '00000000000000000000000000000000';

function randomSpanId(): string {
  const id = randomHex(8);
  return id === INVALID_SPAN_ID ? randomSpanId() : id;
}

function randomTraceId(): string {
  const id = randomHex(16);
  return id === INVALID_TRACE_ID ? randomTraceId() : id;
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

/** A time the caller gave (epoch milliseconds, Date, HrTime), or now; in epoch milliseconds. */
function millisOf(time: TimeInput | undefined): number {
  if (time === undefined) return nowMillis();
  if (typeof time === 'number') {
    // As the SDK does: numbers below the process's start are `performance.now()` readings.
    return time < performance.timeOrigin ? time + performance.timeOrigin : time;
  }
  const [seconds, nanos] = timeInputToHrTime(time);
  return seconds * 1000 + nanos / 1e6;
}

/** The SDK's default limit on attributes per span, and on events and links. */
const ATTRIBUTE_COUNT_LIMIT = 128;
const EVENT_COUNT_LIMIT = 128;
const LINK_COUNT_LIMIT = 128;

const UNSET: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const NO_EVENTS: TimedEvent[] = Object.freeze([]) as unknown as TimedEvent[];
const NO_LINKS: Link[] = Object.freeze([]) as unknown as Link[];

export class LightSpan implements Span, ReadableSpan {
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  status: SpanStatus = UNSET;
  ended = false;
  private attributeCount: number;
  /** Epoch milliseconds, fractional; the HrTime forms are made only when read. */
  readonly startMillis: number;
  endMillis = 0;
  /** Most spans have neither: the shared empty lists stand in until the first. */
  private eventList: TimedEvent[] | undefined;
  private linkList: Link[] | undefined;

  constructor(
    public name: string,
    readonly kind: SpanKind,
    /** Owned by the span: callers hand over an object nobody else writes. */
    readonly attributes: Attributes,
    readonly resource: Resource,
    readonly instrumentationScope: InstrumentationScope,
    readonly parentSpanContext: SpanContext | undefined,
    private readonly context: SpanContext,
    private readonly processor: SpanProcessor,
    startTime?: TimeInput,
  ) {
    this.startMillis = millisOf(startTime);
    let count = 0;
    for (const key in attributes) if (Object.hasOwn(attributes, key)) count++;
    this.attributeCount = count;
  }

  get startTime(): HrTime {
    return toHrTime(this.startMillis);
  }

  get endTime(): HrTime {
    return this.ended ? toHrTime(this.endMillis) : [0, 0];
  }

  get duration(): HrTime {
    return this.ended ? toHrTime(this.endMillis - this.startMillis) : [0, 0];
  }

  get events(): TimedEvent[] {
    return this.eventList ?? NO_EVENTS;
  }

  get links(): Link[] {
    return this.linkList ?? NO_LINKS;
  }

  spanContext(): SpanContext {
    return this.context;
  }

  isRecording(): boolean {
    return !this.ended;
  }

  setAttribute(key: string, value?: AttributeValue): this {
    if (this.ended || !key) return this;
    if (!isAttributeValue(value) || value === undefined) {
      diag.warn(`Invalid attribute value set for key: ${key}`);
      return this;
    }
    if (!(key in this.attributes)) {
      if (this.attributeCount >= ATTRIBUTE_COUNT_LIMIT) {
        this.droppedAttributesCount++;
        return this;
      }
      this.attributeCount++;
    }
    this.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    const events = (this.eventList ??= []);
    if (events.length >= EVENT_COUNT_LIMIT) {
      // As the SDK does: the oldest event makes room.
      events.shift();
      this.droppedEventsCount++;
    }
    let attributes: Attributes | undefined;
    if (isTimeInput(attributesOrTime)) time = attributesOrTime;
    else attributes = attributesOrTime;
    events.push({
      name,
      attributes: attributes ? { ...attributes } : {},
      time: toHrTime(millisOf(time)),
      droppedAttributesCount: 0,
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    const links = (this.linkList ??= []);
    if (links.length >= LINK_COUNT_LIMIT) this.droppedLinksCount++;
    else links.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET) return this;
    // OK is final, as in the SDK.
    if (this.status.code === SpanStatusCode.OK) return this;
    this.status =
      status.code === SpanStatusCode.ERROR && typeof status.message === 'string'
        ? { code: status.code, message: status.message }
        : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      if (exception.code) attributes['exception.type'] = String(exception.code);
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) {
      this.addEvent('exception', attributes, time);
    }
  }

  /** Error status; with `record`, the error as an `exception` event too. */
  fail(error: Error, record: boolean): void {
    if (record) this.recordException(error);
    this.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.ended = true;
    this.endMillis = Math.max(millisOf(endTime), this.startMillis);
    this.processor.onEnd(this);
  }
}

/** The active span, when it is recorded: the parent a leaf needs. */
function recordedParent(): ReadableSpan | undefined {
  const parent = trace.getSpan(context.active());
  return parent?.isRecording() ? (parent as unknown as ReadableSpan) : undefined;
}

/** Starts leaf spans of one instrumentation scope. */
export class LeafSpans {
  private readonly scope: InstrumentationScope;

  constructor(
    private readonly processor: SpanProcessor,
    scopeName: string,
  ) {
    this.scope = { name: scopeName };
  }

  recordedParent(): ReadableSpan | undefined {
    return recordedParent();
  }

  start(parent: ReadableSpan, name: string, kind: SpanKind, attributes: Attributes): LightSpan {
    const parentContext = parent.spanContext();
    return new LightSpan(
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

/**
 * A tracer of light spans for one instrumentation scope: sampled by the provider's sampler,
 * handed to the provider's span processor, as the SDK's tracer does.
 */
export class LightTracer implements Tracer {
  private readonly scope: InstrumentationScope;

  constructor(
    scopeName: string,
    private readonly resource: Resource,
    private readonly sampler: Sampler,
    private readonly processor: SpanProcessor,
  ) {
    this.scope = { name: scopeName };
  }

  startSpan(name: string, options: SpanOptions = {}, parentContext = context.active()): Span {
    const active = options.root ? trace.deleteSpan(parentContext) : parentContext;
    if (isTracingSuppressed(active)) return trace.wrapSpanContext(INVALID_CONTEXT);
    const found = trace.getSpanContext(active);
    const parent = found && isSpanContextValid(found) ? found : undefined;
    const traceId = parent ? parent.traceId : randomTraceId();
    const kind = options.kind ?? SpanKind.INTERNAL;
    const links = options.links ?? [];
    const attributes: Attributes = {};
    if (options.attributes) {
      for (const key in options.attributes) {
        const value = options.attributes[key];
        if (value !== undefined && isAttributeValue(value)) attributes[key] = value;
      }
    }
    const sampling = this.sampler.shouldSample(active, traceId, name, kind, attributes, links);
    const spanContext: SpanContext = {
      traceId,
      spanId: randomSpanId(),
      traceFlags:
        sampling.decision === SamplingDecision.RECORD_AND_SAMPLED
          ? TraceFlags.SAMPLED
          : TraceFlags.NONE,
      traceState: sampling.traceState ?? parent?.traceState,
    };
    if (sampling.decision === SamplingDecision.NOT_RECORD)
      return trace.wrapSpanContext(spanContext);
    if (sampling.attributes) Object.assign(attributes, sampling.attributes);
    const span = new LightSpan(
      name,
      kind,
      attributes,
      this.resource,
      this.scope,
      parent,
      spanContext,
      this.processor,
      options.startTime,
    );
    if (links.length) span.addLinks(links);
    this.processor.onStart(span, active);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    parentContext: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : {};
    const parentContext = rest.length > 2 ? (rest[1] as Context) : context.active();
    const span = this.startSpan(name, options, parentContext);
    return context.with(
      trace.setSpan(parentContext, span),
      fn as (span: Span) => ReturnType<F>,
      undefined,
      span,
    );
  }
}

const INVALID_CONTEXT: SpanContext = {
  traceId: INVALID_TRACE_ID,
  spanId: INVALID_SPAN_ID,
  traceFlags: TraceFlags.NONE,
};
