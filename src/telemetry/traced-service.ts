import { context, createContextKey, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ownTracer } from './own-tracer';

/** The service whose method span the current context is inside. */
const INSIDE_SERVICE = createContextKey('msproject.traced-service');

const tracer = () => ownTracer('msproject');

function failed(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
}

/**
 * One span per call into a service (`Class.method`), under the request's span. A method that
 * the service calls on itself adds none (its work belongs to the entry's span), and within a
 * request that is not sampled nothing is started at all: span work only where a span is kept.
 */
export function TracedService(): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      if (name === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (!descriptor || typeof descriptor.value !== 'function') continue;
      const original = descriptor.value as (...args: unknown[]) => unknown;
      const spanName = `${target.name}.${name}`;
      const traced = function (this: unknown, ...args: unknown[]): unknown {
        const active = context.active();
        const parent = trace.getSpan(active);
        if (active.getValue(INSIDE_SERVICE) === target || (parent && !parent.isRecording())) {
          return original.apply(this, args);
        }
        return tracer().startActiveSpan(
          spanName,
          {},
          active.setValue(INSIDE_SERVICE, target),
          (span) => {
            try {
              const result = original.apply(this, args);
              if (result instanceof Promise) {
                return result.then(
                  (value: unknown) => {
                    span.end();
                    return value;
                  },
                  (error: unknown) => {
                    failed(span, error);
                    span.end();
                    throw error;
                  },
                );
              }
              span.end();
              return result;
            } catch (error) {
              failed(span, error);
              span.end();
              throw error;
            }
          },
        );
      };
      Object.defineProperty(traced, 'name', { value: name });
      Object.defineProperty(prototype, name, { ...descriptor, value: traced });
    }
  };
}
