import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';

/** What a method receives in place of a message its request bytes could not be decoded into. */
export class UndecodableRequest {
  constructor(readonly method: string) {}
}

function isMethod(value: unknown): value is MethodDefinition<object, object> {
  return typeof (value as { requestDeserialize?: unknown })?.requestDeserialize === 'function';
}

/**
 * Makes every method of the definition hand its handler an UndecodableRequest instead of
 * throwing: grpc-js answers a throwing deserializer with INTERNAL (a server fault), while bytes
 * that are not the method's message are the caller's, INVALID_ARGUMENT. Must run before the
 * services are added to the server, which copies the deserializers.
 */
export function tolerateUndecodableRequests(definition: PackageDefinition): void {
  for (const service of Object.values(definition)) {
    // Message and enum types (with a `format`) sit beside the services.
    if ('format' in service) continue;
    for (const method of Object.values(service)) {
      if (!isMethod(method)) continue;
      const decode = method.requestDeserialize;
      method.requestDeserialize = (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch {
          return new UndecodableRequest(method.path);
        }
      };
    }
  }
}
