import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeReceiver, waitForBatches } from './receiver-waits';

/**
 * A stand-in for Jaeger's collector endpoint (:14268/api/traces): accepts Thrift batches
 * (binary protocol, as exporter-jaeger's HTTP sender posts them) and decodes the parts of
 * jaeger.thrift that tests look at.
 */

export interface JaegerSpan {
  serviceName: string;
  traceId: string;
  spanId: string;
  /** `0000000000000000` for a root span. */
  parentSpanId: string;
  operationName: string;
  tags: Record<string, unknown>;
}

type ThriftValue = boolean | number | bigint | Buffer | ThriftStruct | ThriftValue[];
type ThriftStruct = Map<number, ThriftValue>;

const enum ThriftType {
  Stop = 0,
  Bool = 2,
  Byte = 3,
  Double = 4,
  I16 = 6,
  I32 = 8,
  I64 = 10,
  String = 11,
  Struct = 12,
  Map = 13,
  Set = 14,
  List = 15,
}

/** TBinaryProtocol, generically: structs become maps from field id to value. */
class ThriftReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  struct(): ThriftStruct {
    const fields: ThriftStruct = new Map();
    for (;;) {
      const type = this.buffer.readInt8(this.offset++) as ThriftType;
      if (type === ThriftType.Stop) return fields;
      const id = this.buffer.readInt16BE(this.offset);
      this.offset += 2;
      fields.set(id, this.value(type));
    }
  }

  private value(type: ThriftType): ThriftValue {
    const at = this.offset;
    switch (type) {
      case ThriftType.Bool:
        this.offset += 1;
        return this.buffer[at] !== 0;
      case ThriftType.Byte:
        this.offset += 1;
        return this.buffer.readInt8(at);
      case ThriftType.Double:
        this.offset += 8;
        return this.buffer.readDoubleBE(at);
      case ThriftType.I16:
        this.offset += 2;
        return this.buffer.readInt16BE(at);
      case ThriftType.I32:
        this.offset += 4;
        return this.buffer.readInt32BE(at);
      case ThriftType.I64:
        this.offset += 8;
        return this.buffer.readBigInt64BE(at);
      case ThriftType.String: {
        const length = this.buffer.readInt32BE(at);
        this.offset += 4 + length;
        return this.buffer.subarray(at + 4, at + 4 + length);
      }
      case ThriftType.Struct:
        return this.struct();
      case ThriftType.Map: {
        const keyType = this.buffer.readInt8(at) as ThriftType;
        const valueType = this.buffer.readInt8(at + 1) as ThriftType;
        const size = this.buffer.readInt32BE(at + 2);
        this.offset += 6;
        const entries: ThriftValue[] = [];
        for (let index = 0; index < size; index++) {
          entries.push([this.value(keyType), this.value(valueType)]);
        }
        return entries;
      }
      case ThriftType.Set:
      case ThriftType.List: {
        const elementType = this.buffer.readInt8(at) as ThriftType;
        const size = this.buffer.readInt32BE(at + 1);
        this.offset += 5;
        return Array.from({ length: size }, () => this.value(elementType));
      }
      case ThriftType.Stop:
      default:
        throw new Error(`unsupported thrift type ${String(type)} at ${at}`);
    }
  }
}

function text(value: ThriftValue | undefined): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : '';
}

function hex64(value: ThriftValue | undefined): string {
  return typeof value === 'bigint' ? BigInt.asUintN(64, value).toString(16).padStart(16, '0') : '';
}

/** jaeger.thrift Tag: 1 key, 2 vType (0 string, 1 double, 2 bool, 3 long, 4 binary), 3–7 values. */
function tags(list: ThriftValue | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const tag of (list as ThriftStruct[] | undefined) ?? []) {
    const type = tag.get(2) as number;
    const value = tag.get(3 + type);
    result[text(tag.get(1))] =
      type === 0 ? text(value) : typeof value === 'bigint' ? Number(value) : value;
  }
  return result;
}

/** Batch: 1 process { 1 serviceName, 2 tags }, 2 spans. */
export function decodeJaegerBatch(body: Buffer): JaegerSpan[] {
  const batch = new ThriftReader(body).struct();
  const process = batch.get(1) as ThriftStruct;
  const serviceName = text(process.get(1));
  return ((batch.get(2) as ThriftStruct[] | undefined) ?? []).map((span) => ({
    serviceName,
    traceId: hex64(span.get(2)) + hex64(span.get(1)),
    spanId: hex64(span.get(3)),
    parentSpanId: hex64(span.get(4)),
    operationName: text(span.get(5)),
    tags: tags(span.get(10)),
  }));
}

export class JaegerReceiver {
  readonly bodies: Buffer[] = [];
  readonly contentTypes: string[] = [];
  private server?: Server;
  private waiters = new Set<() => void>();

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/traces`;
  }

  spans(): JaegerSpan[] {
    return this.bodies.flatMap((body) => decodeJaegerBatch(body));
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method !== 'POST' || !request.url?.startsWith('/api/traces')) {
          response.writeHead(404).end();
          return;
        }
        this.bodies.push(Buffer.concat(chunks));
        this.contentTypes.push(request.headers['content-type'] ?? '');
        response.writeHead(202).end();
        for (const wake of this.waiters) wake();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  waitFor(predicate: (spans: JaegerSpan[]) => boolean, timeoutMs = 10_000): Promise<JaegerSpan[]> {
    return waitForBatches(
      this.waiters,
      () => this.spans(),
      predicate,
      (span) => span.operationName,
      timeoutMs,
    );
  }

  close(): Promise<void> {
    return closeReceiver(this.server);
  }
}
