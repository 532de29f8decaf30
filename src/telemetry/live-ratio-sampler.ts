import { trace, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace';

const DROP: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

/**
 * Parent-based sampling whose root ratio can change while the process runs (it follows
 * `tracing.sampleRatio`). Database calls made outside any trace (start-up migrations, probes
 * of a reloaded DataSource) are never sampled: they would each be a one-span trace.
 */
export class LiveRatioSampler implements Sampler {
  private delegate: Sampler;
  private currentRatio: number;

  constructor(ratio = 1) {
    this.setRatio(ratio);
  }

  get ratio(): number {
    return this.currentRatio;
  }

  setRatio(ratio: number): void {
    const bounded = Math.min(1, Math.max(0, Number.isFinite(ratio) ? ratio : 1));
    const root =
      bounded >= 1
        ? new AlwaysOnSampler()
        : bounded <= 0
          ? new AlwaysOffSampler()
          : new TraceIdRatioBasedSampler(bounded);
    // One assignment: a span started during the change sees the old or the new sampler.
    this.delegate = new ParentBasedSampler({ root });
    this.currentRatio = bounded;
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (attributes['db.system.name'] !== undefined && !trace.getSpanContext(context)) return DROP;
    return this.delegate.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `LiveRatioSampler{ratio=${this.currentRatio}}`;
  }
}
