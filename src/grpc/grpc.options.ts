import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ReflectionService } from '@grpc/reflection';
import type { Server } from '@grpc/grpc-js';
import { Transport, type GrpcOptions } from '@nestjs/microservices';
import type { AppConfig } from '../config/schema';

/** Every gRPC package this process serves, with its file under proto/. */
export const GRPC_PACKAGES = [{ name: 'grpc.health.v1', file: 'grpc/health/v1/health.proto' }];

/** proto/ at the repository (or image) root, found upward from the compiled file. */
export function protoRoot(): string {
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const candidate = join(directory, 'proto');
    if (existsSync(join(candidate, 'grpc/health/v1/health.proto'))) return candidate;
    if (dirname(directory) === directory) throw new Error('proto/ directory not found');
  }
}

export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export function grpcOptions(grpc: AppConfig['grpc']): GrpcOptions {
  const root = protoRoot();
  return {
    transport: Transport.GRPC,
    options: {
      url: `${grpc.host}:${grpc.port}`,
      package: GRPC_PACKAGES.map((entry) => entry.name),
      protoPath: GRPC_PACKAGES.map((entry) => join(root, entry.file)),
      loader: { ...PROTO_LOADER_OPTIONS, includeDirs: [root] },
      // Finish in-flight calls on shutdown instead of cutting them off.
      gracefulShutdown: true,
      onLoadPackageDefinition: (definition: object, server: object) => {
        new ReflectionService(definition as never).addToServer(server as Server);
      },
    },
  };
}
