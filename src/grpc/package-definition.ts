import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type {
  EnumTypeDefinition,
  MessageTypeDefinition,
  MethodDefinition,
  Options,
  PackageDefinition,
  ServiceDefinition,
} from '@grpc/proto-loader';
import protobuf from 'protobufjs';
// Adds `toDescriptor` to protobufjs' reflection objects (proto-loader loads it too).
import * as descriptor from 'protobufjs/ext/descriptor';

/**
 * The package definition proto-loader's `loadSync` makes of the same files with the same
 * options (a unit test compares the two, field for field), except for what only reflection
 * reads: each type's descriptor and the encoded descriptors of every file are built when first
 * read, not while the server starts (they were 40 % of loading the schema).
 */
export function loadPackageDefinition(
  files: string[],
  options: Options & { includeDirs: string[] },
): PackageDefinition {
  const root = loadRoot(files, options.includeDirs, options.keepCase ?? false);
  let encoded: Buffer[] | undefined;
  const fileDescriptors = () =>
    (encoded ??= root
      .toDescriptor('proto3')
      .file.map((file) => Buffer.from(descriptor.FileDescriptorProto.encode(file).finish())));
  const definition: PackageDefinition = {};
  for (const [name, object] of reflectionObjects(root, '')) {
    if (object instanceof protobuf.Service) {
      const service: ServiceDefinition = {};
      for (const method of object.methodsArray) {
        service[method.name] = methodDefinition(method, name, options, fileDescriptors);
      }
      definition[name] = service;
    } else if (object instanceof protobuf.Type) {
      definition[name] = messageDefinition(object, options, fileDescriptors);
    } else {
      definition[name] = enumDefinition(object, fileDescriptors);
    }
  }
  return definition;
}

/** `files` (under one of `includeDirs`, or absolute) as protobufjs reflection, resolved. */
export function loadRoot(files: string[], includeDirs: string[], keepCase = false): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    if (isAbsolute(target)) return target;
    for (const directory of includeDirs) {
      const candidate = join(directory, target);
      if (existsSync(candidate)) return candidate;
    }
    return protobuf.util.path.resolve(origin, target);
  };
  root.loadSync(files, { keepCase });
  root.resolveAll();
  return root;
}

type Reflected = protobuf.Service | protobuf.Type | protobuf.Enum;

/** Services, messages and enums by full name, nested ones after their namespace's. */
function reflectionObjects(
  object: protobuf.ReflectionObject,
  parent: string,
): [string, Reflected][] {
  const name = parent === '' ? object.name : `${parent}.${object.name}`;
  if (
    object instanceof protobuf.Service ||
    object instanceof protobuf.Type ||
    object instanceof protobuf.Enum
  ) {
    return [[name, object]];
  }
  if (!(object instanceof protobuf.Namespace) || object.nested === undefined) return [];
  return Object.values(object.nested).flatMap((child) => reflectionObjects(child, name));
}

/** As protobufjs writes a descriptor as an object for proto-loader. */
const DESCRIPTOR_OBJECT: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  bytes: String,
  defaults: true,
  oneofs: true,
  json: true,
};

/** `type`, then `fileDescriptorProtos`, both computed on first read. */
function describedBy<T extends object>(
  head: T,
  describe: () => object,
  fileDescriptors: () => Buffer[],
): T {
  let type: object | undefined;
  return Object.defineProperties(head, {
    type: { enumerable: true, get: () => (type ??= describe()) },
    fileDescriptorProtos: { enumerable: true, get: fileDescriptors },
  });
}

function messageDefinition(
  type: protobuf.Type,
  options: Options,
  fileDescriptors: () => Buffer[],
): MessageTypeDefinition<object, object> {
  const definition = describedBy(
    { format: 'Protocol Buffer 3 DescriptorProto' as const },
    () => {
      const described = type.toDescriptor('proto3');
      return described.$type.toObject(described, DESCRIPTOR_OBJECT);
    },
    fileDescriptors,
  );
  return Object.assign(definition, {
    serialize: serializer(type),
    deserialize: deserializer(type, options),
  }) as unknown as MessageTypeDefinition<object, object>;
}

function enumDefinition(type: protobuf.Enum, fileDescriptors: () => Buffer[]): EnumTypeDefinition {
  return describedBy(
    { format: 'Protocol Buffer 3 EnumDescriptorProto' as const },
    () => {
      const described = type.toDescriptor('proto3');
      return described.$type.toObject(described, DESCRIPTOR_OBJECT);
    },
    fileDescriptors,
  ) as unknown as EnumTypeDefinition;
}

function methodDefinition(
  method: protobuf.Method,
  serviceName: string,
  options: Options,
  fileDescriptors: () => Buffer[],
): MethodDefinition<object, object> {
  const request = method.resolvedRequestType!;
  const response = method.resolvedResponseType!;
  return {
    path: `/${serviceName}/${method.name}`,
    requestStream: !!method.requestStream,
    responseStream: !!method.responseStream,
    requestSerialize: serializer(request),
    requestDeserialize: deserializer(request, options),
    responseSerialize: serializer(response),
    responseDeserialize: deserializer(response, options),
    originalName: camelCase(method.name),
    requestType: messageDefinition(request, options, fileDescriptors),
    responseType: messageDefinition(response, options, fileDescriptors),
    options: methodOptions(method.parsedOptions as Record<string, unknown>[] | undefined),
  };
}

function serializer(type: protobuf.Type): (message: object) => Buffer {
  return (message) => {
    if (Array.isArray(message)) {
      throw new Error(
        `Failed to serialize message: expected object with ${type.name} structure, got array instead`,
      );
    }
    return type.encode(type.fromObject(message)).finish() as Buffer;
  };
}

function deserializer(type: protobuf.Type, options: Options): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), options);
}

/** A method's options as proto-loader lists them, its defaults first. */
function methodOptions(
  parsed: Record<string, unknown>[] = [],
): MethodDefinition<object, object>['options'] {
  const result: Record<string, unknown> & { uninterpreted_option: unknown[] } = {
    deprecated: false,
    idempotency_level: 'IDEMPOTENCY_UNKNOWN',
    uninterpreted_option: [],
  };
  for (const item of parsed) {
    for (const [key, value] of Object.entries(item)) {
      if (key === 'uninterpreted_option') result.uninterpreted_option.push(value);
      else result[key] = value;
    }
  }
  return result as unknown as MethodDefinition<object, object>['options'];
}

/** `GetMember` → `getMember`, `GetURLFor` → `getUrlFor`: lodash's camelCase on a method name. */
function camelCase(name: string): string {
  const words = name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [];
  return words
    .map((word, index) =>
      index === 0 ? word.toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase(),
    )
    .join('');
}
