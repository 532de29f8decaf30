import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigInvalidError } from './config-errors';

/**
 * Bootstrap configuration, read once at start-up from config/bootstrap.yaml and the
 * environment: where the config center is, who this instance is, where traces go.
 */
const serviceName = z.string().regex(/^[A-Za-z0-9_.:-]+$/);

const bootstrapSchema = z.strictObject({
  app: z
    .strictObject({
      name: z.string().min(1).default('msproject'),
      profile: z.string().min(1).default('embedded'),
    })
    .default({ name: 'msproject', profile: 'embedded' }),
  nacos: z
    .strictObject({
      enabled: z.boolean().default(false),
      /**
       * The config must come from the config center (or its snapshot): an empty answer or an
       * unreachable server with no snapshot stops the start instead of falling back to the file.
       */
      required: z.boolean().default(false),
      scheme: z.enum(['http', 'https']).default('http'),
      ipAddr: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(1).max(65535).default(8848),
      contextPath: z.string().default('/nacos'),
      namespace: z.string().default(''),
      group: z
        .string()
        .regex(/^[A-Za-z0-9_.:-]+$/)
        .default('DEFAULT_GROUP'),
      dataId: z
        .string()
        .regex(/^[A-Za-z0-9_.:-]+$/)
        .default('config.yaml'),
      username: z.string().default(''),
      password: z.string().default(''),
      snapshotDir: z.string().min(1).default('.data/config-snapshot'),
      requestTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
      /** How long the server may hold a listener poll; Nacos clients ask for 30 s. */
      longPollTimeoutMs: z.number().int().min(1_000).max(120_000).default(30_000),
    })
    .prefault({})
    .refine((nacos) => nacos.enabled || !nacos.required, {
      path: ['required'],
      message: 'needs nacos.enabled',
    }),
  telemetry: z
    .strictObject({
      exporter: z.enum(['otlp', 'jaeger', 'console', 'none']).default('none'),
      endpoint: z.string().optional(),
    })
    .prefault({}),
  /** Registration of this instance in Nacos naming (the service registry of the config center). */
  naming: z
    .strictObject({
      /** Register this instance's endpoints; needs the config center's server (nacos.*). */
      enabled: z.boolean().default(false),
      grpcService: serviceName.default('msproject-grpc'),
      httpService: serviceName.default('msproject-http'),
      /** The address other machines reach this one on; empty: the first non-internal IPv4. */
      advertiseHost: z.string().default(''),
      cluster: serviceName.default('DEFAULT'),
      zone: z.string().default(''),
      weight: z.number().min(0).max(10_000).default(1),
    })
    .prefault({}),
});

export type BootstrapConfig = z.infer<typeof bootstrapSchema>;
export type NacosBootstrap = BootstrapConfig['nacos'];

export interface BootstrapOptions {
  /** Directory holding bootstrap.yaml and config.yaml; default `config` under the cwd. */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
}

export function configDirectory(options: BootstrapOptions = {}): string {
  const env = options.env ?? process.env;
  return resolve(options.configDir ?? env.CONFIG_DIR ?? 'config');
}

function envOverrides(env: NodeJS.ProcessEnv): Record<string, Record<string, unknown>> {
  const nacos: Record<string, unknown> = {};
  const app: Record<string, unknown> = {};
  const telemetry: Record<string, unknown> = {};
  if (env.NACOS_SERVER_ADDR) {
    const [host, port] = env.NACOS_SERVER_ADDR.split(':');
    nacos.ipAddr = host;
    if (port) nacos.port = Number(port);
    // Naming a server turns the config center on unless NACOS_ENABLED says otherwise.
    nacos.enabled = true;
  }
  if (env.NACOS_ENABLED !== undefined)
    nacos.enabled = !/^(false|0|no|off)$/i.test(env.NACOS_ENABLED);
  if (env.NACOS_REQUIRED !== undefined)
    nacos.required = !/^(false|0|no|off|)$/i.test(env.NACOS_REQUIRED);
  if (env.NACOS_SCHEME) nacos.scheme = env.NACOS_SCHEME;
  if (env.NACOS_NAMESPACE !== undefined) nacos.namespace = env.NACOS_NAMESPACE;
  if (env.NACOS_GROUP) nacos.group = env.NACOS_GROUP;
  if (env.NACOS_DATA_ID) nacos.dataId = env.NACOS_DATA_ID;
  if (env.NACOS_USERNAME !== undefined) nacos.username = env.NACOS_USERNAME;
  if (env.NACOS_PASSWORD !== undefined) nacos.password = env.NACOS_PASSWORD;
  if (env.NACOS_CONTEXT_PATH !== undefined) nacos.contextPath = env.NACOS_CONTEXT_PATH;
  if (env.NACOS_SNAPSHOT_DIR) nacos.snapshotDir = env.NACOS_SNAPSHOT_DIR;
  if (env.APP_NAME) app.name = env.APP_NAME;
  if (env.APP_PROFILE) app.profile = env.APP_PROFILE;
  if (env.OTEL_TRACES_EXPORTER) telemetry.exporter = env.OTEL_TRACES_EXPORTER;
  const naming: Record<string, unknown> = {};
  if (env.NACOS_NAMING_ENABLED !== undefined)
    naming.enabled = !/^(false|0|no|off|)$/i.test(env.NACOS_NAMING_ENABLED);
  if (env.NACOS_NAMING_GRPC_SERVICE) naming.grpcService = env.NACOS_NAMING_GRPC_SERVICE;
  if (env.NACOS_NAMING_HTTP_SERVICE) naming.httpService = env.NACOS_NAMING_HTTP_SERVICE;
  if (env.NACOS_NAMING_ADVERTISE_HOST) naming.advertiseHost = env.NACOS_NAMING_ADVERTISE_HOST;
  if (env.NACOS_NAMING_CLUSTER) naming.cluster = env.NACOS_NAMING_CLUSTER;
  if (env.APP_ZONE) naming.zone = env.APP_ZONE;
  return { nacos, app, telemetry, naming };
}

export function loadBootstrap(options: BootstrapOptions = {}): BootstrapConfig {
  const env = options.env ?? process.env;
  const file = resolve(configDirectory(options), 'bootstrap.yaml');
  const fromFile = existsSync(file)
    ? ((parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>> | null) ?? {})
    : {};
  const overrides = envOverrides(env);
  const merged = {
    ...fromFile,
    app: { ...fromFile.app, ...overrides.app },
    nacos: { ...fromFile.nacos, ...overrides.nacos },
    telemetry: { ...fromFile.telemetry, ...overrides.telemetry },
    naming: { ...fromFile.naming, ...overrides.naming },
  };
  const result = bootstrapSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigInvalidError(problems, 'bootstrap');
  }
  return result.data;
}
