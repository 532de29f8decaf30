import { networkInterfaces } from 'node:os';
import { metrics } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { withTimeout } from '../common/with-timeout';
import type { NacosNamingClient, NamingInstance, ServiceKey } from './nacos-naming.client';

export interface RegisteredEndpoint {
  /** `grpc` or `http`: the metadata and status name it. */
  protocol: string;
  service: string;
  port: number;
}

export interface RegistrationOptions {
  namespace: string;
  group: string;
  cluster: string;
  ip: string;
  weight: number;
  metadata: Record<string, string>;
  endpoints: RegisteredEndpoint[];
}

export type RegistrationState = 'registering' | 'registered' | 'failing' | 'deregistered';

export interface RegistrationStatus {
  state: RegistrationState;
  /** `protocol service ip:port` of each endpoint. */
  endpoints: string[];
  lastError: string | null;
  lastBeatAt: string | null;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const DEREGISTER_TIMEOUT_MS = 2_000;

const meter = metrics.getMeter('msproject.discovery');
const failures = meter.createCounter('naming_registration_failures', {
  description: 'Failed registrations and heartbeats of this instance in Nacos naming',
});
const registered = meter.createObservableGauge('naming_registered', {
  description: '1 while this instance is registered in Nacos naming, else 0',
});

/** The first non-internal IPv4 address: what peers on other machines can reach. */
export function defaultAdvertiseHost(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}

/**
 * This instance's endpoints as ephemeral instances in Nacos naming: registered at start, kept
 * alive by heartbeats at the interval the server asks for, registered again when the server
 * forgot them, deregistered on shutdown before the drain. A failure never stops the app: it is
 * retried with back-off, logged without credentials, counted, and reported in readiness.
 */
export class ServiceRegistration {
  private state: RegistrationState = 'registering';
  private lastError: string | null = null;
  private lastBeatAt: string | null = null;
  private timer?: NodeJS.Timeout;
  private retryMs = FIRST_RETRY_MS;
  private stopped = false;
  private readonly observe = (result: { observe(value: number): void }) =>
    result.observe(this.state === 'registered' ? 1 : 0);

  constructor(
    private readonly client: NacosNamingClient,
    private readonly options: RegistrationOptions,
    private readonly logger?: Logger,
  ) {}

  start(): void {
    registered.addCallback(this.observe);
    this.schedule(0, () => this.register());
  }

  status(): RegistrationStatus {
    return {
      state: this.state,
      endpoints: this.options.endpoints.map(
        (endpoint) =>
          `${endpoint.protocol} ${endpoint.service} ${this.options.ip}:${endpoint.port}`,
      ),
      lastError: this.lastError,
      lastBeatAt: this.lastBeatAt,
    };
  }

  /** Stops the heartbeats and deregisters every endpoint (bounded: a dead server must not hold shutdown). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    registered.removeCallback(this.observe);
    const results = await Promise.allSettled(
      this.options.endpoints.map((endpoint) =>
        withTimeout(
          this.client.deregister(this.key(endpoint), { ip: this.options.ip, port: endpoint.port }),
          DEREGISTER_TIMEOUT_MS,
          `timed out after ${DEREGISTER_TIMEOUT_MS} ms`,
        ),
      ),
    );
    const failed = results.filter((result) => result.status === 'rejected');
    this.state = 'deregistered';
    if (failed.length > 0) {
      this.logger?.warn(
        { error: describe(failed[0].reason) },
        'deregistering from Nacos naming failed; the registry drops the instance when its heartbeats stop',
      );
    } else {
      this.logger?.info({ endpoints: this.status().endpoints }, 'deregistered from Nacos naming');
    }
  }

  private async register(): Promise<void> {
    try {
      await Promise.all(
        this.options.endpoints.map((endpoint) =>
          this.client.register(this.key(endpoint), this.instance(endpoint)),
        ),
      );
      this.succeeded();
      this.logger?.info({ endpoints: this.status().endpoints }, 'registered in Nacos naming');
      // The first heartbeat right away: the server then tells how often it wants them.
      this.schedule(0, () => this.beat());
    } catch (error) {
      this.failed('register', error);
      this.schedule(this.nextRetry(), () => this.register());
    }
  }

  private async beat(): Promise<void> {
    try {
      const answers = await Promise.all(
        this.options.endpoints.map((endpoint) =>
          this.client.beat(this.key(endpoint), this.instance(endpoint)),
        ),
      );
      if (answers.some((answer) => !answer.known)) {
        // The server dropped us (missed beats, a restart without data): register again.
        this.logger?.warn('Nacos naming no longer knows this instance; registering again');
        this.state = 'registering';
        this.schedule(0, () => this.register());
        return;
      }
      this.succeeded();
      this.lastBeatAt = new Date().toISOString();
      const next = Math.min(...answers.map((answer) => (answer.known ? answer.nextBeatMs : 5_000)));
      this.schedule(next, () => this.beat());
    } catch (error) {
      this.failed('heartbeat', error);
      this.schedule(this.nextRetry(), () => this.beat());
    }
  }

  private succeeded(): void {
    this.state = 'registered';
    this.lastError = null;
    this.retryMs = FIRST_RETRY_MS;
  }

  private failed(operation: string, error: unknown): void {
    if (this.stopped) return;
    this.state = 'failing';
    this.lastError = `${operation}: ${describe(error)}`;
    failures.add(1, { operation });
    this.logger?.warn({ error: this.lastError }, 'Nacos naming registration failing; retrying');
  }

  private nextRetry(): number {
    const wait = this.retryMs;
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    return wait / 2 + Math.random() * (wait / 2);
  }

  private schedule(ms: number, run: () => Promise<void>): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void run(), ms);
    this.timer.unref();
  }

  private key(endpoint: RegisteredEndpoint): ServiceKey {
    return {
      namespace: this.options.namespace,
      group: this.options.group,
      service: endpoint.service,
      cluster: this.options.cluster,
    };
  }

  private instance(endpoint: RegisteredEndpoint): NamingInstance {
    return {
      ip: this.options.ip,
      port: endpoint.port,
      weight: this.options.weight,
      healthy: true,
      enabled: true,
      metadata: { ...this.options.metadata, protocol: endpoint.protocol },
    };
  }
}

/** Transport errors name the method, path and status, never credentials. */
function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
