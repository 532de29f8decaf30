import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { stringify } from 'yaml';
import { AppModule } from '@/app.module';
import { configureApp, createHttpAdapter, listen } from '@/server/configure-app';
import { ConfigCenter } from '@/config/config-center';
import { GRPC_PACKAGES, type ProtoPackage } from '@/grpc/grpc.options';
import { createTestDatabase, MARIADB } from './databases';
import { LogCapture } from './log-capture';
import { freePort } from './ports';

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** 32 random bytes, as an operator would generate a secret. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** New for every test process: nothing depends on a secret anyone could know. */
export const TEST_JWT = { accessSecret: randomSecret(), refreshSecret: randomSecret() };

/** One per test process: the apps of a process share its public id codec. */
export const TEST_IDS_SECRET = randomBytes(32).toString('base64url');

/** A complete dynamic config on the local MariaDB and Redis, with free listen ports. */
export async function testConfig(database: string): Promise<Record<string, unknown>> {
  return {
    server: {
      host: '127.0.0.1',
      port: await freePort(),
      // No load balancer watches a test's app: SIGTERM drains at once.
      shutdownGraceMs: 0,
      shutdownTimeoutMs: 10_000,
      docs: true,
    },
    log: { level: 'info', format: 'json' },
    grpc: { host: '127.0.0.1', port: await freePort() },
    db: {
      type: 'mariadb',
      // The committed migrations build the schema, as in production.
      synchronize: false,
      migrationsRun: true,
      separation: false,
      master: {
        host: MARIADB.host,
        port: MARIADB.port,
        username: 'root',
        password: '',
        db: database,
      },
      slaves: [],
      maxOpenConns: 20,
      maxIdleConns: 5,
      drainTimeoutMs: 5_000,
    },
    // A key prefix per app keeps rate limits and caches of parallel runs apart.
    redis: { mode: 'standalone', host: '127.0.0.1', port: 6379, db: 0, keyPrefix: `${database}:` },
    jwt: { ...TEST_JWT, accessExp: 900, refreshExp: 3600 },
    ids: { secret: TEST_IDS_SECRET },
    tracing: { sampleRatio: 1 },
    captcha: { ttlSeconds: 900, exposeInResponse: true },
    rateLimit: {
      captchaPerIpPerMinute: 1000,
      registerPerIpPerHour: 1000,
      registerPerMobilePerHour: 1000,
      loginPerIpPerMinute: 1000,
    },
    cache: { memberTtlSeconds: 60 },
    // Files of one app in a directory of its own, removed when it closes.
    storage: { default: 'local', local: { root: filesDirectory(database) } },
  };
}

/** Where an app on `database` keeps its files with the local storage backend. */
export function filesDirectory(database: string): string {
  return join(tmpdir(), `msproject-files-${database}`);
}

export function mergeDeep<T>(base: T, patch: unknown): T {
  if (patch === undefined) return base;
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch as T;
  const result = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    result[key] = mergeDeep(result[key], value);
  }
  return result as T;
}

/**
 * Writes `config.yaml` and a `bootstrap.yaml` with the config center off (plus `bootstrap`)
 * into `configDir`, for an application started in a process of its own.
 */
export async function writeLocalConfig(
  configDir: string,
  config: Record<string, unknown>,
  bootstrap: Record<string, unknown> = {},
): Promise<void> {
  await writeFile(join(configDir, 'config.yaml'), stringify(config));
  await writeFile(
    join(configDir, 'bootstrap.yaml'),
    stringify({
      nacos: { enabled: false, snapshotDir: join(configDir, 'snapshot') },
      ...bootstrap,
    }),
  );
}

/** Applies a change over the app's live config, as a config push does; throws unless applied. */
export async function reconfigure(app: TestApp, patch: Record<string, unknown>): Promise<void> {
  const attempt = await app.center.apply(stringify(mergeDeep(app.center.config, patch)), 'file');
  if (attempt.outcome !== 'applied') throw new Error(`config not applied: ${attempt.error}`);
}

export interface TestAppOptions {
  /** Patched over `testConfig()` and written as config/config.yaml. */
  config?: Record<string, unknown>;
  /** Raw config.yaml content instead of a generated one. */
  configYaml?: string;
  /** bootstrap.yaml content; the config center is off when absent. */
  bootstrap?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** Runs before the app starts with the generated config (as YAML), e.g. to publish it. */
  beforeStart?: (configYaml: string, config: Record<string, unknown>) => Promise<void> | void;
  /** Extra modules beside the application (test-only controllers). */
  imports?: ModuleMetadata['imports'];
  /** gRPC packages to serve; the application's own by default. */
  grpcPackages?: ProtoPackage[];
}

export interface TestApp {
  app: NestFastifyApplication;
  center: ConfigCenter;
  logs: LogCapture;
  configDir: string;
  database: string;
  baseUrl: string;
  grpcAddress: string;
  config: Record<string, unknown>;
  close(): Promise<void>;
}

/** The real application, on the real MariaDB and Redis, listening on HTTP and gRPC. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const configDir = await mkdtemp(join(tmpdir(), 'msproject-config-'));
  const config = mergeDeep(await testConfig(database.name), options.config);
  const configYaml = options.configYaml ?? stringify(config);
  await writeFile(join(configDir, 'config.yaml'), configYaml);
  await options.beforeStart?.(configYaml, config);
  await writeFile(
    join(configDir, 'bootstrap.yaml'),
    stringify(
      options.bootstrap ?? { nacos: { enabled: false, snapshotDir: join(configDir, 'snapshot') } },
    ),
  );
  const logs = new LogCapture();
  const env = { ...options.env };
  const center = await ConfigCenter.start({ configDir, env, logDestination: logs });
  let app: NestFastifyApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.register({ center }), ...(options.imports ?? [])],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(center), {
      bufferLogs: true,
    });
    configureApp(app, center, options.grpcPackages ?? GRPC_PACKAGES);
    const addresses = await listen(app, center);
    const started = app;
    return {
      app: started,
      center,
      logs,
      configDir,
      database: database.name,
      baseUrl: addresses.http,
      grpcAddress: addresses.grpc,
      config,
      close: async () => {
        await started.close();
        await center.close();
        await database.drop();
        await rm(configDir, { recursive: true, force: true });
        await rm(filesDirectory(database.name), { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await center.close();
    await database.drop();
    throw error;
  }
}
