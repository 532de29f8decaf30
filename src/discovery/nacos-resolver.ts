import { experimental, status, type ChannelOptions } from '@grpc/grpc-js';
import type { NacosNamingClient } from './nacos-naming.client';

export const NACOS_SCHEME = 'nacos';
/** Channel option: how often a channel asks Nacos for the instances of its service (ms). */
export const NACOS_POLL_OPTION = 'msproject.nacos_poll_ms';
const DEFAULT_POLL_MS = 5_000;

interface NamingSource {
  client: NacosNamingClient;
  namespace: string;
  group: string;
}

let source: NamingSource | undefined;

/** The gRPC target of a service registered in Nacos naming, e.g. `nacos:///msproject-grpc`. */
export function nacosTarget(service: string): string {
  return `${NACOS_SCHEME}:///${service}`;
}

/**
 * Lets every gRPC channel of this process dial `nacos:///<service>`: the channel follows the
 * service's healthy instances in Nacos naming (polled; an instance that leaves or joins is
 * seen within one poll) and balances calls round-robin over them.
 */
export function registerNacosResolver(naming: NamingSource): void {
  source = naming;
  experimental.registerResolver(NACOS_SCHEME, NacosResolver);
}

class NacosResolver implements experimental.Resolver {
  private readonly service: string;
  private readonly pollMs: number;
  private timer?: NodeJS.Timeout;
  private polling = false;
  private destroyed = false;
  private lastAnswer = '';

  constructor(
    target: { path: string },
    private readonly listener: experimental.ResolverListener,
    options: ChannelOptions,
  ) {
    this.service = target.path.replace(/^\/+/, '');
    const pollMs = Number(options[NACOS_POLL_OPTION]);
    this.pollMs = Number.isFinite(pollMs) && pollMs > 0 ? pollMs : DEFAULT_POLL_MS;
  }

  static getDefaultAuthority(target: { path: string }): string {
    return target.path.replace(/^\/+/, '');
  }

  updateResolution(): void {
    this.destroyed = false;
    if (!this.polling) void this.poll();
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastAnswer = '';
  }

  private async poll(): Promise<void> {
    this.polling = true;
    clearTimeout(this.timer);
    let answer: string;
    let result: Parameters<experimental.ResolverListener>[0];
    try {
      if (!source) throw new Error('no Nacos naming source registered');
      const hosts = await source.client.list({
        namespace: source.namespace,
        group: source.group,
        service: this.service,
      });
      const endpoints = hosts
        .map((host) => ({ addresses: [{ host: host.ip, port: host.port }] }))
        .sort((a, b) =>
          `${a.addresses[0].host}:${a.addresses[0].port}`.localeCompare(
            `${b.addresses[0].host}:${b.addresses[0].port}`,
          ),
        );
      answer = JSON.stringify(endpoints);
      result =
        endpoints.length > 0
          ? experimental.statusOrFromValue(endpoints)
          : experimental.statusOrFromError({
              code: status.UNAVAILABLE,
              details: `no healthy instance of ${this.service} in Nacos naming`,
            });
    } catch (error) {
      answer = `error ${(error as Error).message}`;
      result = experimental.statusOrFromError({
        code: status.UNAVAILABLE,
        details: `resolving ${this.service} in Nacos naming: ${(error as Error).message}`,
      });
    }
    this.polling = false;
    if (this.destroyed) return;
    if (answer !== this.lastAnswer || !result.ok) {
      this.lastAnswer = answer;
      this.listener(
        result,
        {},
        experimental.statusOrFromValue({
          loadBalancingConfig: [{ round_robin: {} }],
          methodConfig: [],
        }),
        '',
      );
    }
    this.timer = setTimeout(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }
}
