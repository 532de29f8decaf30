import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigCenter } from '../config/config-center';
import { NacosTransport } from '../config/sources/nacos-transport';
import { nacosBaseUrl } from '../config/sources/nacos.source';
import { NacosNamingClient } from './nacos-naming.client';
import { registerNacosResolver } from './nacos-resolver';
import {
  defaultAdvertiseHost,
  ServiceRegistration,
  type RegistrationStatus,
} from './service-registration';

export type RegistryStatus = RegistrationStatus | { state: 'off' };

/**
 * This instance in Nacos naming, when the bootstrap turns `naming` on: its gRPC and HTTP
 * endpoints registered once the listeners are up, deregistered first thing at shutdown; and
 * `nacos:///<service>` gRPC targets resolvable by this process's clients.
 */
@Injectable()
export class ServiceRegistry implements OnApplicationShutdown {
  private readonly transport?: NacosTransport;
  private readonly client?: NacosNamingClient;
  private registration?: ServiceRegistration;

  constructor(private readonly center: ConfigCenter) {
    const { naming, nacos } = center.bootstrap;
    if (!naming.enabled) return;
    this.transport = new NacosTransport({
      baseUrl: nacosBaseUrl(nacos),
      username: nacos.username || undefined,
      password: nacos.password || undefined,
    });
    this.client = new NacosNamingClient(this.transport, nacos.requestTimeoutMs);
    registerNacosResolver({ client: this.client, namespace: nacos.namespace, group: nacos.group });
  }

  /** Registers this instance's endpoints; call once both listeners accept connections. */
  start(): void {
    if (!this.client || this.registration) return;
    const { naming, nacos, app } = this.center.bootstrap;
    const { server, grpc } = this.center.config;
    this.registration = new ServiceRegistration(
      this.client,
      {
        namespace: nacos.namespace,
        group: nacos.group,
        cluster: naming.cluster,
        ip: naming.advertiseHost || defaultAdvertiseHost(),
        weight: naming.weight,
        metadata: {
          version: process.env.npm_package_version ?? '0.1.0',
          profile: app.profile,
          zone: naming.zone,
          grpcPort: String(grpc.port),
          httpPort: String(server.port),
        },
        endpoints: [
          { protocol: 'grpc', service: naming.grpcService, port: grpc.port },
          { protocol: 'http', service: naming.httpService, port: server.port },
        ],
      },
      this.center.logger,
    );
    this.registration.start();
  }

  status(): RegistryStatus {
    return this.registration?.status() ?? { state: 'off' };
  }

  /** Leaves the registry (at shutdown, before the drain): callers stop picking this instance. */
  async deregister(): Promise<void> {
    await this.registration?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.deregister();
    this.transport?.close();
  }
}
