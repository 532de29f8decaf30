import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import protobuf from 'protobufjs';

/** What a method receives in place of a message its request bytes could not be decoded into. */
export class UndecodableRequest {
  constructor(readonly method: string) {}
}

/** What a method receives in place of a request larger than its service accepts. */
export class OversizedRequest {
  constructor(
    readonly method: string,
    readonly limitBytes: number,
  ) {}
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
let decodingRequest = false;

/*
 * protobufjs turns bytes that are not UTF-8 into U+FFFD, so a string field could carry what no
 * client may send (a lone surrogate, encoded) into names. While a request message is decoded,
 * its strings must be well-formed UTF-8, as proto3 requires; other decoding (in clients, in
 * exporters) keeps the library's behaviour.
 */
for (const reader of [protobuf.Reader.prototype, protobuf.BufferReader.prototype]) {
  const lenient = Object.getOwnPropertyDescriptor(reader, 'string')!.value as (
    this: protobuf.Reader,
  ) => string;
  reader.string = function (this: protobuf.Reader): string {
    return decodingRequest ? utf8.decode(this.bytes()) : lenient.call(this);
  };
}

function isMethod(value: unknown): value is MethodDefinition<object, object> {
  return typeof (value as { requestDeserialize?: unknown })?.requestDeserialize === 'function';
}

/**
 * Makes every method of the definition hand its handler an UndecodableRequest instead of
 * throwing (and an OversizedRequest for bytes past its service's own limit): grpc-js answers a throwing deserializer with INTERNAL (a server fault), while bytes
 * that are not the method's message are the caller's, INVALID_ARGUMENT. Must run before the
 * services are added to the server, which copies the deserializers.
 */
export function tolerateUndecodableRequests(
  definition: PackageDefinition,
  maxBytesByService: Record<string, number> = {},
): void {
  for (const service of Object.values(definition)) {
    // Message and enum types (with a `format`) sit beside the services.
    if ('format' in service) continue;
    for (const method of Object.values(service)) {
      if (!isMethod(method)) continue;
      const decode = method.requestDeserialize;
      // `/package.Service/Method`: the service's own limit, checked before any decoding.
      const limit = maxBytesByService[method.path.split('/')[1]];
      method.requestDeserialize = (bytes: Buffer) => {
        if (limit !== undefined && bytes.length > limit) {
          return new OversizedRequest(method.path, limit);
        }
        decodingRequest = true;
        try {
          return decode(bytes);
        } catch {
          return new UndecodableRequest(method.path);
        } finally {
          decodingRequest = false;
        }
      };
    }
  }
}
