import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { loadRoot } from './package-definition';

/**
 * Response messages written straight into one buffer: the size of every message first, then
 * the bytes. proto-loader's serializer (protobufjs `fromObject`, then `encode`) builds a typed
 * copy of the answer and a list of pending writes per field, and costs twice as much on a page
 * of a list. The bytes are the same as protobufjs writes, field for field (a unit test holds
 * them to it): fields in number order, a field that is null or absent left out, values
 * converted as `fromObject` converts them. A message whose fields include any other kind
 * (64-bit integers, bytes, enums, maps, packed lists) keeps proto-loader's serializer.
 */

type Scalar = 'string' | 'bool' | 'int32' | 'uint32' | 'double';

interface FieldPlan {
  name: string;
  /** The field's key (number and wire type) as a varint. */
  key: number;
  repeated: boolean;
  /** A nested message's plan, or a scalar's kind. */
  type: MessagePlan | Scalar;
  fullName: string;
}

interface MessagePlan {
  fields: FieldPlan[];
}

const SCALARS: Record<string, { kind: Scalar; wireType: number } | undefined> = {
  string: { kind: 'string', wireType: 2 },
  bool: { kind: 'bool', wireType: 0 },
  int32: { kind: 'int32', wireType: 0 },
  uint32: { kind: 'uint32', wireType: 0 },
  double: { kind: 'double', wireType: 1 },
};

/** protobufjs writes short strings with its own UTF-8 writer, longer ones with Buffer's. */
const SHORT_STRING = 40;
const { utf8 } = protobuf.util;

/** The plan for `type`, or undefined when some field is of a kind it does not write. */
function planOf(
  type: protobuf.Type,
  plans: Map<protobuf.Type, MessagePlan | null>,
): MessagePlan | undefined {
  const known = plans.get(type);
  if (known !== undefined) return known ?? undefined;
  const plan: MessagePlan = { fields: [] };
  // A recursive type meets itself while being planned: it will be complete by then.
  plans.set(type, plan);
  const fields = type.fieldsArray.slice().sort((left, right) => left.id - right.id);
  for (const field of fields) {
    field.resolve();
    let fieldType: MessagePlan | Scalar | undefined;
    let wireType: number;
    if (field.map || field.delimited) fieldType = undefined;
    else if (field.resolvedType instanceof protobuf.Type) {
      fieldType = planOf(field.resolvedType, plans);
      wireType = 2;
    } else if (!field.resolvedType) {
      const scalar = SCALARS[field.type];
      // Repeated numbers are packed: not written here.
      if (scalar && !(field.repeated && scalar.kind !== 'string')) {
        fieldType = scalar.kind;
        wireType = scalar.wireType;
      }
    }
    if (fieldType === undefined) {
      plans.set(type, null);
      return undefined;
    }
    plan.fields.push({
      name: field.name,
      key: ((field.id << 3) | wireType!) >>> 0,
      repeated: field.repeated,
      type: fieldType,
      fullName: field.fullName.replace(/^\./, ''),
    });
  }
  return plan;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object';
}

function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}

function stringSize(value: string): number {
  return value.length < SHORT_STRING ? utf8.length(value) : Buffer.byteLength(value);
}

/**
 * Where the writing stands: the buffer, the next byte, and the next of the sizes the measuring
 * kept (of nested messages and strings, in the order the writing meets them).
 */
interface Cursor {
  buffer: Buffer;
  position: number;
  sizes: number[];
  next: number;
}

/** What the generated code calls. */
const helpers = {
  varintSize,
  /** A length-delimited string's size, its key excluded; its length is kept in `sizes`. */
  stringField(value: string, sizes: number[]): number {
    const length = stringSize(value);
    sizes.push(length);
    return varintSize(length) + length;
  },
  int32Size: (value: number) => (value < 0 ? 10 : varintSize(value)),
  isObject,
  notObject(field: string): never {
    throw TypeError(`${field}: object expected`);
  },
  notArray(field: string): never {
    throw TypeError(`${field}: array expected`);
  },
  tooDeep(): never {
    throw Error('maximum nesting depth exceeded');
  },
  recursionLimit: () => protobuf.util.recursionLimit,
  varint(cursor: Cursor, value: number): void {
    const { buffer } = cursor;
    while (value > 127) {
      buffer[cursor.position++] = (value & 127) | 128;
      value >>>= 7;
    }
    buffer[cursor.position++] = value;
  },
  /** A negative int32, as protobufjs writes it: ten bytes, sign-extended to 64 bits. */
  negative(cursor: Cursor, value: number): void {
    let low = value >>> 0;
    let high = 0xffffffff;
    const { buffer } = cursor;
    while (high) {
      buffer[cursor.position++] = (low & 127) | 128;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    while (low > 127) {
      buffer[cursor.position++] = (low & 127) | 128;
      low >>>= 7;
    }
    buffer[cursor.position++] = low;
  },
  /** A string whose length the measuring kept. */
  string(cursor: Cursor, value: string): void {
    const length = cursor.sizes[cursor.next++];
    helpers.varint(cursor, length);
    const { buffer } = cursor;
    if (length === value.length) {
      // One byte per character: ASCII, as UTF-8 writes it.
      for (let index = 0; index < length; index++) {
        buffer[cursor.position++] = value.charCodeAt(index);
      }
      return;
    }
    if (value.length < SHORT_STRING) utf8.write(value, buffer, cursor.position);
    else buffer.write(value, cursor.position, length, 'utf8');
    cursor.position += length;
  },
  double(cursor: Cursor, value: number): void {
    cursor.position = cursor.buffer.writeDoubleLE(value, cursor.position);
  },
};

/** The bytes of a varint, as literal writes into the cursor's buffer. */
function literalBytes(value: number): string {
  let code = '';
  while (value > 127) {
    code += `c.buffer[c.position++]=${(value & 127) | 128};`;
    value >>>= 7;
  }
  return code + `c.buffer[c.position++]=${value};`;
}

/**
 * JavaScript source of the two functions of every plan, `measure<i>(m, s, d)` (the size of
 * message m, the sizes of its strings and nested messages appended to s, at depth d) and `write<i>(m, c)`, with each field read
 * by its name: a lookup by a name held in a variable, field after field, costs as much as all
 * the rest.
 */
function generate(plans: MessagePlan[]): string {
  const index = new Map(plans.map((plan, position) => [plan, position]));
  let code = '';
  for (const [position, plan] of plans.entries()) {
    let measure = '';
    let write = '';
    for (const field of plan.fields) {
      const name = `m[${JSON.stringify(field.name)}]`;
      const fullName = JSON.stringify(field.fullName);
      const keySize = varintSize(field.key);
      const key = literalBytes(field.key);
      let size: string;
      let body: string;
      switch (field.type) {
        case 'string':
          size = `${keySize}+h.stringField(String(v),s)`;
          body = `${key}h.string(c,String(v));`;
          break;
        case 'bool':
          size = `${keySize + 1}`;
          body = `${key}c.buffer[c.position++]=v?1:0;`;
          break;
        case 'int32':
          size = `${keySize}+h.int32Size(v|0)`;
          body = `${key}v=v|0;if(v<0)h.negative(c,v);else h.varint(c,v);`;
          break;
        case 'uint32':
          size = `${keySize}+h.varintSize(v>>>0)`;
          body = `${key}h.varint(c,v>>>0);`;
          break;
        case 'double':
          size = `${keySize + 8}`;
          body = `${key}h.double(c,Number(v));`;
          break;
        default: {
          const nested = index.get(field.type)!;
          size =
            `(h.isObject(v)||h.notObject(${fullName}),d>=L&&h.tooDeep(),x=s.length,s.push(0),` +
            `y=measure${nested}(v,s,d+1),s[x]=y,${keySize}+h.varintSize(y)+y)`;
          body = `${key}h.varint(c,c.sizes[c.next++]);write${nested}(v,c);`;
        }
      }
      if (field.repeated) {
        measure +=
          `a=${name};if(a){Array.isArray(a)||h.notArray(${fullName});` +
          `for(i=0;i<a.length;i++){v=a[i];z+=${size};}}`;
        write += `a=${name};if(a)for(i=0;i<a.length;i++){v=a[i];${body}}`;
      } else {
        measure += `v=${name};if(v!=null)z+=${size};`;
        write += `v=${name};if(v!=null){${body}}`;
      }
    }
    code +=
      `function measure${position}(m,s,d){var z=0,v,a,i,x,y;${measure}return z;}` +
      `function write${position}(m,c){var v,a,i;${write}}`;
  }
  return code;
}

type Compiled = {
  measure: (message: unknown, sizes: number[], depth: number) => number;
  write: (message: unknown, cursor: Cursor) => void;
};

/** The encoder of messages of `type`, or undefined when it has fields of other kinds. */
export function responseEncoder(type: protobuf.Type): ((message: unknown) => Buffer) | undefined {
  const planned = new Map<protobuf.Type, MessagePlan | null>();
  const plan = planOf(type, planned);
  if (!plan) return undefined;
  const plans = [plan, ...[...planned.values()].filter((other) => other && other !== plan)];
  // Generated as protobufjs generates its own encoders: from the schema, never from input.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const compile = new Function(
    'h',
    'L',
    `${generate(plans as MessagePlan[])}return {measure:measure0,write:write0};`,
  ) as (generated: typeof helpers, recursionLimit: number) => Compiled;
  const compiled = compile(helpers, helpers.recursionLimit());
  const typeName = type.fullName.replace(/^\./, '');
  return (message: unknown) => {
    if (Array.isArray(message)) {
      throw new Error(
        `Failed to serialize message: expected object with ${type.name} structure, got array instead`,
      );
    }
    if (!isObject(message)) throw TypeError(`${typeName}: object expected`);
    const sizes: number[] = [];
    const size = compiled.measure(message, sizes, 0);
    const cursor: Cursor = { buffer: Buffer.allocUnsafe(size), position: 0, sizes, next: 0 };
    compiled.write(message, cursor);
    return cursor.buffer;
  };
}

function isMethod(value: unknown): value is MethodDefinition<object, object> {
  return typeof (value as { responseSerialize?: unknown })?.responseSerialize === 'function';
}

/**
 * Gives every method of the definition the direct encoder of its response type where there is
 * one, built at the method's first answer (the schema is read again then, once, not while the
 * server starts). Must run before the services are added to the server, which copies the
 * serializers.
 */
export function encodeResponsesDirectly(
  definition: PackageDefinition,
  files: string[],
  includeDirs: string[],
): void {
  let root: protobuf.Root | undefined;
  const encoders = new Map<protobuf.Type, ((message: unknown) => Buffer) | undefined>();
  const encoderOf = (path: string) => {
    root ??= loadRoot(files, includeDirs);
    const [, serviceName, methodName] = path.split('/');
    const type = root.lookupService(serviceName).methods[methodName].resolvedResponseType!;
    if (!encoders.has(type)) encoders.set(type, responseEncoder(type));
    return encoders.get(type);
  };
  for (const service of Object.values(definition)) {
    if ('format' in service) continue;
    for (const method of Object.values(service)) {
      if (!isMethod(method)) continue;
      const original = method.responseSerialize as (message: unknown) => Buffer;
      let encode: ((message: unknown) => Buffer) | undefined;
      method.responseSerialize = (message: object) => {
        encode ??= encoderOf(method.path) ?? original;
        return encode(message);
      };
    }
  }
}
