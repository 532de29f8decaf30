import type { NacosTransport } from '../config/sources/nacos-transport';

/** One endpoint of a service, as registered and as listed. */
export interface NamingInstance {
  ip: string;
  port: number;
  weight: number;
  healthy: boolean;
  enabled: boolean;
  metadata: Record<string, string>;
}

export interface ServiceKey {
  namespace: string;
  group: string;
  service: string;
  cluster: string;
}

/** Heartbeat answer codes of the v1 naming API. */
const BEAT_OK = 10200;
const BEAT_UNKNOWN_INSTANCE = 20404;

export type BeatResult = { known: true; nextBeatMs: number } | { known: false };

/**
 * Nacos naming over the v1 HTTP API (`/v1/ns/...`), on the config center's transport: the same
 * login token, back-off and TLS verification. Ephemeral instances only: they live as long as
 * their heartbeats.
 */
export class NacosNamingClient {
  constructor(
    private readonly transport: NacosTransport,
    private readonly timeoutMs = 5_000,
  ) {}

  async register(key: ServiceKey, instance: NamingInstance): Promise<void> {
    await this.call('POST', '/v1/ns/instance', {
      ...this.params(key),
      clusterName: key.cluster,
      ip: instance.ip,
      port: instance.port,
      weight: instance.weight,
      enable: instance.enabled,
      healthy: instance.healthy,
      ephemeral: true,
      metadata: JSON.stringify(instance.metadata),
    });
  }

  async deregister(key: ServiceKey, instance: Pick<NamingInstance, 'ip' | 'port'>): Promise<void> {
    await this.call('DELETE', '/v1/ns/instance', {
      ...this.params(key),
      clusterName: key.cluster,
      ip: instance.ip,
      port: instance.port,
      ephemeral: true,
    });
  }

  async beat(key: ServiceKey, instance: NamingInstance): Promise<BeatResult> {
    const body = await this.call('PUT', '/v1/ns/instance/beat', {
      ...this.params(key),
      beat: JSON.stringify({
        serviceName: this.qualifiedName(key),
        ip: instance.ip,
        port: instance.port,
        cluster: key.cluster,
        weight: instance.weight,
        metadata: instance.metadata,
        scheduled: true,
      }),
    });
    const answer = JSON.parse(body ?? '{}') as { code?: number; clientBeatInterval?: number };
    if (answer.code === BEAT_UNKNOWN_INSTANCE) return { known: false };
    if (answer.code !== undefined && answer.code !== BEAT_OK) {
      throw new Error(`Nacos heartbeat answered code ${answer.code}`);
    }
    return { known: true, nextBeatMs: answer.clientBeatInterval ?? 5_000 };
  }

  /** The instances of a service; healthy and enabled ones only unless told otherwise. */
  async list(key: Omit<ServiceKey, 'cluster'>, healthyOnly = true): Promise<NamingInstance[]> {
    const body = await this.call('GET', '/v1/ns/instance/list', {
      ...this.params(key),
      healthyOnly,
    });
    const answer = JSON.parse(body ?? '{}') as { hosts?: Partial<NamingInstance>[] };
    return (answer.hosts ?? [])
      .filter((host) => typeof host.ip === 'string' && Number.isInteger(host.port))
      .map((host) => ({
        ip: host.ip!,
        port: host.port!,
        weight: host.weight ?? 1,
        healthy: host.healthy ?? true,
        enabled: host.enabled ?? true,
        metadata: host.metadata ?? {},
      }))
      .filter((host) => !healthyOnly || (host.healthy && host.enabled && host.weight > 0));
  }

  private qualifiedName(key: Pick<ServiceKey, 'group' | 'service'>): string {
    return `${key.group}@@${key.service}`;
  }

  private params(key: Omit<ServiceKey, 'cluster'>) {
    return {
      namespaceId: key.namespace,
      serviceName: this.qualifiedName(key),
      groupName: key.group,
    };
  }

  private async call(
    method: string,
    path: string,
    data: Record<string, string | number | boolean>,
  ): Promise<string | null> {
    const body = await this.transport.request(path, { method, data, timeout: this.timeoutMs });
    if (body === null) throw new Error(`Nacos ${method} ${path}: not found`);
    return body;
  }
}
