/**
 * The tracing work of one project-list request in isolation, where `npm run bench` sees it
 * only through the noise of a whole request on shared cores: a server span, a service span,
 * two SQL statements and two Redis commands, and their share of the OTLP protobuf export.
 * `sdk` makes the statement and command spans as the SDK does (sampler, attribute clean-up,
 * the statement masked on every call) and exports with the OTLP exporter's own serializer;
 * `leaf` is what the application does (src/telemetry/light-span.ts, sql-spans.ts and
 * otlp-trace-serializer.ts). Alternating rounds in one process, CPU µs per request, medians.
 *
 *   npm run bench:tracing
 */
import { ROOT_CONTEXT, SpanKind, context, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { LeafSpans } from '@/telemetry/light-span';
import { serializeTraceRequest } from '@/telemetry/otlp-trace-serializer';
import { maskStatement } from '@/telemetry/sql-spans';

type Variant = 'sdk' | 'leaf';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const REQUESTS = 20_000;
const BATCH = 1_024;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

let variant: Variant = 'sdk';
let batch: ReadableSpan[] = [];
const processor: SpanProcessor = {
  onStart: () => undefined,
  onEnd: (span) => {
    batch.push(span);
    if (batch.length < BATCH) return;
    if (variant === 'sdk') ProtobufTraceSerializer.serializeRequest(batch);
    else serializeTraceRequest(batch);
    batch = [];
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
const provider = new TracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'msproject', 'service.version': '0.1.0' }),
  spanProcessors: [processor],
});
const http = provider.getTracer('msproject.http');
const services = provider.getTracer('msproject');
const drivers = provider.getTracer('drivers');
const leaves = new LeafSpans(processor, 'msproject.mysql2');

const COLUMNS = Array.from({ length: 14 }, (_, i) => `\`p\`.\`column_${i}\` AS \`p_column_${i}\``);
/** A new string each time, as TypeORM builds it. */
const statement = (variantNumber: number) =>
  `SELECT ${COLUMNS.join(', ')} FROM \`project\` \`p\` WHERE \`p\`.\`member_id\` = ? LIMIT ${20 + variantNumber}`;
const CONNECTION = {
  'db.namespace': 'msproject',
  'server.address': '127.0.0.1',
  'server.port': 3306,
  'db.system.name': 'mysql',
};
const REDIS: Attributes = {
  'db.operation.name': 'get',
  'db.system.name': 'redis',
  'db.query.text': 'get session:0123456789',
  'server.address': '127.0.0.1',
  'server.port': 6379,
};
const masked = new Map<string, string>();

function driverSpans(query: number): void {
  const sql = statement(query);
  if (variant === 'sdk') {
    const attributes = { ...CONNECTION, 'db.query.text': maskStatement(sql) };
    drivers.startSpan('SELECT', { kind: SpanKind.CLIENT, attributes }).end();
    drivers.startSpan('get', { kind: SpanKind.CLIENT, attributes: { ...REDIS } }).end();
    return;
  }
  let text = masked.get(sql);
  if (text === undefined) masked.set(sql, (text = maskStatement(sql)));
  const parent = leaves.recordedParent()!;
  leaves.start(parent, 'SELECT', SpanKind.CLIENT, { ...CONNECTION, 'db.query.text': text }).end();
  leaves.start(parent, 'get', SpanKind.CLIENT, { ...REDIS }).end();
}

function request(): void {
  const server = http.startSpan('GET /api/v1/projects', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/api/v1/projects',
      'client.address': '127.0.0.1',
      'http.route': '/api/v1/projects',
    },
  });
  context.with(trace.setSpan(ROOT_CONTEXT, server), () =>
    services.startActiveSpan('ProjectService.list', (span) => {
      driverSpans(0);
      driverSpans(1);
      span.end();
    }),
  );
  server.setAttribute('http.response.status_code', 200);
  server.end();
}

function cpuPerRequest(): number {
  const before = process.cpuUsage();
  for (let index = 0; index < REQUESTS; index++) request();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / REQUESTS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

function main(): void {
  const samples: Record<Variant, number[]> = { sdk: [], leaf: [] };
  for (let round = -2; round < ROUNDS; round++) {
    const order: Variant[] = round % 2 ? ['leaf', 'sdk'] : ['sdk', 'leaf'];
    for (const current of order) {
      variant = current;
      batch = [];
      const sample = cpuPerRequest();
      // The first two rounds warm the JIT up.
      if (round >= 0) samples[current].push(sample);
    }
  }
  const sdk = median(samples.sdk);
  const leaf = median(samples.leaf);
  console.log('| tracing work of one list request      | CPU µs/req |');
  console.log('| ------------------------------------- | ---------- |');
  console.log(`| SDK spans, OTLP exporter's serializer | ${sdk.toFixed(1).padStart(10)} |`);
  console.log(`| leaf spans, own serializer            | ${leaf.toFixed(1).padStart(10)} |`);
}

main();
