import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { stringify } from 'yaml';
import { AppModule } from '../../src/app.module';
import { configureApp, createHttpAdapter, listen } from '../../src/bootstrap/configure-app';
import { ConfigCenter } from '../../src/config/config-center';
import { GRPC_PACKAGES, type ProtoPackage } from '../../src/grpc/grpc.options';
import { createTestDatabase, MARIADB } from './databases';
import { LogCapture } from './log-capture';
import { freePort } from './ports';

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export const TEST_JWT = {
  accessSecret: 'test-access-secret-0123456789-0123456789',
  refreshSecret: 'test-refresh-secret-0123456789-0123456789',
};

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
    tracing: { sampleRatio: 1 },
    captcha: { ttlSeconds: 900, exposeInResponse: true },
    rateLimit: {
      captchaPerIpPerMinute: 1000,
      loginPerIpPerMinute: 1000,
      loginPerAccountPer5Minutes: 10,
    },
    cache: { memberTtlSeconds: 60, projectListTtlSeconds: 60 },
  };
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
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await center.close();
    await database.drop();
    throw error;
  }
}
