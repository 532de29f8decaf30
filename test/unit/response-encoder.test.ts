import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSync, type MethodDefinition, type PackageDefinition } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { GRPC_PACKAGES, protoRoot, SERVER_LOADER_OPTIONS } from '@/grpc/grpc.options';
import { loadPackageDefinition, loadRoot } from '@/grpc/package-definition';
import { encodeResponsesDirectly, responseEncoder } from '@/grpc/response-encoder';

const root = protoRoot();
const files = GRPC_PACKAGES.map((entry) => join(root, entry.file));
const loader = { ...SERVER_LOADER_OPTIONS, includeDirs: [root] };

function methods(definition: PackageDefinition): MethodDefinition<object, object>[] {
  return Object.values(definition)
    .filter((service) => !('format' in service))
    .flatMap((service) => Object.values(service) as MethodDefinition<object, object>[]);
}

function listProjects(definition: PackageDefinition): MethodDefinition<object, object> {
  const path = '/msproject.project.v1.ProjectService/ListProjects';
  return methods(definition).find((method) => method.path === path)!;
}

/** A repeatable pseudo-random sequence. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const VALUES: Record<string, unknown[]> = {
  string: [
    '',
    'a',
    'Projekt ü',
    '项目 😀',
    'x'.repeat(45),
    'ü€'.repeat(30),
    'lone \ud800',
    'y'.repeat(40) + '\udc00',
    42,
    true,
  ],
  bool: [true, false, 1, 0, 'yes', ''],
  int32: [0, 1, 127, 128, 300, 2 ** 31 - 1, -1, -300, -(2 ** 31), '17', 2.7],
  uint32: [0, 1, 128, 2 ** 32 - 1, '9'],
  double: [0, 1.5, -2.25, 1e300, '3.5'],
};

/** A message of `type` with fields absent, null or set to values of every shape. */
function sample(type: protobuf.Type, next: () => number, depth = 0): Record<string, unknown> {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const message: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    const roll = next();
    if (roll < 0.15) continue;
    if (roll < 0.3) {
      message[field.name] = null;
      continue;
    }
    const one = () =>
      field.resolvedType instanceof protobuf.Type
        ? depth < 3
          ? sample(field.resolvedType, next, depth + 1)
          : {}
        : pick(VALUES[field.type] ?? [0]);
    if (field.map) {
      // A map is an object of its value type (string keys here).
      message[field.name] = Object.fromEntries(
        Array.from({ length: Math.floor(next() * 4) }, (_, index) => [`key${index}`, one()]),
      );
      continue;
    }
    message[field.name] = field.repeated
      ? Array.from({ length: Math.floor(next() * 4) }, one)
      : one();
  }
  return message;
}

describe('direct response encoding', () => {
  const reference = loadSync(files, loader);
  const direct = loadSync(files, loader);
  encodeResponsesDirectly(direct, files, [root]);
  const types = new protobuf.Root();
  types.resolvePath = (_origin, target) => (target.startsWith('/') ? target : join(root, target));
  types.loadSync(files, { keepCase: false });
  types.resolveAll();

  it('writes the same bytes as proto-loader for every response of every method', () => {
    const next = random(7);
    let compared = 0;
    const expected = methods(reference);
    const actual = methods(direct);
    for (const [index, method] of expected.entries()) {
      const [, service, name] = method.path.split('/');
      const type = types.lookupService(service).methods[name].resolvedResponseType!;
      for (let round = 0; round < 40; round++) {
        const message = sample(type, next);
        assert.deepEqual(
          actual[index].responseSerialize(message),
          method.responseSerialize(message),
          `${method.path} ${JSON.stringify(message)}`,
        );
        compared++;
      }
    }
    assert.ok(compared > 1000);
  });

  it('writes answers larger than its buffer, and nested sizes that change from call to call', () => {
    const [expected, actual] = [reference, direct].map(listProjects);
    const page = (count: number, description: string) => ({
      items: Array.from({ length: count }, (_, index) => ({
        id: `p${index}`,
        name: `Project ${index}`,
        description,
        owner: { id: 'm1', name: index % 2 ? 'Ann' : 'ü'.repeat(index % 90) },
      })),
      total: count,
    });
    // Small items after large ones and the other way round; then one answer of megabytes.
    for (const message of [
      page(3, 'd'.repeat(300)),
      page(3, ''),
      page(2, 'é'.repeat(20_000)),
      page(40, 'short'),
      page(5_000, 'x'.repeat(500)),
      page(1, ''),
    ]) {
      const bytes = expected.responseSerialize(message);
      assert.deepEqual(actual.responseSerialize(message), bytes);
    }
    assert.ok(expected.responseSerialize(page(5_000, 'x'.repeat(500))).length > 2_000_000);
  });

  it('ends at the buffer exactly, splits strings where protobufjs does, and keeps every answer its own', () => {
    const [expected, actual] = [reference, direct].map(listProjects);
    const same = (message: object) =>
      assert.deepEqual(actual.responseSerialize(message), expected.responseSerialize(message));
    // Answers ending on every byte around the end of a fresh 64 KiB buffer (one answer past
    // 256 KiB before each, which is not kept), with a ten-byte int32 and the fields after the
    // long one written near the end.
    const reset = { items: [{ id: 'r', description: 'r'.repeat(300_000) }] };
    for (let length = 65_536 - 80; length < 65_536 + 30; length++) {
      actual.responseSerialize(reset);
      same({
        items: [{ id: 'p', description: 'd'.repeat(length), schedule: -1, owner: { id: 'm' } }],
      });
    }
    // Around the 40 units where protobufjs' own UTF-8 writer gives way to Buffer's.
    for (let units = 36; units <= 44; units++) {
      for (const tail of ['', '\ud800', 'ü', '😀', '€€']) {
        same({ items: [{ id: 'x'.repeat(units - tail.length) + tail, name: tail.repeat(units) }] });
      }
    }
    // A value whose conversion to a string encodes another answer.
    const inner = { items: [{ id: 'inner', name: 'n'.repeat(70_000) }] };
    const reentrant = { toString: () => (actual.responseSerialize(inner), 'outer') };
    same({ items: [{ id: reentrant, name: 'after' }], total: 1 });
    // An answer stays as it was written after later ones.
    const first = actual.responseSerialize({ items: [{ id: 'first' }] });
    actual.responseSerialize({ items: [{ id: 'second', name: 's'.repeat(500) }] });
    assert.deepEqual(first, expected.responseSerialize({ items: [{ id: 'first' }] }));
  });

  it("fails where proto-loader's serializer fails: a message field that is not an object", () => {
    const list = types.lookupType('msproject.project.v1.ListProjectsResponse');
    const encode = responseEncoder(list)!;
    assert.throws(() => encode({ items: [{ id: 'p', owner: 'nobody' }] }), /object expected/);
    assert.throws(() => encode({ items: 'none' }), /array expected/);
  });

  it('encodes the lists directly and leaves messages with other kinds of fields to protobufjs', () => {
    assert.ok(responseEncoder(types.lookupType('msproject.project.v1.ListProjectsResponse')));
    assert.ok(responseEncoder(types.lookupType('msproject.user.v1.Member')));
    assert.equal(
      responseEncoder(types.lookupType('grpc.health.v1.HealthCheckResponse')),
      undefined,
    );
  });
});

describe('package definition', () => {
  const reference = loadSync(files, loader);
  const ours = loadPackageDefinition(files, loader);
  const filesOf = (definition: PackageDefinition) =>
    Object.values(definition).find((entry) => 'format' in entry)!.fileDescriptorProtos as Buffer[];

  /** Functions by name, every type's `fileDescriptorProtos` as whether it is the shared list. */
  function plain(value: unknown, shared: Buffer[]): unknown {
    if (typeof value === 'function') return 'function';
    if (Array.isArray(value)) return value.map((item) => plain(item, shared));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.keys(value).map((key) => {
        const field = (value as Record<string, unknown>)[key];
        return [key, key === 'fileDescriptorProtos' ? field === shared : plain(field, shared)];
      }),
    );
  }

  it("is proto-loader's, key for key and in the same order, for every served file", () => {
    const expected = JSON.stringify(plain(reference, filesOf(reference)));
    assert.ok(expected.length > 100_000);
    assert.equal(JSON.stringify(plain(ours, filesOf(ours))), expected);
    assert.deepEqual(filesOf(ours), filesOf(reference));
  });

  it('reads and writes every request and response as proto-loader does', () => {
    const next = random(11);
    const types = loadRoot(files, [root]);
    const actual = methods(ours);
    let compared = 0;
    for (const [index, method] of methods(reference).entries()) {
      const mine = actual[index];
      assert.equal(mine.path, method.path);
      assert.equal(mine.originalName, method.originalName);
      const [, service, name] = method.path.split('/');
      const rpc = types.lookupService(service).methods[name];
      for (const [type, serialize, deserialize] of [
        [rpc.resolvedRequestType!, 'requestSerialize', 'requestDeserialize'],
        [rpc.resolvedResponseType!, 'responseSerialize', 'responseDeserialize'],
      ] as const) {
        for (let round = 0; round < 10; round++) {
          const message = sample(type, next);
          const bytes = method[serialize](message);
          assert.deepEqual(mine[serialize](message), bytes);
          assert.deepEqual(mine[deserialize](bytes), method[deserialize](bytes));
          compared++;
        }
      }
      assert.throws(() => mine.requestSerialize([] as never), {
        message: captured(() => method.requestSerialize([] as never)),
      });
    }
    assert.ok(compared > 500);
  });

  it('builds type descriptors only when they are read', () => {
    const fresh = loadPackageDefinition(files, loader);
    const message = Object.values(fresh).find((entry) => 'format' in entry)!;
    assert.equal(typeof Object.getOwnPropertyDescriptor(message, 'type')?.get, 'function');
    assert.equal(
      typeof Object.getOwnPropertyDescriptor(message, 'fileDescriptorProtos')?.get,
      'function',
    );
    assert.equal(message.type, message.type);
  });
});

function captured(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('did not throw');
}
