/**
 * The naming (service registry) side of the Nacos test server: the v1 HTTP API as the `nacos`
 * package and msproject speak it (/work/shared/reference/nacos.md, "Naming"). Ephemeral
 * instances only: one that misses its heartbeats turns unhealthy, then disappears.
 */

export interface NamingOptions {
  /** The beat interval the server asks clients for (`clientBeatInterval`); Nacos: 5000. */
  beatIntervalMs?: number;
  /** Without a beat for this long an instance is unhealthy; Nacos: 15000. */
  unhealthyAfterMs?: number;
  /** Without a beat for this long it is removed; Nacos: 30000. */
  removeAfterMs?: number;
}

export interface RegisteredInstance {
  namespace: string;
  /** `group@@name`. */
  service: string;
  cluster: string;
  ip: string;
  port: number;
  weight: number;
  enabled: boolean;
  metadata: Record<string, string>;
  registeredAt: number;
  lastBeat: number;
}

type Params = Map<string, string>;

export class NamingError extends Error {}

function required(params: Params, name: string): string {
  const value = params.get(name);
  if (!value) throw new NamingError(`Param '${name}' is required.`);
  return value;
}

/** `serviceName` may come qualified (`group@@name`) or with `groupName` beside it. */
function qualified(params: Params): string {
  const name = required(params, 'serviceName');
  if (name.includes('@@')) return name;
  return `${params.get('groupName') || 'DEFAULT_GROUP'}@@${name}`;
}

function port(value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    throw new NamingError("Param 'port' is invalid.");
  }
  return parsed;
}

export class NamingRegistry {
  private readonly instances = new Map<string, RegisteredInstance>();
  private readonly beatIntervalMs: number;
  private readonly unhealthyAfterMs: number;
  private readonly removeAfterMs: number;

  constructor(
    options: NamingOptions,
    private readonly now: () => number,
  ) {
    this.beatIntervalMs = options.beatIntervalMs ?? 5_000;
    this.unhealthyAfterMs = options.unhealthyAfterMs ?? 15_000;
    this.removeAfterMs = options.removeAfterMs ?? 30_000;
  }

  register(params: Params): string {
    const instance: RegisteredInstance = {
      namespace: params.get('namespaceId') || 'public',
      service: qualified(params),
      cluster: params.get('clusterName') || 'DEFAULT',
      ip: required(params, 'ip'),
      port: port(params.get('port')),
      weight: Number(params.get('weight') ?? 1),
      enabled: params.get('enable') !== 'false',
      metadata: JSON.parse(params.get('metadata') || '{}') as Record<string, string>,
      registeredAt: this.now(),
      lastBeat: this.now(),
    };
    this.instances.set(this.keyOf(instance), instance);
    return 'ok';
  }

  deregister(params: Params): string {
    this.instances.delete(
      this.keyOf({
        namespace: params.get('namespaceId') || 'public',
        service: qualified(params),
        cluster: params.get('clusterName') || 'DEFAULT',
        ip: required(params, 'ip'),
        port: port(params.get('port')),
      }),
    );
    return 'ok';
  }

  /** `PUT /instance/beat`: the beat JSON, or ip/port parameters as newer clients send them. */
  beat(params: Params): string {
    const beat = JSON.parse(params.get('beat') || '{}') as {
      ip?: string;
      port?: number;
      cluster?: string;
    };
    const key = this.keyOf({
      namespace: params.get('namespaceId') || 'public',
      service: qualified(params),
      cluster: beat.cluster || params.get('clusterName') || 'DEFAULT',
      ip: beat.ip ?? required(params, 'ip'),
      port: port(String(beat.port ?? params.get('port'))),
    });
    this.sweep();
    const instance = this.instances.get(key);
    if (!instance) return JSON.stringify({ code: 20404, clientBeatInterval: this.beatIntervalMs });
    instance.lastBeat = this.now();
    return JSON.stringify({
      code: 10200,
      clientBeatInterval: this.beatIntervalMs,
      lightBeatEnabled: false,
    });
  }

  list(params: Params): string {
    this.sweep();
    const namespace = params.get('namespaceId') || 'public';
    const service = qualified(params);
    const healthyOnly = params.get('healthyOnly') === 'true';
    const clusters = (params.get('clusters') ?? '').split(',').filter(Boolean);
    const hosts = [...this.instances.values()]
      .filter((instance) => instance.namespace === namespace && instance.service === service)
      .filter((instance) => clusters.length === 0 || clusters.includes(instance.cluster))
      .map((instance) => ({ instance, healthy: this.isHealthy(instance) }))
      .filter(({ healthy, instance }) => !healthyOnly || (healthy && instance.enabled))
      .map(({ instance, healthy }) => ({
        instanceId: `${instance.ip}#${instance.port}#${instance.cluster}#${instance.service}`,
        ip: instance.ip,
        port: instance.port,
        weight: instance.weight,
        healthy,
        enabled: instance.enabled,
        ephemeral: true,
        clusterName: instance.cluster,
        serviceName: instance.service,
        metadata: instance.metadata,
      }));
    return JSON.stringify({
      name: service,
      groupName: service.split('@@')[0],
      clusters: clusters.join(','),
      cacheMillis: 10_000,
      hosts,
      lastRefTime: this.now(),
      checksum: '',
      allIPs: false,
      reachProtectionThreshold: false,
      valid: true,
    });
  }

  /** Every instance still known, for assertions. */
  snapshot(): RegisteredInstance[] {
    this.sweep();
    return [...this.instances.values()].map((instance) => ({ ...instance }));
  }

  clear(): void {
    this.instances.clear();
  }

  private isHealthy(instance: RegisteredInstance): boolean {
    return this.now() - instance.lastBeat < this.unhealthyAfterMs;
  }

  private sweep(): void {
    for (const [key, instance] of this.instances) {
      if (this.now() - instance.lastBeat >= this.removeAfterMs) this.instances.delete(key);
    }
  }

  private keyOf(
    instance: Pick<RegisteredInstance, 'namespace' | 'service' | 'cluster' | 'ip' | 'port'>,
  ) {
    return `${instance.namespace}|${instance.service}|${instance.cluster}|${instance.ip}:${instance.port}`;
  }
}
