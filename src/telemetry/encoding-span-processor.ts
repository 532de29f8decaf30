import { TraceFlags, context, diag, type MeterProvider } from '@opentelemetry/api';
import { ExportResultCode, globalErrorHandler, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { TraceRequestEncoder } from './otlp-trace-serializer';

/** A batch of spans, already the bytes of its OTLP request. */
export interface EncodedSpans {
  /** How many spans it holds (what the exporter's own counters read). */
  readonly length: number;
  readonly bytes: Uint8Array;
}

/** Sends encoded batches: the OTLP exporter of otlp-trace-exporter.ts. */
export interface EncodedSpanExporter {
  export(
    batch: EncodedSpans,
    done: (result: { code: ExportResultCode; error?: Error }) => void,
  ): void;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface EncodingSpanProcessorOptions {
  exporter: EncodedSpanExporter;
  /** Spans waiting at most (encoded or in batches not yet sent); more are dropped and counted. */
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
  selfObsMeterProvider: MeterProvider;
}

const COMPONENT_TYPE = 'batching_span_processor';
let instances = 0;

/**
 * The batch span processor of the OTLP exporter, encoding each span as it ends.
 *
 * The SDK's BatchSpanProcessor keeps every ended span, with its attributes, until its batch is
 * exported: up to a second and a thousand spans later, long enough for the collector to move
 * them out of the young generation and collect them again in the old one. Here a span becomes
 * protobuf bytes when it ends (outside the JavaScript heap) and is free at once.
 *
 * The rest is the SDK's batching, with the same `OTEL_BSP_*` settings: a batch leaves when it
 * holds `maxExportBatchSize` spans or `scheduledDelayMillis` after its first span, one export
 * at a time; spans beyond `maxQueueSize` waiting are dropped; the same self-observability
 * counters (`otel.sdk.processor.span.processed`, with `error.type` `queue_full` for drops).
 */
export class EncodingSpanProcessor implements SpanProcessor {
  private readonly encoder = new TraceRequestEncoder();
  /** Full batches waiting for the export in progress to finish. */
  private readonly waiting: EncodedSpans[] = [];
  private waitingSpans = 0;
  private exporting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private shutdownStarted: Promise<void> | undefined;
  private droppedSinceWarning = 0;
  private readonly processed;
  private readonly standard: Record<string, string>;
  private readonly dropped: Record<string, string>;

  constructor(private readonly options: EncodingSpanProcessorOptions) {
    this.standard = {
      'otel.component.type': COMPONENT_TYPE,
      'otel.component.name': `${COMPONENT_TYPE}/${instances++}`,
    };
    this.dropped = { ...this.standard, 'error.type': 'queue_full' };
    const meter = options.selfObsMeterProvider.getMeter('@opentelemetry/sdk-trace');
    this.processed = meter.createCounter('otel.sdk.processor.span.processed', {
      unit: '{span}',
      description:
        'The number of spans for which the processing has finished, either successful or failed.',
    });
    meter
      .createUpDownCounter('otel.sdk.processor.span.queue.capacity', {
        unit: '{span}',
        description:
          'The maximum number of spans the queue of a given instance of an SDK span processor can hold.',
      })
      .add(options.maxQueueSize, this.standard);
    meter
      .createObservableUpDownCounter('otel.sdk.processor.span.queue.size', {
        unit: '{span}',
        description:
          'The number of spans in the queue of a given instance of an SDK span processor.',
      })
      .addCallback((result) => result.observe(this.queued(), this.standard));
  }

  private queued(): number {
    return this.encoder.count + this.waitingSpans;
  }

  onStart(_span: Span): void {}

  onEnd(span: ReadableSpan): void {
    if (this.shutdownStarted) return;
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queued() >= this.options.maxQueueSize) {
      if (this.droppedSinceWarning++ === 0) diag.debug('maxQueueSize reached, dropping spans');
      this.processed.add(1, this.dropped);
      return;
    }
    if (this.droppedSinceWarning > 0) {
      diag.warn(`Dropped ${this.droppedSinceWarning} spans because maxQueueSize reached`);
      this.droppedSinceWarning = 0;
    }
    this.encoder.add(span);
    if (this.encoder.count >= this.options.maxExportBatchSize) {
      this.closeBatch();
      void this.exportWaiting();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.closeBatch();
        void this.exportWaiting();
      }, this.options.scheduledDelayMillis).unref();
    }
  }

  /** The spans encoded so far become a batch of their own. */
  private closeBatch(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const length = this.encoder.count;
    if (length === 0) return;
    this.waiting.push({ length, bytes: this.encoder.finish() });
    this.waitingSpans += length;
  }

  /** Sends the waiting batches one after the other; the promise settles when none is left. */
  private exportWaiting(): Promise<void> {
    this.exporting ??= (async () => {
      try {
        for (let batch = this.waiting.shift(); batch; batch = this.waiting.shift()) {
          try {
            await this.send(batch);
          } catch (error) {
            globalErrorHandler(error as Error);
          } finally {
            this.waitingSpans -= batch.length;
          }
        }
      } finally {
        this.exporting = undefined;
      }
    })();
    return this.exporting;
  }

  private send(batch: EncodedSpans): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(
        () => reject(new Error('Timeout')),
        this.options.exportTimeoutMillis,
      ).unref();
      // The export's own HTTP request makes no span.
      context.with(suppressTracing(context.active()), () => {
        this.options.exporter.export(batch, (result) => {
          clearTimeout(timeout);
          if (result.code === ExportResultCode.SUCCESS) {
            this.processed.add(batch.length, this.standard);
            resolve();
          } else {
            const error = result.error ?? new Error('span export failed');
            this.processed.add(batch.length, { ...this.standard, 'error.type': error.name });
            reject(error);
          }
        });
      });
    });
  }

  async forceFlush(): Promise<void> {
    if (this.shutdownStarted) return this.shutdownStarted;
    await this.flushAll();
  }

  private async flushAll(): Promise<void> {
    this.closeBatch();
    // An export already running may have been started before this batch was closed.
    while (this.exporting || this.waiting.length) await this.exportWaiting();
  }

  shutdown(): Promise<void> {
    this.shutdownStarted ??= this.flushAll().then(() => this.options.exporter.shutdown());
    return this.shutdownStarted;
  }
}
