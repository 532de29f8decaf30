import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, protoRoot } from '@/grpc/grpc.options';
import type { TestApp } from '../app';
import { enumerateRoutes } from '../routes';
import { isIdName, isListOfIds, kindOfId } from './id-kinds';
import { GARBAGE_AUTHORIZATION, INVALID_IDS, MALFORMED_TEXT } from './malformed-values';
import { excerpt, type Outcome, type OutcomeKind } from './outcome';
import type { Attack, AttackRoute, Credential, IdSlot, Plan, RouteAdapter } from './route-adapter';
import { lengthDelimited, noise, tag, varint, WIRE } from './wire';

interface FieldDescriptor {
  name: string;
  number: number;
  label: string;
  type: string;
  proto3Optional?: boolean;
}

export interface GrpcRoute extends AttackRoute {
  path: string;
  serverStreaming: boolean;
  fields: FieldDescriptor[];
  serialize: (message: object) => Buffer;
  deserializeResponse: (bytes: Buffer) => object;
}

export interface GrpcAttack extends Attack {
  bytes: Buffer;
}

const DEADLINE_MS = 10_000;
/** Enough ids to stall a handler that works per id before checking the count, under 4 MB. */
const STALLING_LIST_LENGTH = 300_000;
const STALL_MS = 1_000;

const STRING_TYPES = new Set(['TYPE_STRING', 'TYPE_BYTES']);
const NUMBER_TYPES = new Set([
  'TYPE_DOUBLE',
  'TYPE_FLOAT',
  'TYPE_INT32',
  'TYPE_INT64',
  'TYPE_UINT32',
  'TYPE_UINT64',
  'TYPE_SINT32',
  'TYPE_SINT64',
  'TYPE_FIXED32',
  'TYPE_FIXED64',
  'TYPE_SFIXED32',
  'TYPE_SFIXED64',
]);
const MESSAGE_TYPES = new Set(['TYPE_MESSAGE', 'TYPE_GROUP']);

/**
 * Codes a client is meant to see. UNAVAILABLE stays a fault: with every dependency up it
 * means the connection dropped.
 */
const KIND_BY_CODE: Partial<Record<grpc.status, OutcomeKind>> = {
  [grpc.status.OK]: 'ok',
  [grpc.status.INVALID_ARGUMENT]: 'invalid',
  [grpc.status.OUT_OF_RANGE]: 'invalid',
  [grpc.status.UNAUTHENTICATED]: 'unauthenticated',
  [grpc.status.PERMISSION_DENIED]: 'forbidden',
  [grpc.status.NOT_FOUND]: 'not-found',
  [grpc.status.ALREADY_EXISTS]: 'rejected',
  [grpc.status.FAILED_PRECONDITION]: 'rejected',
  [grpc.status.RESOURCE_EXHAUSTED]: 'rejected',
  [grpc.status.ABORTED]: 'rejected',
};

const camel = (name: string) =>
  name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
const identity = (bytes: Buffer) => bytes;

function protoFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.proto'))
    .map((file) => join(directory, file));
}

/** `Service/Rpc` → its leading comment, read from the .proto text (the loader drops comments). */
function rpcComments(files: string[]): Map<string, string> {
  const comments = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const block of text.split(/^service\s+/m).slice(1)) {
      const service = /^(\w+)/.exec(block)?.[1];
      for (const match of block.matchAll(/((?:^[ \t]*\/\/.*\n)*)[ \t]*rpc\s+(\w+)\s*\(/gm)) {
        comments.set(`${service}/${match[2]}`, match[1]);
      }
    }
  }
  return comments;
}

/** Every RPC of every .proto under proto/, reached with raw bytes; errors are status codes. */
export class GrpcAdapter implements RouteAdapter<GrpcRoute, GrpcAttack> {
  readonly label = 'gRPC';
  private readonly client: grpc.Client;
  /** Per route, fields whose plausible value the server refused: "" first, then unset. */
  private readonly adjusted = new Map<string, Map<string, '' | 'unset'>>();

  constructor(private readonly app: TestApp) {
    this.client = new grpc.Client(app.grpcAddress, grpc.credentials.createInsecure());
  }

  routes(): Promise<GrpcRoute[]> {
    const root = protoRoot();
    const files = protoFiles(root);
    const comments = rpcComments(files);
    const definition = loadSync(files, { ...PROTO_LOADER_OPTIONS, includeDirs: [root] });
    const table = new Map(
      enumerateRoutes(this.app)
        .filter((route) => route.kind === 'rpc')
        .map((route) => [route.name, route]),
    );
    const routes: GrpcRoute[] = [];
    for (const [serviceName, service] of Object.entries(definition)) {
      if ('format' in service) continue;
      const shortService = serviceName.split('.').pop()!;
      for (const [rpc, method] of Object.entries(
        service as Record<string, MethodDefinition<object, object>>,
      )) {
        const name = `${shortService}/${rpc}`;
        const known = table.get(name);
        if (!known) throw new Error(`${serviceName}/${rpc} is in proto/ but not served`);
        table.delete(name);
        const requestType = method.requestType as unknown as {
          type: { name: string; field: FieldDescriptor[] };
        };
        const fields = requestType.type.field;
        const contexts = [requestType.type.name, rpc, shortService];
        routes.push({
          name: `gRPC ${name}`,
          path: method.path,
          serverStreaming: method.responseStream,
          fields,
          serialize: method.requestSerialize,
          deserializeResponse: method.responseDeserialize,
          isPublic: known.isPublic,
          ownerOnly: /owner only/i.test(comments.get(name) ?? ''),
          readOnly: /^(Get|List)[A-Z]/.test(rpc),
          idSlots: fields
            .filter((field) => STRING_TYPES.has(field.type) && isIdName(field.name))
            .map((field): IdSlot => ({
              name: camel(field.name),
              kind: kindOfId(field.name, contexts),
              list: field.label === 'LABEL_REPEATED' || isListOfIds(field.name),
              // The first field is the resource acted on, as a REST path parameter is.
              target: field.number === 1,
            })),
          tokenFields: fields
            .map((field) => camel(field.name))
            .filter((name) => /token$/i.test(name)),
        });
      }
    }
    const unknown = [...table.keys()];
    if (unknown.length) throw new Error(`served but not in proto/: ${unknown.join(', ')}`);
    return Promise.resolve(routes);
  }

  private plausible(route: GrpcRoute, plan: Plan): Record<string, unknown> {
    const adjusted = this.adjusted.get(route.name);
    const message: Record<string, unknown> = {};
    for (const field of route.fields) {
      const key = camel(field.name);
      const slot = route.idSlots.find((candidate) => candidate.name === key);
      let value: unknown;
      if (slot) {
        const given = plan.ids?.[key];
        value =
          given ??
          (slot.kind
            ? slot.list
              ? plan.resources.all(slot.kind)
              : plan.resources.one(slot.kind)
            : 'unmapped-id');
      } else if (MESSAGE_TYPES.has(field.type)) {
        value = {};
      } else if (STRING_TYPES.has(field.type)) {
        value = adjusted?.get(key) === '' ? '' : 'Attack sample';
      } else if (field.type === 'TYPE_BOOL') {
        value = true;
      } else if (NUMBER_TYPES.has(field.type)) {
        // As the REST adapter picks numbers: 0 is proto3's "absent", which a required amount
        // (hours of work) may not be.
        value = 1;
      } else {
        value = 0;
      }
      if (field.label === 'LABEL_REPEATED' && !Array.isArray(value)) value = [value];
      if (adjusted?.get(key) === 'unset') continue;
      message[key] = value;
    }
    return { ...message, ...plan.fields };
  }

  /**
   * Sends a plausible request; where the server names a non-id field as invalid, tries it
   * empty, then unset (a refusal changes nothing, so the retry is safe), and remembers.
   */
  async call(route: GrpcRoute, plan: Plan, credential: Credential): Promise<Outcome> {
    const adjusted = this.adjusted.get(route.name) ?? new Map<string, '' | 'unset'>();
    this.adjusted.set(route.name, adjusted);
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.send(
        route,
        { label: 'plausible request', bytes: route.serialize(this.plausible(route, plan)) },
        credential,
      );
      const field = outcome.field ? camel(outcome.field) : undefined;
      const adjustable =
        outcome.kind === 'invalid' &&
        field !== undefined &&
        attempt < route.fields.length * 2 &&
        !route.idSlots.some((slot) => slot.name === field) &&
        !(field in (plan.fields ?? {})) &&
        route.fields.some((entry) => camel(entry.name) === field) &&
        adjusted.get(field) !== 'unset';
      if (!adjustable) return outcome;
      adjusted.set(field, adjusted.has(field) ? 'unset' : '');
    }
  }

  attacks(route: GrpcRoute, plan: Plan): GrpcAttack[] {
    const message = this.plausible(route, plan);
    const base = route.serialize(message);
    const without = (key: string) =>
      route.serialize(Object.fromEntries(Object.entries(message).filter(([name]) => name !== key)));
    const attacks: GrpcAttack[] = [];
    // A stream answers in-band (Health/Watch streams SERVICE_UNKNOWN): only single answers must refuse.
    const refuses = !route.serverStreaming;
    attacks.push(
      { label: 'wire type 7', bytes: Buffer.from([0x0f]) },
      { label: 'truncated varint', bytes: Buffer.from([0x08, 0xff]) },
      { label: 'length past the end', bytes: Buffer.from([0x0a, 0x7f, 0x41]) },
      { label: 'field number 0', bytes: Buffer.from([0x02, 0x00]) },
      {
        label: 'varint of 11 bytes',
        bytes: Buffer.concat([Buffer.from([0x08]), Buffer.alloc(10, 0xff), Buffer.from([0x01])]),
      },
      { label: 'unterminated group', bytes: tag(99, WIRE.startGroup) },
      {
        label: 'groups nested 10,000 deep',
        bytes: Buffer.concat([
          ...Array<Buffer>(10_000).fill(tag(99, WIRE.startGroup)),
          ...Array<Buffer>(10_000).fill(tag(99, WIRE.endGroup)),
        ]),
      },
      ...[1, 2, 3].map((seed) => ({ label: `noise #${seed}`, bytes: noise(seed, 64) })),
      { label: 'unknown field', bytes: Buffer.concat([base, lengthDelimited(99, 'unknown')]) },
    );
    for (const field of route.fields) {
      const key = camel(field.name);
      const rest = without(key);
      const withBytes = (label: string, bytes: Buffer, options: Partial<GrpcAttack> = {}) =>
        attacks.push({
          label: `${field.name}: ${label}`,
          bytes: Buffer.concat([rest, bytes]),
          ...options,
        });
      const withValue = (label: string, value: unknown, options: Partial<GrpcAttack> = {}) =>
        attacks.push({
          label: `${field.name}: ${label}`,
          bytes: route.serialize({ ...message, [key]: value }),
          content: true,
          ...options,
        });
      const repeated = field.label === 'LABEL_REPEATED';
      if (STRING_TYPES.has(field.type) || MESSAGE_TYPES.has(field.type)) {
        withBytes('sent as a varint', Buffer.concat([tag(field.number, WIRE.varint), varint(1)]));
        withBytes(
          'sent as fixed32',
          Buffer.concat([tag(field.number, WIRE.fixed32), Buffer.alloc(4, 0x41)]),
        );
      } else {
        withBytes('sent as a string', lengthDelimited(field.number, 'abc'));
        withBytes(
          'sent as fixed64',
          Buffer.concat([tag(field.number, WIRE.fixed64), Buffer.alloc(8, 0xff)]),
        );
        withBytes('varint of 2^64-1', Buffer.concat([tag(field.number, WIRE.varint), varint(-1)]));
      }
      if (field.type === 'TYPE_STRING') {
        const text = (value: string) => (repeated ? [value] : value);
        withBytes(
          'invalid UTF-8',
          lengthDelimited(field.number, Buffer.from([0xff, 0xfe, 0xc0, 0x80])),
        );
        for (const { label, value, neverValid } of MALFORMED_TEXT) {
          // A list of ids leaves unknown ones out (documented): only single values must fail.
          withValue(label, text(value), { mustReject: refuses && neverValid && !repeated });
        }
        if (isIdName(field.name)) {
          // proto3 has no absent string: "" means "none", which a reference may be.
          for (const { label, value } of INVALID_IDS)
            withValue(label, text(value), { mustReject: refuses && value !== '' && !repeated });
        }
      }
      if (repeated) {
        const item = Array.isArray(message[key]) ? (message[key] as string[])[0] : undefined;
        const one = STRING_TYPES.has(field.type)
          ? lengthDelimited(field.number, item ?? 'x')
          : Buffer.concat([tag(field.number, WIRE.varint), varint(0)]);
        for (const length of [10_000, STALLING_LIST_LENGTH]) {
          withBytes(
            `${length.toLocaleString('en')} items`,
            Buffer.concat(Array<Buffer>(length).fill(one)),
            {
              mustReject: refuses,
              withinMs: STALL_MS,
            },
          );
        }
      }
    }
    for (const { label, value } of GARBAGE_AUTHORIZATION) {
      attacks.push({
        label: `authorization: ${label}`,
        bytes: base,
        authorization: value,
        expect: route.isPublic ? undefined : 'unauthenticated',
      });
    }
    return attacks;
  }

  send(route: GrpcRoute, attack: GrpcAttack, credential: Credential): Promise<Outcome> {
    const metadata = new grpc.Metadata();
    const authorization =
      attack.authorization === undefined ? credential.authorization : attack.authorization;
    if (authorization !== undefined && authorization !== null)
      metadata.set('authorization', authorization);
    const started = performance.now();
    const options = { deadline: Date.now() + DEADLINE_MS };
    return new Promise((resolve) => {
      let settled = false;
      const finish = (error: grpc.ServiceError | null, response?: Buffer) => {
        if (settled) return;
        settled = true;
        resolve(this.outcome(route, error, response, performance.now() - started));
      };
      if (route.serverStreaming) {
        const stream = this.client.makeServerStreamRequest(
          route.path,
          identity,
          identity,
          attack.bytes,
          metadata,
          options,
        );
        stream.on('data', (response: Buffer) => {
          finish(null, response);
          stream.cancel();
        });
        stream.on('error', (error: grpc.ServiceError) => finish(error));
        stream.on('end', () => finish(null, Buffer.alloc(0)));
        return;
      }
      this.client.makeUnaryRequest(
        route.path,
        identity,
        identity,
        attack.bytes,
        metadata,
        options,
        (error, response) => finish(error, response),
      );
    });
  }

  private outcome(
    route: GrpcRoute,
    error: grpc.ServiceError | null,
    response: Buffer | undefined,
    elapsedMs: number,
  ): Outcome {
    if (!error) {
      const text = JSON.stringify(route.deserializeResponse(response ?? Buffer.alloc(0)));
      return { kind: 'ok', status: 'OK', excerpt: excerpt(text), text, elapsedMs };
    }
    const field = error.metadata?.get('field')[0];
    return {
      kind: KIND_BY_CODE[error.code] ?? 'fault',
      status: grpc.status[error.code] ?? String(error.code),
      field: typeof field === 'string' ? field : undefined,
      excerpt: excerpt(error.details ?? error.message),
      text: error.details ?? error.message,
      elapsedMs,
    };
  }

  close(): void {
    this.client.close();
  }
}
