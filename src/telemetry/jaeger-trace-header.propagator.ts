import {
  TraceFlags,
  isSpanContextValid,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';

export const UBER_TRACE_ID = 'uber-trace-id';

const HEX_ID = /^[0-9a-f]{1,32}$/;

/**
 * Jaeger's own header, `uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}`, for
 * clients and servers still on the Jaeger SDKs. (`@opentelemetry/propagator-jaeger` has no
 * release for the 3.x SDK.) Baggage in `uberctx-*` headers is not carried.
 */
export class JaegerTraceHeaderPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (!spanContext || !isSpanContextValid(spanContext) || isTracingSuppressed(context)) return;
    const sampled = (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0;
    setter.set(
      carrier,
      UBER_TRACE_ID,
      `${spanContext.traceId}:${spanContext.spanId}:0:${sampled ? '1' : '0'}`,
    );
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const raw = getter.get(carrier, UBER_TRACE_ID);
    const header = Array.isArray(raw) ? raw[0] : raw;
    if (!header) return context;
    // Some clients URL-encode the colons.
    const parts = (header.includes('%') ? safeDecode(header) : header).split(':');
    if (parts.length !== 4) return context;
    const [traceIdPart, spanIdPart, , flagsPart] = parts;
    if (!HEX_ID.test(traceIdPart) || !HEX_ID.test(spanIdPart) || spanIdPart.length > 16) {
      return context;
    }
    const flags = Number.parseInt(flagsPart, 16);
    const spanContext = {
      traceId: traceIdPart.padStart(32, '0'),
      spanId: spanIdPart.padStart(16, '0'),
      isRemote: true,
      traceFlags: Number.isNaN(flags) || (flags & 1) === 0 ? TraceFlags.NONE : TraceFlags.SAMPLED,
    };
    return isSpanContextValid(spanContext) ? trace.setSpanContext(context, spanContext) : context;
  }

  fields(): string[] {
    return [UBER_TRACE_ID];
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
