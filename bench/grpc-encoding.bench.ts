/**
 * What writing one gRPC answer costs, in isolation: a page of 20 projects
 * (`ListProjectsResponse`) encoded by proto-loader's serializer (protobufjs `fromObject`, then
 * `encode`) and by the server's own encoder (src/grpc/response-encoder.ts), which the server
 * uses. Alternating rounds in one process, µs per page, medians; both must give the same bytes.
 *
 *   npm run bench:grpc-encoding
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { GRPC_PACKAGES, protoRoot, SERVER_LOADER_OPTIONS } from '@/grpc/grpc.options';
import { encodeResponsesDirectly } from '@/grpc/response-encoder';
import { median } from './lib/rounds';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PAGES = 20_000;
const PATH = '/msproject.project.v1.ProjectService/ListProjects';

/** A first page as the server answers it: public ids, ISO times, an owner per project. */
function page() {
  const created = new Date('2026-11-30T08:15:00Z');
  return {
    items: Array.from({ length: 20 }, (_, index) => ({
      id: `pRj${index}Xq4LmN8sT2vW9yZ0aB`,
      name: `Benchmark project ${index}`,
      description: index % 3 ? '' : 'Quarterly planning for the platform team',
      cover: 'https://static.example.test/covers/default.png',
      organizationId: 'oRg7Hk2LmQ9sT4vW1yZ3aC',
      templateId: '',
      taskBoardTheme: 'default',
      openTaskPrivate: false,
      schedule: index * 5,
      archived: false,
      archivedAt: null,
      deleted: false,
      deletedAt: null,
      createdAt: new Date(created.getTime() + index * 60_000).toISOString(),
      owner: { id: 'mBr8Jq2LmN4sT6vW0yZ1aD', name: 'Bench member', avatar: '', account: 'bench' },
      myRole: 'owner',
      collected: index % 4 === 0,
      autoUpdateSchedule: false,
      private: true,
      prefix: '',
      openPrefix: false,
      openBeginTime: false,
    })),
    total: 20,
    page: 1,
    pageSize: 20,
  };
}

function listMethod(direct: boolean): MethodDefinition<object, object> {
  const root = protoRoot();
  const files = GRPC_PACKAGES.map((entry) => join(root, entry.file));
  const definition = loadSync(files, { ...SERVER_LOADER_OPTIONS, includeDirs: [root] });
  if (direct) encodeResponsesDirectly(definition, files, [root]);
  const service = definition['msproject.project.v1.ProjectService'] as Record<
    string,
    MethodDefinition<object, object>
  >;
  return Object.values(service).find((method) => method.path === PATH)!;
}

function main() {
  const message = page();
  const variants = {
    'proto-loader serializer': listMethod(false).responseSerialize,
    'direct encoder (the server)': listMethod(true).responseSerialize,
  };
  const [reference, ...others] = Object.values(variants);
  for (const encode of others) assert.deepEqual(encode(message), reference(message));
  const times = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
  const entries = Object.entries(variants);
  // Warm-up: both encoders tiered up before the first round.
  for (const [, encode] of entries) for (let index = 0; index < PAGES; index++) encode(message);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, encode] of round % 2 ? [...entries].reverse() : entries) {
      const started = process.hrtime.bigint();
      for (let index = 0; index < PAGES; index++) encode(message);
      times.get(name)!.push(Number(process.hrtime.bigint() - started) / PAGES / 1000);
    }
  }
  const bytes = reference(message).length;
  console.log(`one page of 20 projects (${bytes} bytes), ${ROUNDS} rounds × ${PAGES} pages`);
  for (const [name, values] of times) {
    console.log(`${name.padEnd(28)} ${median(values).toFixed(2)} µs per page (median)`);
  }
}

main();
