import { trace, type Tracer } from '@opentelemetry/api';

/*
 * Apart from light-span.ts, which loads the tracing SDK: with tracing off, the code that asks
 * for its tracer loads no more than the API.
 */

let ownTracers: ((scopeName: string) => Tracer) | undefined;

/** Makes `ownTracer` answer light tracers; tracing.ts calls it once tracing has started. */
export function useLightTracers(factory: (scopeName: string) => Tracer): void {
  ownTracers = factory;
}

/**
 * The tracer for the application's own spans (server and service spans): light spans when
 * tracing is on, the API's no-op tracer otherwise.
 */
export function ownTracer(scopeName: string): Tracer {
  return ownTracers ? ownTracers(scopeName) : trace.getTracer(scopeName);
}
