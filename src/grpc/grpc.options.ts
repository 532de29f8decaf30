import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { ReflectionService } from '@grpc/reflection';
import {
  status,
  type Server,
  type ServerDuplexStream,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { Transport, type GrpcOptions } from '@nestjs/microservices';
import type { AppConfig } from '../config/schema';
import { rpcMetricsInterceptor } from '../telemetry/rpc-metrics.interceptor';
import { loadPackageDefinition } from './package-definition';
import { encodeResponsesDirectly } from './response-encoder';
import { tolerateUndecodableRequests } from './undecodable-request';

export interface ProtoPackage {
  name: string;
  /** Under proto/, or an absolute path. */
  file: string;
  /** Fully qualified services it defines, as health checks name them. */
  services: string[];
}

/** Every gRPC package this process serves, with its file under proto/. */
export const GRPC_PACKAGES: ProtoPackage[] = [
  {
    name: 'grpc.health.v1',
    file: 'grpc/health/v1/health.proto',
    services: ['grpc.health.v1.Health'],
  },
  {
    name: 'msproject.user.v1',
    file: 'user/v1/user.proto',
    services: ['msproject.user.v1.UserService'],
  },
  {
    name: 'msproject.project.v1',
    file: 'project/v1/project.proto',
    services: [
      'msproject.project.v1.ProjectService',
      'msproject.project.v1.TaskService',
      'msproject.project.v1.VersionService',
      'msproject.project.v1.TaskWorkflowService',
      'msproject.project.v1.TaskTagService',
      'msproject.project.v1.ProjectInfoService',
    ],
  },
  {
    name: 'msproject.notification.v1',
    file: 'notification/v1/notification.proto',
    services: [
      'msproject.notification.v1.NotificationService',
      'msproject.notification.v1.AnnouncementService',
    ],
  },
  {
    name: 'msproject.organization.v1',
    file: 'organization/v1/organization.proto',
    services: [
      'msproject.organization.v1.DepartmentService',
      'msproject.organization.v1.AccountService',
      'msproject.organization.v1.InvitationService',
    ],
  },
  {
    name: 'msproject.access.v1',
    file: 'access/v1/access.proto',
    services: [
      'msproject.access.v1.RoleService',
      'msproject.access.v1.PermissionService',
      'msproject.access.v1.MenuService',
      'msproject.access.v1.OrganizationService',
      'msproject.access.v1.SystemSettingsService',
    ],
  },
  {
    name: 'msproject.file.v1',
    file: 'file/v1/file.proto',
    services: ['msproject.file.v1.FileService'],
  },
];

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

/**
 * What the server's messages are read with: a request carries only the fields its caller set,
 * no proto3 defaults filled in, and an `optional` field is there when set (no synthetic oneof
 * markers), so field presence is what the schemas see.
 */
export const SERVER_LOADER_OPTIONS = { ...PROTO_LOADER_OPTIONS, defaults: false, oneofs: false };

export function grpcOptions(
  grpc: AppConfig['grpc'],
  packages: ProtoPackage[] = GRPC_PACKAGES,
): GrpcOptions {
  const root = protoRoot();
  const protoPath = packages.map((entry) =>
    isAbsolute(entry.file) ? entry.file : join(root, entry.file),
  );
  return {
    transport: Transport.GRPC,
    options: {
      url: `${grpc.host}:${grpc.port}`,
      // Refused with RESOURCE_EXHAUSTED before any decoding.
      maxReceiveMessageLength: grpc.maxReceiveMessageBytes,
      package: packages.map((entry) => entry.name),
      packageDefinition: loadPackageDefinition(protoPath, {
        ...SERVER_LOADER_OPTIONS,
        includeDirs: [root],
      }),
      // Finish in-flight calls on shutdown instead of cutting them off.
      gracefulShutdown: true,
      channelOptions: {
        // Nothing serves channelz, which otherwise counts and timestamps every call and message.
        'grpc.enable_channelz': 0,
        // Nest hands these options to grpc-js's Server, which takes its interceptors from them.
        interceptors: [rpcMetricsInterceptor()],
      },
      onLoadPackageDefinition: (definition: object, server: object) => {
        tolerateUndecodableRequests(definition as PackageDefinition, grpc.maxMessageBytesByService);
        encodeResponsesDirectly(definition as PackageDefinition, protoPath, [root]);
        addReflection(definition as PackageDefinition, server as Server);
      },
    },
  };
}

type ReflectionCall = (stream: ServerDuplexStream<unknown, unknown>) => void;

/** The reflection services' handlers, by the path of their one method. */
function reflectionHandlers(definition: PackageDefinition): Map<string, ReflectionCall> {
  const handlers = new Map<string, ReflectionCall>();
  new ReflectionService(definition).addToServer({
    addService: (service: ServiceDefinition, implementation: Record<string, unknown>) => {
      for (const [method, { path }] of Object.entries(service)) {
        handlers.set(path, implementation[method] as ReflectionCall);
      }
    },
  });
  return handlers;
}

/**
 * Server reflection (v1 and v1alpha) over the served packages. Its index of them (every file
 * descriptor decoded) is built on the first reflection call, not at start; a failure to build
 * it fails that call with INTERNAL.
 */
function addReflection(definition: PackageDefinition, server: Server): void {
  let handlers: Map<string, ReflectionCall> | undefined;
  // The services' definitions, from an index of nothing (cheap).
  new ReflectionService({}).addToServer({
    addService: (service: ServiceDefinition) => {
      const implementation: Record<string, ReflectionCall> = {};
      for (const [method, { path }] of Object.entries(service)) {
        implementation[method] = (stream) => {
          try {
            handlers ??= reflectionHandlers(definition);
          } catch (error) {
            stream.emit('error', { code: status.INTERNAL, details: (error as Error).message });
            return;
          }
          handlers.get(path)!(stream);
        };
      }
      server.addService(service, implementation);
    },
  });
}
