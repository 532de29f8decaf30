import { EventEmitter } from 'node:events';
import type { DataClient } from 'nacos';
import type { NacosBootstrap } from '../bootstrap';
import type { ConfigSource } from './config-source';
import { NacosTransport, type NacosRequest } from './nacos-transport';

/** Keeps the `nacos` client's cache in memory: we keep our own, verified, snapshot. */
class MemorySnapshot extends EventEmitter {
  readonly cacheDir = '';
  private readonly entries = new Map<string, string>();
  get(key: string): string | null {
    return this.entries.get(key) ?? null;
  }
  save(key: string, value: string): void {
    this.entries.set(key, value);
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
  batchSave(items: { key: string; value: string }[]): void {
    for (const { key, value } of items) this.entries.set(key, value);
  }
}

interface Worker {
  close(): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

type DataClientClass = typeof DataClient;
let quietDataClient: DataClientClass | undefined;

/**
 * `DataClient` (never `NacosConfigClient`, which routes every client in a host through the
 * first one's connection) with our transport, an in-memory cache, and workers that stay
 * quiet after close: the stock worker drops its 'error' listener on close, so a late error
 * from an in-flight poll would crash the process. The `nacos` package (a few hundred modules)
 * loads only when the config center is on.
 */
function quietDataClientClass(): DataClientClass {
  if (quietDataClient) return quietDataClient;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DataClient: Base } = require('nacos') as typeof import('nacos');
  class Quiet extends Base {
    protected override getClientWorker(options: unknown): never {
      const worker = super.getClientWorker(options) as unknown as Worker;
      const close = worker.close.bind(worker);
      worker.close = () => {
        close();
        worker.on('error', () => undefined);
      };
      return worker as never;
    }

    protected override getSnapshot(): never {
      return new MemorySnapshot() as never;
    }
  }
  return (quietDataClient = Quiet);
}

export interface NacosSourceOptions {
  nacos: NacosBootstrap;
  /** Called with every client-side error, already free of credentials. */
  onError: (error: Error) => void;
}

export function nacosBaseUrl(nacos: NacosBootstrap): string {
  const context = nacos.contextPath.replace(/^\/+|\/+$/g, '');
  return `${nacos.scheme}://${nacos.ipAddr}:${nacos.port}${context ? `/${context}` : ''}`;
}

export class NacosConfigSource implements ConfigSource {
  readonly kind = 'nacos';
  private readonly transport: NacosTransport;
  private readonly client: DataClient;
  private readonly key: { dataId: string; group: string };
  private listener?: (content: string | null) => void;

  constructor(private readonly options: NacosSourceOptions) {
    const { nacos } = options;
    this.key = { dataId: nacos.dataId, group: nacos.group };
    this.transport = new NacosTransport({
      baseUrl: nacosBaseUrl(nacos),
      username: nacos.username || undefined,
      password: nacos.password || undefined,
    });
    const transport = this.transport;
    class Agent {
      request(path: string, request: NacosRequest) {
        return transport.request(path, request);
      }
    }
    this.client = new (quietDataClientClass())({
      serverAddr: `${nacos.ipAddr}:${nacos.port}`,
      namespace: nacos.namespace,
      requestTimeout: nacos.requestTimeoutMs,
      httpAgent: Agent,
    });
    (this.client as unknown as EventEmitter).on('error', (error: Error) =>
      // The stock client wraps our error in messages that embed the request data; keep ours.
      options.onError(new Error(this.cleanMessage(error))),
    );
  }

  read(): Promise<string | null> {
    return this.transport.request('/v1/cs/configs', {
      method: 'GET',
      data: { ...this.key, tenant: this.options.nacos.namespace },
      timeout: this.options.nacos.requestTimeoutMs,
    });
  }

  watch(listener: (content: string | null) => void): void {
    this.listener = listener;
    this.client.subscribe(this.key, listener);
  }

  async close(): Promise<void> {
    if (this.listener) this.client.unSubscribe(this.key, this.listener);
    this.client.close();
    this.transport.close();
    await Promise.resolve();
  }

  private cleanMessage(error: Error): string {
    // Our transport's messages are clean; the client's own wrappers add `data: {...}`.
    const message = error.message.replace(/,?\s*(data|url):.*$/s, '');
    return `${error.name}: ${message}`.slice(0, 300);
  }
}
