import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeReceiver, waitForBatches } from './receiver-waits';

/**
 * A stand-in for an OTLP/HTTP collector (Jaeger's :4318): accepts protobuf trace exports at
 * /v1/traces and decodes them. Run it in a process without telemetry, or its own requests
 * would be traced too.
 */

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP's enum: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: string;
  statusCode: number;
}

/** The protobuf wire format, read field by field. */
class WireReader {
  private offset: number;

  constructor(
    private readonly buffer: Buffer,
    private readonly start = 0,
    private readonly end = buffer.length,
  ) {
    this.offset = start;
  }

  /** The message's fields, from the first each time; nested messages come as readers. */
  *fields(): Generator<{ field: number; wireType: number; reader: WireReader; value: bigint }> {
    this.offset = this.start;
    while (this.offset < this.end) {
      const key = Number(this.varint());
      const field = key >>> 3;
      const wireType = key & 7;
      switch (wireType) {
        case 0:
          yield { field, wireType, reader: this, value: this.varint() };
          break;
        case 1: {
          const value = this.buffer.readBigUInt64LE(this.offset);
          this.offset += 8;
          yield { field, wireType, reader: this, value };
          break;
        }
        case 2: {
          const length = Number(this.varint());
          const start = this.offset;
          this.offset += length;
          yield {
            field,
            wireType,
            reader: new WireReader(this.buffer, start, start + length),
            value: 0n,
          };
          break;
        }
        case 5: {
          const value = BigInt(this.buffer.readUInt32LE(this.offset));
          this.offset += 4;
          yield { field, wireType, reader: this, value };
          break;
        }
        default:
          throw new Error(`unsupported wire type ${wireType}`);
      }
    }
  }

  bytes(): Buffer {
    return this.buffer.subarray(this.start, this.end);
  }

  string(): string {
    return this.bytes().toString('utf8');
  }

  private varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.buffer[this.offset++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }
}

function anyValue(reader: WireReader): unknown {
  for (const { field, reader: inner, value } of reader.fields()) {
    switch (field) {
      case 1:
        return inner.string();
      case 2:
        return value !== 0n;
      case 3:
        return Number(BigInt.asIntN(64, value));
      case 4:
        return Buffer.from(new BigUint64Array([value]).buffer).readDoubleLE(0);
      case 5:
        return [...inner.fields()].map((entry) => anyValue(entry.reader));
      case 6:
        return keyValues(inner, 1);
      case 7:
        return inner.bytes().toString('hex');
    }
  }
  return undefined;
}

/** The repeated KeyValue field `field` of a message, as an object. */
function keyValues(reader: WireReader, field: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const entry of reader.fields()) {
    if (entry.field !== field) continue;
    let key = '';
    let value: unknown;
    for (const part of entry.reader.fields()) {
      if (part.field === 1) key = part.reader.string();
      if (part.field === 2) value = anyValue(part.reader);
    }
    result[key] = value;
  }
  return result;
}

function decodeSpan(
  reader: WireReader,
  resource: Record<string, unknown>,
  scope: string,
): OtlpSpan {
  const span: OtlpSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    attributes: {},
    resource,
    scope,
    statusCode: 0,
  };
  for (const { field, reader: inner, value } of reader.fields()) {
    if (field === 1) span.traceId = inner.bytes().toString('hex');
    if (field === 2) span.spanId = inner.bytes().toString('hex');
    if (field === 4) span.parentSpanId = inner.bytes().toString('hex');
    if (field === 5) span.name = inner.string();
    if (field === 6) span.kind = Number(value);
    if (field === 15) {
      for (const status of inner.fields())
        if (status.field === 3) span.statusCode = Number(status.value);
    }
  }
  span.attributes = keyValues(reader, 9);
  return span;
}

/** ExportTraceServiceRequest → its spans, each with its resource's attributes. */
export function decodeTraceExport(body: Buffer): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const resourceSpans of new WireReader(body).fields()) {
    if (resourceSpans.field !== 1) continue;
    let resource: Record<string, unknown> = {};
    for (const part of resourceSpans.reader.fields()) {
      if (part.field === 1) resource = keyValues(part.reader, 1);
    }
    for (const part of resourceSpans.reader.fields()) {
      if (part.field !== 2) continue;
      let scope = '';
      for (const scopePart of part.reader.fields()) {
        if (scopePart.field === 1) {
          for (const scopeField of scopePart.reader.fields()) {
            if (scopeField.field === 1) scope = scopeField.reader.string();
          }
        }
      }
      for (const scopePart of part.reader.fields()) {
        if (scopePart.field === 2) spans.push(decodeSpan(scopePart.reader, resource, scope));
      }
    }
  }
  return spans;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export class OtlpReceiver {
  /** Raw export bodies, decoded on demand: decoding under load would slow the sender's host. */
  readonly bodies: Buffer[] = [];
  /** Metric exports (/v1/metrics), kept raw: tests look for metric names in them. */
  readonly metricBodies: Buffer[] = [];
  private server?: Server;
  private waiters = new Set<() => void>();

  constructor(private readonly decode = true) {}

  get url(): string {
    return `${this.base}/v1/traces`;
  }

  get metricsUrl(): string {
    return `${this.base}/v1/metrics`;
  }

  private get base(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  spans(): OtlpSpan[] {
    return this.bodies.flatMap((body) => decodeTraceExport(body));
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        if (request.method === 'POST' && request.url === '/v1/metrics') {
          this.metricBodies.push(body);
          response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
          for (const wake of this.waiters) wake();
          return;
        }
        if (request.method !== 'POST' || request.url !== '/v1/traces') {
          response.writeHead(404).end();
          return;
        }
        this.bodies.push(body);
        // An empty ExportTraceServiceResponse: full success.
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        if (this.decode) for (const wake of this.waiters) wake();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Resolves with the decoded spans once `predicate` holds for them. */
  waitFor(predicate: (spans: OtlpSpan[]) => boolean, timeoutMs = 10_000): Promise<OtlpSpan[]> {
    return waitForBatches(
      this.waiters,
      () => this.spans(),
      predicate,
      (span) => span.name,
      timeoutMs,
    );
  }

  close(): Promise<void> {
    return closeReceiver(this.server);
  }
}
