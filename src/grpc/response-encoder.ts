import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { loadRoot } from './package-definition';

/**
 * Response messages written straight into bytes, in one pass over the message: into a buffer
 * kept for the next answer, then copied out. proto-loader's serializer (protobufjs `fromObject`,
 * then `encode`) builds a typed copy of the answer and a list of pending writes per field, and
 * costs three to five times as much on a page of the project list
 * (`npm run bench:grpc-encoding`). The bytes are the same as protobufjs writes, field for field
 * (a unit test holds them to it): fields in number order, a field that is null or absent left
 * out, values converted as `fromObject` converts them. A message whose fields include any other
 * kind (64-bit integers, bytes, enums, maps, packed lists) keeps proto-loader's serializer.
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

/**
 * Where the writing stands: the buffer and the next byte. A nested message's body is written
 * after room for its size, as many bytes as the last message of that field needed; when its size
 * needs more or fewer, the body moves.
 */
interface Cursor {
  buffer: Buffer;
  position: number;
}

/** The most a field writes besides a string's or a nested message's body: key, then a varint. */
const FIELD_ROOM = 15;

/** Makes room for `bytes` more, keeping what is written. */
function grow(cursor: Cursor, bytes: number): void {
  const buffer = Buffer.allocUnsafeSlow(
    Math.max(cursor.buffer.length * 2, cursor.position + bytes),
  );
  cursor.buffer.copy(buffer, 0, 0, cursor.position);
  cursor.buffer = buffer;
}

function varint(cursor: Cursor, value: number): void {
  const { buffer } = cursor;
  while (value > 127) {
    buffer[cursor.position++] = (value & 127) | 128;
    value >>>= 7;
  }
  buffer[cursor.position++] = value;
}

/** What the generated code calls. */
const helpers = {
  grow,
  varint,
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
  /** A length-delimited string: its UTF-8 size, then its bytes. */
  string(cursor: Cursor, value: string): void {
    const count = value.length;
    if (count >= SHORT_STRING) {
      const length = Buffer.byteLength(value);
      if (cursor.position + 5 + length > cursor.buffer.length) grow(cursor, 5 + length);
      varint(cursor, length);
      cursor.buffer.write(value, cursor.position, length, 'utf8');
      cursor.position += length;
      return;
    }
    // At most three bytes per UTF-16 unit: a short string's size is one byte.
    if (cursor.position + 1 + 3 * count > cursor.buffer.length) grow(cursor, 1 + 3 * count);
    const { buffer } = cursor;
    const start = cursor.position + 1;
    let end = start;
    for (let index = 0; index < count; index++) {
      const code = value.charCodeAt(index);
      if (code > 127) {
        end = start + utf8.write(value, buffer, start);
        break;
      }
      buffer[end++] = code;
    }
    buffer[cursor.position] = end - start;
    cursor.position = end;
  },
  /**
   * Writes the size of the nested message whose body began `room` bytes after `at`, moving the
   * body when its size takes another number of bytes; returns that number.
   */
  close(cursor: Cursor, at: number, room: number): number {
    const size = cursor.position - at - room;
    const needed = varintSize(size);
    if (needed !== room) {
      if (cursor.position + needed - room > cursor.buffer.length) grow(cursor, needed - room);
      cursor.buffer.copyWithin(at + needed, at + room, cursor.position);
      cursor.position += needed - room;
    }
    const end = cursor.position;
    cursor.position = at;
    varint(cursor, size);
    cursor.position = end;
    return needed;
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
 * JavaScript source of one function per plan, `write<i>(m, c, d)`: message m at depth d, written
 * at the cursor, with each field read by its name (a lookup by a name held in a variable, field
 * after field, costs as much as all the rest). `R[k]` is the room the k-th nested field leaves
 * for a size: the size of its last message.
 */
function generate(plans: MessagePlan[]): { code: string; nestedFields: number } {
  const index = new Map(plans.map((plan, position) => [plan, position]));
  let code = '';
  let nestedFields = 0;
  for (const [position, plan] of plans.entries()) {
    let write = '';
    for (const field of plan.fields) {
      const name = `m[${JSON.stringify(field.name)}]`;
      const fullName = JSON.stringify(field.fullName);
      const key = `if(c.position+${FIELD_ROOM}>c.buffer.length)h.grow(c,${FIELD_ROOM});${literalBytes(field.key)}`;
      let body: string;
      switch (field.type) {
        case 'string':
          body = `${key}h.string(c,String(v));`;
          break;
        case 'bool':
          body = `${key}c.buffer[c.position++]=v?1:0;`;
          break;
        case 'int32':
          body = `${key}v=v|0;if(v<0)h.negative(c,v);else h.varint(c,v);`;
          break;
        case 'uint32':
          body = `${key}h.varint(c,v>>>0);`;
          break;
        case 'double':
          body = `${key}h.double(c,Number(v));`;
          break;
        default: {
          const nested = index.get(field.type)!;
          const room = `R[${nestedFields++}]`;
          body =
            `h.isObject(v)||h.notObject(${fullName});if(d>=L)h.tooDeep();${key}` +
            `r=${room};x=c.position;c.position+=r;write${nested}(v,c,d+1);${room}=h.close(c,x,r);`;
        }
      }
      write += field.repeated
        ? `a=${name};if(a){Array.isArray(a)||h.notArray(${fullName});` +
          `for(i=0;i<a.length;i++){v=a[i];${body}}}`
        : `v=${name};if(v!=null){${body}}`;
    }
    code += `function write${position}(m,c,d){var v,a,i,x,r;${write}}`;
  }
  return { code, nestedFields };
}

/** The buffer every encoding writes into first; the answer is a copy of what it wrote. */
const SCRATCH_BYTES = 64 * 1024;
let scratch: Buffer | undefined;

/** The encoder of messages of `type`, or undefined when it has fields of other kinds. */
export function responseEncoder(type: protobuf.Type): ((message: unknown) => Buffer) | undefined {
  const planned = new Map<protobuf.Type, MessagePlan | null>();
  const plan = planOf(type, planned);
  if (!plan) return undefined;
  const plans = [plan, ...[...planned.values()].filter((other) => other && other !== plan)];
  const { code, nestedFields } = generate(plans as MessagePlan[]);
  // Generated as protobufjs generates its own encoders: from the schema, never from input.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const compile = new Function('h', 'L', 'R', `${code}return write0;`) as (
    generated: typeof helpers,
    recursionLimit: number,
    rooms: number[],
  ) => (message: unknown, cursor: Cursor, depth: number) => void;
  const write = compile(helpers, helpers.recursionLimit(), new Array<number>(nestedFields).fill(1));
  const typeName = type.fullName.replace(/^\./, '');
  return (message: unknown) => {
    if (Array.isArray(message)) {
      throw new Error(
        `Failed to serialize message: expected object with ${type.name} structure, got array instead`,
      );
    }
    if (!isObject(message)) throw TypeError(`${typeName}: object expected`);
    // The scratch buffer is taken while in use, should a value's toString encode again.
    const cursor: Cursor = {
      buffer: scratch ?? Buffer.allocUnsafeSlow(SCRATCH_BYTES),
      position: 0,
    };
    scratch = undefined;
    try {
      write(message, cursor, 0);
      const answer = Buffer.allocUnsafe(cursor.position);
      cursor.buffer.copy(answer, 0, 0, cursor.position);
      return answer;
    } finally {
      // A buffer grown past its usual size for one large answer is not kept.
      if (cursor.buffer.length <= 4 * SCRATCH_BYTES) scratch = cursor.buffer;
    }
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
