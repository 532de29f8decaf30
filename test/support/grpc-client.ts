import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, protoRoot } from '@/grpc/grpc.options';

type Unary<Request, Response> = (
  request: Request,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: Response) => void,
) => grpc.ClientUnaryCall;

/** Loads a service from proto/ (or an absolute path) and connects a client to `address`. */
export function grpcClient<T = grpc.Client>(
  address: string,
  protoFile: string,
  servicePath: string,
  includeDirs: string[] = [],
): T & grpc.Client {
  const file = protoFile.startsWith('/') ? protoFile : join(protoRoot(), protoFile);
  const definition = loadSync(file, {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [protoRoot(), ...includeDirs],
  });
  const loaded = grpc.loadPackageDefinition(definition) as Record<string, unknown>;
  const Service = servicePath
    .split('.')
    .reduce<unknown>(
      (node, key) => (node as Record<string, unknown>)[key],
      loaded,
    ) as typeof grpc.Client;
  return new Service(address, grpc.credentials.createInsecure()) as T & grpc.Client;
}

/** Calls a unary method and resolves with its response (rejects with the ServiceError). */
export function unary<Request, Response>(
  client: grpc.Client,
  method: string,
  request: Request,
  metadata = new grpc.Metadata(),
  deadlineMs = 5_000,
): Promise<Response> {
  const call = (client as unknown as Record<string, Unary<Request, Response>>)[method].bind(client);
  return new Promise((resolve, reject) => {
    call(request, metadata, { deadline: Date.now() + deadlineMs }, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  });
}

/** Call metadata carrying an access token, as a client sends it. */
export function bearer(token: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

/** For `assert.rejects`: the call failed with `code`, naming `field` and `reason` when given. */
export function rejectsWith(code: grpc.status, field?: string, reason?: string) {
  return (error: grpc.ServiceError) => {
    assert.equal(error.code, code, error.message);
    if (field) assert.equal(error.metadata.get('field')[0], field);
    if (reason) assert.equal(error.metadata.get('reason')[0], reason);
    return true;
  };
}

/** Sends `bytes` as the request message of `path` (`/package.Service/Method`), unencoded. */
export function unaryBytes(
  address: string,
  path: string,
  bytes: Buffer,
  metadata = new grpc.Metadata(),
  deadlineMs = 5_000,
): Promise<Buffer> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const identity = (value: Buffer) => value;
  return new Promise<Buffer>((resolve, reject) => {
    client.makeUnaryRequest(
      path,
      identity,
      identity,
      bytes,
      metadata,
      { deadline: Date.now() + deadlineMs },
      (error, response) => (error ? reject(error) : resolve(response!)),
    );
  }).finally(() => client.close());
}
