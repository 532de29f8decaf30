import { isAbsolute, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ClientGrpcProxy } from '@nestjs/microservices';
import { ConfigCenter } from '../config/config-center';
import { GRPC_PACKAGES, PROTO_LOADER_OPTIONS, protoRoot } from './grpc.options';

export interface GrpcClientOptions {
  /** The .proto file, under proto/ or absolute. */
  protoFile: string;
  /** Fully qualified service name, e.g. `msproject.user.v1.UserService`. */
  service: string;
  /**
   * `host:port`, or `nacos:///<service>` for the instances registered in Nacos naming
   * (balanced round-robin; see src/discovery); this process's own gRPC server when absent.
   */
  address?: string;
  /** grpc-js channel options, e.g. how often a `nacos:///` target is resolved again. */
  channelOptions?: grpc.ChannelOptions;
  /** Insecure (plaintext) when absent: peers inside the cluster network. */
  credentials?: grpc.ChannelCredentials;
  /** Deadline of each call unless the call sets its own; default 5 s. */
  deadlineMs?: number;
  /** Extra import roots for the .proto file. */
  includeDirs?: string[];
}

export interface GrpcCallOptions {
  metadata?: grpc.Metadata;
  deadlineMs?: number;
}

type UnaryMethod = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientUnaryCall;

/** One service at one address, with promise-returning unary calls. */
export class GrpcServiceClient {
  constructor(
    readonly client: grpc.Client,
    private readonly deadlineMs: number,
  ) {}

  /** Calls `method` (as named in the .proto) in the current trace context. */
  unary<Request, Response>(
    method: string,
    request: Request,
    options: GrpcCallOptions = {},
  ): Promise<Response> {
    const call = (this.client as unknown as Record<string, UnaryMethod | undefined>)[method];
    if (typeof call !== 'function') {
      return Promise.reject(new Error(`no unary method ${method} on this client`));
    }
    return new Promise((resolve, reject) => {
      call.call(
        this.client,
        request,
        options.metadata ?? new grpc.Metadata(),
        { deadline: Date.now() + (options.deadlineMs ?? this.deadlineMs) },
        (error, response) => (error ? reject(error) : resolve(response as Response)),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

/**
 * Clients for our own gRPC services (typed by the generated contract) and for peers (any
 * proto, promise-returning unary calls). The trace context travels with every call:
 * grpc-js is instrumented (src/telemetry), so each call is a CLIENT span whose `traceparent`
 * goes out in the metadata, and the server's span becomes its child. Channels are shared per
 * service and address, and closed with the application.
 */
@Injectable()
export class GrpcClientFactory implements OnApplicationShutdown {
  private readonly packages = new Map<string, grpc.GrpcObject>();
  private readonly clients = new Map<string, GrpcServiceClient>();
  private readonly proxies = new Map<string, ClientGrpcProxy>();

  constructor(private readonly center: ConfigCenter) {}

  /** The address of this process's own gRPC server (loopback when it listens everywhere). */
  ownAddress(): string {
    const { host, port } = this.center.config.grpc;
    const reachable = host === '0.0.0.0' || host === '::' || host === '[::]' ? '127.0.0.1' : host;
    return `${reachable.includes(':') && !reachable.startsWith('[') ? `[${reachable}]` : reachable}:${port}`;
  }

  /**
   * A typed client of one of our services (`T` is its generated client interface, e.g.
   * `UserServiceClient` from src/generated), on @nestjs/microservices' ClientGrpc. `address`
   * may be `nacos:///<service>` to balance over the instances registered in Nacos naming.
   */
  service<T extends object>(
    packageName: string,
    service: string,
    options: Pick<GrpcClientOptions, 'address' | 'channelOptions'> = {},
  ): T {
    const entry = GRPC_PACKAGES.find((candidate) => candidate.name === packageName);
    if (!entry) throw new Error(`${packageName} is not one of this application's gRPC packages`);
    const address = options.address ?? this.ownAddress();
    const key = `${packageName}@${address}`;
    let proxy = this.proxies.get(key);
    if (!proxy) {
      const root = protoRoot();
      proxy = new ClientGrpcProxy({
        url: address,
        package: packageName,
        protoPath: join(root, entry.file),
        loader: { ...PROTO_LOADER_OPTIONS, includeDirs: [root] },
        channelOptions: options.channelOptions,
      });
      this.proxies.set(key, proxy);
    }
    return proxy.getService<T>(service);
  }

  get(options: GrpcClientOptions): GrpcServiceClient {
    const address = options.address ?? this.ownAddress();
    const key = `${options.service}@${address}`;
    let client = this.clients.get(key);
    if (!client) {
      const Service = this.serviceConstructor(options);
      client = new GrpcServiceClient(
        new Service(
          address,
          options.credentials ?? grpc.credentials.createInsecure(),
          options.channelOptions,
        ),
        options.deadlineMs ?? 5_000,
      );
      this.clients.set(key, client);
    }
    return client;
  }

  onApplicationShutdown(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
    for (const proxy of this.proxies.values()) proxy.close();
    this.proxies.clear();
  }

  private serviceConstructor(options: GrpcClientOptions): grpc.ServiceClientConstructor {
    const root = protoRoot();
    const file = isAbsolute(options.protoFile) ? options.protoFile : join(root, options.protoFile);
    let loaded = this.packages.get(file);
    if (!loaded) {
      const definition = loadSync(file, {
        ...PROTO_LOADER_OPTIONS,
        includeDirs: [root, ...(options.includeDirs ?? [])],
      });
      loaded = grpc.loadPackageDefinition(definition);
      this.packages.set(file, loaded);
    }
    const Service = options.service
      .split('.')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], loaded);
    if (typeof Service !== 'function') {
      throw new Error(`service ${options.service} is not defined in ${options.protoFile}`);
    }
    return Service as grpc.ServiceClientConstructor;
  }
}
