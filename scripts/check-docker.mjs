#!/usr/bin/env node
// Static checks of docker/ that need no Docker daemon: YAML syntax, pinned image tags, ports on
// 127.0.0.1, hosts and credentials consistent between compose.yaml, .env.example, the
// Nacos-published config, the MySQL scripts and the Dockerfile; the preflight run against
// .env.example; the migrate and replica-setup jobs; MySQL connection sizing; the Redis ACL file;
// Jaeger v2's config; the app instances and the HAProxy config in front of them; Prometheus and
// Grafana provisioning. Exits 1 on any problem.
//   node scripts/check-docker.mjs [repository root]
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

// The repository root; another directory laid out the same way may be given (tests do).
const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const dockerDir = join(root, 'docker');
const problems = [];
let passed = 0;

function check(condition, message) {
  if (condition) passed += 1;
  else problems.push(message);
  return Boolean(condition);
}

function read(relativePath) {
  const path = join(root, relativePath);
  if (!check(existsSync(path), `${relativePath} is missing`)) return '';
  return readFileSync(path, 'utf8');
}

function parseYaml(text, name) {
  const document = YAML.parseDocument(text, { merge: true, uniqueKeys: true });
  for (const error of document.errors) problems.push(`${name}: ${error.message}`);
  for (const warning of document.warnings) problems.push(`${name}: ${warning.message}`);
  check(document.errors.length === 0, `${name} does not parse`);
  return document.toJS({ maxAliasCount: 100 }) ?? {};
}

// ---------- .env.example ----------
const envText = read('docker/.env.example');
const envExample = new Map();
for (const [index, line] of envText.split('\n').entries()) {
  if (/^\s*(#|$)/.test(line)) continue;
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
  if (!check(match, `docker/.env.example line ${index + 1} is not NAME=value`)) continue;
  const [, name, value] = match;
  check(!envExample.has(name), `docker/.env.example defines ${name} twice`);
  check(value !== '', `docker/.env.example: ${name} is empty`);
  check(
    !value.includes('$'),
    `docker/.env.example: ${name} contains "$" (compose would interpolate it)`,
  );
  envExample.set(name, value);
}

// ---------- compose.yaml: variables ----------
const composeText = read('docker/compose.yaml');
// Compose interpolates the whole file except comment lines; "$$" is a literal "$".
const composeCode = composeText
  .split('\n')
  .filter((line) => !/^\s*#/.test(line))
  .join('\n');
const variablePattern =
  /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
const composeVariables = new Set();
for (const match of composeCode.matchAll(variablePattern)) {
  if (match[0] === '$$') continue;
  if (match[4]) {
    problems.push(`compose.yaml uses $${match[4]} without braces; write \${${match[4]}}`);
    continue;
  }
  composeVariables.add(match[1]);
}
for (const name of composeVariables) {
  check(
    envExample.has(name),
    `compose.yaml uses \${${name}} but docker/.env.example does not define it`,
  );
}
for (const name of envExample.keys()) {
  check(
    composeVariables.has(name),
    `docker/.env.example defines ${name} but compose.yaml never uses it`,
  );
}

// Resolve the file the way `docker compose --env-file docker/.env.example` would.
const resolvedComposeText = composeText.replace(
  variablePattern,
  (whole, name, operator, argument, bare) => {
    if (whole === '$$') return '$$';
    if (bare) return whole;
    const value = envExample.get(name);
    const unsetOrEmpty = value === undefined || (operator?.startsWith(':') && value === '');
    if (operator?.endsWith('-')) return unsetOrEmpty ? argument : value;
    if (operator?.endsWith('?')) {
      check(!unsetOrEmpty, `\${${name}} is required (${argument})`);
      return value ?? '';
    }
    return value ?? '';
  },
);
const compose = parseYaml(composeText, 'docker/compose.yaml');
const resolved = parseYaml(resolvedComposeText, 'docker/compose.yaml (resolved with .env.example)');
const services = resolved.services ?? {};
const unescape = (value) => (typeof value === 'string' ? value.replaceAll('$$', '$') : value);

function environmentOf(serviceName) {
  const environment = services[serviceName]?.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const at = entry.indexOf('=');
        return [entry.slice(0, at), unescape(entry.slice(at + 1))];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, unescape(String(value ?? ''))]),
  );
}

function publishedPorts(serviceName) {
  return (services[serviceName]?.ports ?? []).map((port) => String(port));
}

function hostPort(url) {
  try {
    const parsed = new URL(url.includes('://') ? url : `tcp://${url}`);
    return { host: parsed.hostname, port: Number(parsed.port) };
  } catch {
    return { host: '', port: NaN };
  }
}

// ---------- compose.yaml: images ----------
// Tags must be pinned to a release; which release is the README's business (upgrades must not
// need a checker change). Retired images are refused by name.
const versionTag = /^v?\d+\.\d+\.\d+(?:-[A-Za-z0-9.-]+)?$/;
// MinIO names its releases by date and time.
const minioRelease = /^RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/;
const retiredImages = {
  'jaegertracing/all-in-one': 'Jaeger v1 is end of life: use jaegertracing/jaeger (v2)',
};
for (const [name, service] of Object.entries(services)) {
  if (!service.image) {
    check(service.build, `service ${name} has neither image nor build`);
    continue;
  }
  const match = /^([^@:]+(?::\d+\/[^@:]+)?):([^@]+)$/.exec(service.image);
  if (!check(match, `service ${name}: image ${service.image} has no tag`)) continue;
  const [, repository, tag] = match;
  check(
    tag !== 'latest' &&
      (versionTag.test(tag) || (repository.startsWith('minio/') && minioRelease.test(tag))),
    `service ${name}: image ${service.image} is not pinned to a released version`,
  );
  check(!retiredImages[repository], `service ${name}: ${retiredImages[repository]}`);
}

// ---------- compose.yaml: service graph, volumes, mounts ----------
const dockerfileText = read('docker/Dockerfile');
const packageJson = JSON.parse(read('package.json') || '{}');
const declaredVolumes = new Set(Object.keys(compose.volumes ?? {}));
const usedVolumes = new Set();
for (const [name, service] of Object.entries(services)) {
  for (const [target, dependency] of Object.entries(service.depends_on ?? {})) {
    const other = services[target];
    if (!check(other, `service ${name} depends on unknown service ${target}`)) continue;
    const condition = dependency?.condition ?? 'service_started';
    if (condition === 'service_healthy') {
      const hasHealthcheck =
        other.healthcheck || (other.build && /^HEALTHCHECK\s/m.test(dockerfileText));
      check(
        hasHealthcheck,
        `service ${name} waits for ${target} to be healthy, but ${target} has no healthcheck`,
      );
    }
    if (condition === 'service_completed_successfully') {
      check(
        other.restart === 'no',
        `service ${name} waits for ${target} to complete, but ${target} is not a one-shot (restart: "no")`,
      );
    }
  }
  for (const volume of service.volumes ?? []) {
    const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
    if (source.startsWith('.') || source.startsWith('/')) {
      check(
        existsSync(resolve(dockerDir, source)),
        `service ${name} mounts ${source}, which does not exist`,
      );
    } else {
      usedVolumes.add(source);
      check(
        declaredVolumes.has(source),
        `service ${name} uses volume ${source}, which is not declared`,
      );
    }
  }
}
for (const volume of declaredVolumes)
  check(usedVolumes.has(volume), `volume ${volume} is declared but unused`);
// Nothing is reachable from other hosts by default (Nacos's first-admin API answers anyone
// until the config job has created the admin).
for (const [name, service] of Object.entries(services)) {
  for (const port of (service.ports ?? []).map(String)) {
    check(
      port.startsWith('127.0.0.1:'),
      `service ${name}: port ${port} is published on every interface; publish it on 127.0.0.1`,
    );
  }
}

/** Where `service` mounts the repository path `source` (relative to docker/), if it does. */
function mountTarget(service, source) {
  for (const volume of (service?.volumes ?? []).map(String)) {
    const [from, to] = volume.split(':');
    if (resolve(dockerDir, from) === resolve(dockerDir, source)) return to;
  }
  return undefined;
}

/** The directory under which `service` mounts named volume `volume`, if it does. */
function volumeTarget(service, volume) {
  return (service?.volumes ?? [])
    .map(String)
    .map((entry) => entry.split(':'))
    .find(([from]) => from === volume)?.[1];
}

// ---------- preflight: no placeholder or default secret starts the stack ----------
const preflightText = read('docker/preflight.sh');
const preflightSecrets = (/^SECRETS='([^']*)'/m.exec(preflightText)?.[1] ?? '')
  .split(/\s+/)
  .filter(Boolean);
const NOT_SECRET = new Set(['NACOS_SEED_OVERWRITE']);
for (const name of envExample.keys()) {
  if (NOT_SECRET.has(name)) continue;
  check(preflightSecrets.includes(name), `docker/preflight.sh does not check ${name}`);
}
function runPreflight(environment) {
  return spawnSync('sh', [join(dockerDir, 'preflight.sh')], {
    env: { PATH: process.env.PATH, ...environment },
    encoding: 'utf8',
  });
}
// As shipped: every secret is a placeholder the stack refuses.
const asShipped = runPreflight(Object.fromEntries(envExample));
check(asShipped.status === 1, 'docker/preflight.sh accepts the values of docker/.env.example');
for (const name of preflightSecrets) {
  check(
    (asShipped.stderr ?? '').includes(`preflight: ${name} `),
    `docker/preflight.sh does not refuse the docker/.env.example value of ${name}`,
  );
}
// Values as the README says to generate them pass; a replication password over MySQL's
// 32-character limit does not.
const generated = Object.fromEntries(
  preflightSecrets.map((name) => [
    name,
    name === 'NACOS_AUTH_IDENTITY_KEY'
      ? randomBytes(16).toString('hex')
      : randomBytes(name === 'NACOS_AUTH_TOKEN' ? 48 : 24).toString('base64'),
  ]),
);
const generatedRun = runPreflight(generated);
check(
  generatedRun.status === 0,
  `docker/preflight.sh refuses generated values: ${(generatedRun.stderr ?? '').trim()}`,
);
const longReplication = runPreflight({
  ...generated,
  MYSQL_REPL_PASSWORD: randomBytes(27).toString('base64'),
});
check(
  longReplication.status === 1 && longReplication.stderr.includes('MYSQL_REPL_PASSWORD'),
  'docker/preflight.sh accepts a MYSQL_REPL_PASSWORD longer than 32 characters',
);
const preflight = services.preflight;
const preflightPath = mountTarget(preflight, './preflight.sh');
check(
  preflight?.restart === 'no' &&
    preflightPath &&
    (preflight.entrypoint ?? []).map(String).includes(preflightPath),
  'compose: a one-shot `preflight` service must run docker/preflight.sh',
);
check(
  preflightSecrets.every((name) => environmentOf('preflight')[name] === envExample.get(name)),
  'compose: the preflight service must receive every secret it checks',
);
const secretValues = new Set(preflightSecrets.map((name) => envExample.get(name)));
for (const [name, service] of Object.entries(services)) {
  if (name === 'preflight') continue;
  if (!Object.values(environmentOf(name)).some((value) => secretValues.has(value))) continue;
  check(
    service.depends_on?.preflight?.condition === 'service_completed_successfully',
    `service ${name} holds a secret but does not wait for preflight to complete`,
  );
}

// ---------- the app's dynamic config for Nacos ----------
const baseConfig = parseYaml(read('config/config.yaml'), 'config/config.yaml');
const nacosConfigText = read('docker/nacos/config.yaml');
const nacosConfig = parseYaml(nacosConfigText, 'docker/nacos/config.yaml');

// Same keys as the embedded profile, so the app's schema accepts both.
function compareKeys(expected, actual, path) {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) return;
  if (
    !check(
      actual && typeof actual === 'object' && !Array.isArray(actual),
      `docker/nacos/config.yaml: ${path || 'root'} should be a mapping`,
    )
  )
    return;
  for (const key of Object.keys(expected)) {
    if (
      check(
        key in actual,
        `docker/nacos/config.yaml lacks ${path}${key} (present in config/config.yaml)`,
      )
    ) {
      compareKeys(expected[key], actual[key], `${path}${key}.`);
    }
  }
  for (const key of Object.keys(actual)) {
    check(
      key in expected,
      `docker/nacos/config.yaml has ${path}${key}, unknown to config/config.yaml`,
    );
  }
}
compareKeys(baseConfig, nacosConfig, '');

const db = nacosConfig.db ?? {};
const slaves = Array.isArray(db.slaves) ? db.slaves : [];
check(db.type === 'mysql', 'docker/nacos/config.yaml: db.type must be mysql');
check(db.separation === true, 'docker/nacos/config.yaml: db.separation must be true');
check(slaves.length === 1, 'docker/nacos/config.yaml: db.slaves must hold exactly one replica');
check(
  db.synchronize === false,
  'docker/nacos/config.yaml: db.synchronize must be false (migrations own the schema)',
);
check(
  nacosConfig.redis?.mode === 'standalone',
  'docker/nacos/config.yaml: redis.mode must be standalone',
);
check(nacosConfig.log?.format === 'json', 'docker/nacos/config.yaml: log.format must be json');
check(
  nacosConfig.captcha?.exposeInResponse === false,
  'docker/nacos/config.yaml: captcha.exposeInResponse must be false',
);
check(
  nacosConfig.server?.host === '0.0.0.0',
  'docker/nacos/config.yaml: server.host must be 0.0.0.0 inside a container',
);
check(
  nacosConfig.grpc?.host === '0.0.0.0',
  'docker/nacos/config.yaml: grpc.host must be 0.0.0.0 inside a container',
);
for (const [index, slave] of slaves.entries()) {
  check(
    JSON.stringify(Object.keys(slave ?? {}).sort()) ===
      JSON.stringify(Object.keys(db.master ?? {}).sort()),
    `docker/nacos/config.yaml: db.slaves[${index}] should have the same keys as db.master`,
  );
}

// Placeholders: each one a whole quoted scalar, supplied by the `config` job's environment, and
// rendered the way docker/nacos/publish-config.sh does.
const seedEnvironment = environmentOf('config');
const codeLines = nacosConfigText.split('\n').filter((line) => !/^\s*#/.test(line));
const placeholderPattern = /(['"]?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}(['"]?)/g;
for (const line of codeLines) {
  for (const match of line.matchAll(/\$\{([^}]*)\}/g)) {
    check(
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(match[1]),
      `docker/nacos/config.yaml: bad placeholder ${match[0]}`,
    );
    check(
      seedEnvironment[match[1]],
      `docker/nacos/config.yaml: ${match[0]} has no value in the config service's environment`,
    );
  }
  for (const [whole, open, , close] of line.matchAll(placeholderPattern)) {
    check(
      open !== '' && open === close,
      `docker/nacos/config.yaml: ${whole} must be a whole quoted value`,
    );
  }
}
const escapeFor = (quote, value) =>
  quote === "'"
    ? value.replaceAll("'", "''")
    : value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
const renderedConfig = parseYaml(
  codeLines
    .join('\n')
    .replace(
      placeholderPattern,
      (_, open, name, close) => `${open}${escapeFor(open, seedEnvironment[name] ?? '')}${close}`,
    ),
  'docker/nacos/config.yaml (rendered with .env.example)',
);

// Database endpoints and accounts match the MySQL services.
function checkDatabaseEndpoint(endpoint, serviceName, label) {
  if (
    !check(endpoint && services[serviceName], `${label}: no endpoint or no service ${serviceName}`)
  )
    return;
  const environment = environmentOf(serviceName);
  check(
    endpoint.host === serviceName,
    `${label}.host is ${endpoint.host}, expected service ${serviceName}`,
  );
  check(endpoint.port === 3306, `${label}.port should be 3306 (MySQL inside the network)`);
  check(
    endpoint.username === environment.MYSQL_USER,
    `${label}.username differs from ${serviceName}'s MYSQL_USER`,
  );
  check(
    endpoint.db === environment.MYSQL_DATABASE,
    `${label}.db differs from ${serviceName}'s MYSQL_DATABASE`,
  );
  check(
    endpoint.password === environment.MYSQL_PASSWORD,
    `${label}.password (as published) differs from ${serviceName}'s MYSQL_PASSWORD`,
  );
}
checkDatabaseEndpoint(renderedConfig.db?.master, 'mysql-primary', 'db.master');
checkDatabaseEndpoint(renderedConfig.db?.slaves?.[0], 'mysql-replica', 'db.slaves[0]');

// Redis: the password reaches the server through an ACL file, never its command line.
const redisEnvironment = environmentOf('redis');
const redisInvocation = [...(services.redis?.entrypoint ?? []), ...(services.redis?.command ?? [])]
  .map(String)
  .join(' ');
check(
  !/--requirepass|--masterauth/.test(redisInvocation) &&
    !redisInvocation.includes(redisEnvironment.REDIS_PASSWORD ?? '\0'),
  'redis: the password must not be on the command line (use the ACL file)',
);
const redisConf = read('docker/redis/redis.conf');
const redisStart = read('docker/redis/start.sh');
const aclFile = /^aclfile\s+(\S+)/m.exec(redisConf)?.[1];
check(aclFile, 'docker/redis/redis.conf must name an aclfile');
check(!/^\s*requirepass\b/m.test(redisConf), 'docker/redis/redis.conf must not hold requirepass');
check(
  aclFile &&
    redisStart.includes(aclFile) &&
    /sha256sum/.test(redisStart) &&
    /user default on #/.test(redisStart),
  'docker/redis/start.sh must write the default user with the SHA-256 of REDIS_PASSWORD to the aclfile',
);
check(
  mountTarget(services.redis, './redis/redis.conf') &&
    redisStart.includes(mountTarget(services.redis, './redis/redis.conf')) &&
    redisInvocation.includes(mountTarget(services.redis, './redis/start.sh') ?? '\0'),
  'redis: the service must run docker/redis/start.sh with docker/redis/redis.conf',
);
check(
  renderedConfig.redis?.host === 'redis' && services.redis,
  'redis.host should be the compose service redis',
);
check(renderedConfig.redis?.port === 6379, 'redis.port should be 6379');
check(
  redisEnvironment.REDIS_PASSWORD &&
    renderedConfig.redis?.password === redisEnvironment.REDIS_PASSWORD,
  'redis.password (as published) differs from the REDIS_PASSWORD of the redis service',
);
check(
  redisEnvironment.REDISCLI_AUTH === redisEnvironment.REDIS_PASSWORD,
  'the redis healthcheck password (REDISCLI_AUTH) differs from REDIS_PASSWORD',
);
for (const key of ['accessSecret', 'refreshSecret']) {
  check(
    String(renderedConfig.jwt?.[key] ?? '').length >= 32,
    `jwt.${key} (as published) is shorter than 32 characters`,
  );
}
check(
  renderedConfig.jwt?.accessSecret !== renderedConfig.jwt?.refreshSecret,
  'jwt.accessSecret and jwt.refreshSecret must differ',
);
check(
  String(renderedConfig.ids?.secret ?? '').length >= 32,
  'ids.secret (as published) is shorter than 32 characters',
);

// ---------- MinIO: the attachments' object storage ----------
const minio = services.minio ?? {};
const minioEnvironment = environmentOf('minio');
const minioSetup = services['minio-setup'] ?? {};
const minioSetupEnvironment = environmentOf('minio-setup');
check(
  String(minio.image ?? '').startsWith('minio/minio:'),
  'minio: a service running minio/minio is expected',
);
check(minio.healthcheck?.test, 'minio: a healthcheck is expected (the setup job waits for it)');
for (const name of ['MINIO_ROOT_PASSWORD', 'MINIO_APP_SECRET_KEY']) {
  check(
    envExample.has(name) && preflightSecrets.includes(name),
    `${name} must come from docker/.env and be checked by the preflight`,
  );
}
check(
  minioEnvironment.MINIO_ROOT_PASSWORD === envExample.get('MINIO_ROOT_PASSWORD'),
  'minio: MINIO_ROOT_PASSWORD must come from docker/.env, not a value in compose.yaml',
);
check(
  minioEnvironment.MINIO_ROOT_USER && minioEnvironment.MINIO_ROOT_USER !== 'minioadmin',
  "minio: MINIO_ROOT_USER must be set, and not MinIO's default",
);
const minioSetupPath = mountTarget(minioSetup, './minio/setup.sh');
check(
  minioSetup.restart === 'no' &&
    minioSetupPath &&
    (minioSetup.entrypoint ?? []).map(String).includes(minioSetupPath) &&
    minioSetup.depends_on?.minio?.condition === 'service_healthy',
  'minio-setup: a one-shot job running docker/minio/setup.sh once minio is healthy is expected',
);
check(
  minioSetupEnvironment.MINIO_ROOT_USER === minioEnvironment.MINIO_ROOT_USER &&
    minioSetupEnvironment.MINIO_ROOT_PASSWORD === minioEnvironment.MINIO_ROOT_PASSWORD,
  'minio-setup and minio disagree on the root credentials',
);
check(
  services.app?.depends_on?.['minio-setup']?.condition === 'service_completed_successfully',
  'app must wait for the minio-setup job to complete (the bucket and its user exist)',
);
const storage = renderedConfig.storage ?? {};
const s3 = storage.s3 ?? {};
const minioEndpoint = hostPort(String(s3.endpoint ?? ''));
check(
  storage.default === 's3' && s3.enabled === true,
  'docker/nacos/config.yaml: storage.default must be s3, with storage.s3.enabled',
);
check(
  minioEndpoint.host === 'minio' && minioEndpoint.port === 9000 && s3.forcePathStyle === true,
  'docker/nacos/config.yaml: storage.s3 must point at http://minio:9000 with forcePathStyle',
);
check(
  s3.bucket === minioSetupEnvironment.MINIO_BUCKET,
  "docker/nacos/config.yaml: storage.s3.bucket differs from minio-setup's MINIO_BUCKET",
);
check(
  s3.accessKeyId === minioSetupEnvironment.MINIO_APP_ACCESS_KEY &&
    s3.accessKeyId !== minioEnvironment.MINIO_ROOT_USER,
  "docker/nacos/config.yaml: storage.s3.accessKeyId must be minio-setup's app user, not the root user",
);
check(
  minioSetupEnvironment.MINIO_APP_SECRET_KEY === envExample.get('MINIO_APP_SECRET_KEY') &&
    s3.secretAccessKey === minioSetupEnvironment.MINIO_APP_SECRET_KEY,
  'storage.s3.secretAccessKey (as published) differs from the MINIO_APP_SECRET_KEY of minio-setup',
);

// ---------- MySQL replication ----------
const primary = services['mysql-primary'] ?? {};
const replica = services['mysql-replica'] ?? {};
const flags = (service) => (service.command ?? []).map(String);
const flagValue = (service, flag) =>
  flags(service)
    .find((item) => item.startsWith(`${flag}=`))
    ?.split('=')[1];
for (const [label, service] of [
  ['mysql-primary', primary],
  ['mysql-replica', replica],
]) {
  check(flagValue(service, '--gtid-mode') === 'ON', `${label}: --gtid-mode=ON is missing`);
  check(
    flagValue(service, '--enforce-gtid-consistency') === 'ON',
    `${label}: --enforce-gtid-consistency=ON is missing`,
  );
  check(flagValue(service, '--log-bin'), `${label}: --log-bin is missing`);
}
check(flagValue(primary, '--server-id') === '1', 'mysql-primary: --server-id=1 expected');
check(flagValue(replica, '--server-id') === '2', 'mysql-replica: --server-id=2 expected');
check(flagValue(replica, '--read-only') === 'ON', 'mysql-replica: --read-only=ON expected');
const mounts = (service) => (service.volumes ?? []).map(String);
for (const file of ['01-accounts.sh', 'mysql-schema.sql', '90-reset-gtids.sql']) {
  check(
    mounts(primary).some((mount) => mount.includes(file)) &&
      mounts(replica).some((mount) => mount.includes(file)),
    `${file} must be mounted on both MySQL servers (identical data before replication starts)`,
  );
}
check(
  /RESET BINARY LOGS AND GTIDS/.test(read('docker/mysql/90-reset-gtids.sql')),
  '90-reset-gtids.sql must reset binary logs and GTIDs',
);
// Wiring is a job that runs on every `up`, not a first-start init file that fails for good.
check(
  !existsSync(join(dockerDir, 'mysql/95-replica.sh')) &&
    !Object.values(services).some((service) =>
      mounts(service).some(
        (mount) => mount.includes('docker-entrypoint-initdb.d/9') && mount.includes('replica'),
      ),
    ),
  'replication must not be wired by a first-start init file (docker/mysql/95-replica.sh)',
);
const replicaSetup = services['replica-setup'] ?? {};
const scriptsDirectory = '/opt/msproject/mysql';
for (const [label, service] of [
  ['mysql-primary', primary],
  ['mysql-replica', replica],
  ['replica-setup', replicaSetup],
]) {
  check(
    mountTarget(service, './mysql') === scriptsDirectory,
    `${label}: docker/mysql must be mounted at ${scriptsDirectory} (the scripts source client.sh there)`,
  );
}
check(
  replicaSetup.restart === 'no' && replicaSetup.image === primary.image,
  'replica-setup: a one-shot job on the MySQL image is expected',
);
check(
  (replicaSetup.entrypoint ?? []).map(String).includes(`${scriptsDirectory}/replica-setup.sh`),
  'replica-setup must run docker/mysql/replica-setup.sh',
);
const setupEnvironment = environmentOf('replica-setup');
check(
  setupEnvironment.MYSQL_PRIMARY_HOST === 'mysql-primary' &&
    setupEnvironment.MYSQL_REPLICA_HOST === 'mysql-replica',
  'replica-setup: MYSQL_PRIMARY_HOST and MYSQL_REPLICA_HOST should name the MySQL services',
);
for (const key of ['MYSQL_ROOT_PASSWORD', 'MYSQL_REPL_PASSWORD']) {
  check(
    setupEnvironment[key] === environmentOf('mysql-replica')[key] &&
      environmentOf('mysql-primary')[key] === environmentOf('mysql-replica')[key],
    `${key} differs between replica-setup and the MySQL servers`,
  );
}
check(
  replicaSetup.depends_on?.['mysql-primary']?.condition === 'service_healthy',
  'replica-setup must wait for a healthy primary',
);
check(
  services.app?.depends_on?.['replica-setup']?.condition === 'service_completed_successfully',
  'app must wait for replica-setup to complete',
);
const setupScript = read('docker/mysql/replica-setup.sh');
check(
  /SOURCE_AUTO_POSITION\s*=\s*1/.test(setupScript),
  'replica-setup.sh must use SOURCE_AUTO_POSITION = 1',
);
check(
  /replication_connection_status/.test(setupScript) && /START REPLICA/.test(setupScript),
  'replica-setup.sh must check the replication state and restart it when it is wrong',
);
check(
  /#MYSQL_REPL_PASSWORD\}\s*<=\s*32/.test(setupScript),
  'replica-setup.sh must refuse a MYSQL_REPL_PASSWORD longer than 32 characters',
);
check(
  /SET PERSIST super_read_only\s*=\s*ON/i.test(setupScript),
  'replica-setup.sh must make the replica super_read_only (persisted)',
);
check(
  (replica.healthcheck?.test ?? []).map(String).includes(`${scriptsDirectory}/replica-health.sh`) &&
    /super_read_only/.test(read('docker/mysql/replica-health.sh')),
  'mysql-replica: the healthcheck must require running replication and super_read_only',
);

// No password in MYSQL_PWD (deprecated) or on a command line: clients read an option file.
for (const file of [
  'docker/compose.yaml',
  'docker/mysql/client.sh',
  'docker/mysql/01-accounts.sh',
  'docker/mysql/replica-setup.sh',
  'docker/mysql/replica-health.sh',
]) {
  const code = read(file)
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
  check(!/MYSQL_PWD/.test(code), `${file} uses the deprecated MYSQL_PWD`);
  check(
    !/mysql(admin)?\b[^\n]*\s-p\S/.test(code),
    `${file} passes a MySQL password on the command line`,
  );
}
check(
  /--defaults-extra-file=<\(/.test(read('docker/mysql/client.sh')),
  'docker/mysql/client.sh must hand the password to mysql in an option file on a pipe',
);

// Connections: every server holds what the app (twice, during a swap), Nacos and the jobs use.
const budget = compose['x-connection-budget'] ?? {};
const appInstances = budget.appInstances;
const maxOpenConns = nacosConfig.db?.maxOpenConns;
check(
  Number.isInteger(appInstances) &&
    Number.isInteger(budget.nacosPool) &&
    Number.isInteger(budget.headroom),
  'compose.yaml: x-connection-budget needs integers appInstances, nacosPool and headroom',
);
// The app's long-running services (the migrate job builds the same image but runs once), and
// how many containers each runs.
const sameBuild = (a, b) =>
  Boolean(a?.build) &&
  a.build.context === b?.build?.context &&
  a.build.dockerfile === b?.build?.dockerfile;
const appServiceNames = Object.keys(services).filter(
  (name) => sameBuild(services[name], services.app) && services[name].restart !== 'no',
);
const instancesOf = (service) => Number(service?.scale ?? service?.deploy?.replicas ?? 1);
const runningInstances = appServiceNames.reduce(
  (sum, name) => sum + instancesOf(services[name]),
  0,
);
check(
  appInstances === runningInstances,
  `compose.yaml: x-connection-budget.appInstances (${appInstances}) differs from the ` +
    `${runningInstances} app instances compose runs ` +
    `(${appServiceNames.map((name) => `${name} × ${instancesOf(services[name])}`).join(', ')})`,
);
for (const [label, service, nacosShare] of [
  ['mysql-primary', primary, budget.nacosPool],
  ['mysql-replica', replica, 0],
]) {
  const maxConnections = Number(flagValue(service, '--max-connections'));
  const needed = appInstances * maxOpenConns * 2 + nacosShare + budget.headroom;
  check(
    Number.isInteger(maxConnections) && maxConnections >= needed,
    `${label}: --max-connections (${flagValue(service, '--max-connections') ?? 'MySQL default 151'}) ` +
      `is below appInstances ${appInstances} × maxOpenConns ${maxOpenConns} × 2` +
      `${nacosShare ? ` + Nacos ${nacosShare}` : ''} + headroom ${budget.headroom} = ${needed}`,
  );
}

// ---------- Nacos ----------
const nacosEnvironment = environmentOf('nacos');
const schema = read('docker/nacos/mysql-schema.sql');
const accounts = read('docker/mysql/01-accounts.sh');
check(
  nacosEnvironment.SPRING_DATASOURCE_PLATFORM === 'mysql',
  'nacos: SPRING_DATASOURCE_PLATFORM must be mysql',
);
check(
  nacosEnvironment.MYSQL_SERVICE_HOST === 'mysql-primary',
  'nacos: MYSQL_SERVICE_HOST should be mysql-primary',
);
check(nacosEnvironment.MYSQL_SERVICE_PORT === '3306', 'nacos: MYSQL_SERVICE_PORT should be 3306');
const nacosDatabase = nacosEnvironment.MYSQL_SERVICE_DB_NAME;
check(
  new RegExp(`CREATE DATABASE IF NOT EXISTS \`${nacosDatabase}\``).test(schema),
  `mysql-schema.sql does not create database ${nacosDatabase}`,
);
check(
  new RegExp(`CREATE USER IF NOT EXISTS '${nacosEnvironment.MYSQL_SERVICE_USER}'@`).test(accounts),
  `01-accounts.sh does not create the MySQL account ${nacosEnvironment.MYSQL_SERVICE_USER} that Nacos uses`,
);
check(
  new RegExp(
    `ON \\\\\`${nacosDatabase}\\\\\`\\.\\* TO '${nacosEnvironment.MYSQL_SERVICE_USER}'`,
  ).test(accounts),
  `01-accounts.sh does not grant ${nacosDatabase}.* to ${nacosEnvironment.MYSQL_SERVICE_USER}`,
);
check(
  nacosEnvironment.MYSQL_SERVICE_PASSWORD === environmentOf('mysql-primary').NACOS_DB_PASSWORD,
  'nacos: MYSQL_SERVICE_PASSWORD differs from the NACOS_DB_PASSWORD given to MySQL',
);
for (const table of [
  'config_info',
  'config_info_aggr',
  'config_info_beta',
  'config_info_tag',
  'config_tags_relation',
  'group_capacity',
  'his_config_info',
  'tenant_capacity',
  'tenant_info',
  'users',
  'roles',
  'permissions',
]) {
  check(
    new RegExp(`CREATE TABLE IF NOT EXISTS \`${table}\``).test(schema),
    `mysql-schema.sql lacks table ${table}`,
  );
}
// Nacos 2.4 ships no default account; the config job creates the admin through Nacos's
// first-admin API with NACOS_PASSWORD.
check(
  !/INSERT[^;]*INTO\s+`?(users|roles)`?/i.test(schema),
  'mysql-schema.sql must not insert Nacos users or roles (no well-known nacos/nacos admin)',
);
const publishScript = read('docker/nacos/publish-config.sh');
check(
  /-X POST "\$NACOS_URL\/v1\/auth\/users\/admin"/.test(publishScript) &&
    /--data-urlencode "password=\$NACOS_PASSWORD"/.test(publishScript),
  'publish-config.sh must create the Nacos admin through POST /v1/auth/users/admin with NACOS_PASSWORD',
);
check(
  !/login_retrying nacos nacos|newPassword=/.test(publishScript),
  'publish-config.sh must not log in with or replace the default nacos/nacos password',
);
check(nacosEnvironment.NACOS_AUTH_ENABLE === 'true', 'nacos: NACOS_AUTH_ENABLE should be true');
for (const key of ['NACOS_AUTH_TOKEN', 'NACOS_AUTH_IDENTITY_KEY', 'NACOS_AUTH_IDENTITY_VALUE']) {
  check(
    preflightSecrets.includes(key) && nacosEnvironment[key] === envExample.get(key),
    `nacos: ${key} must come from docker/.env and be checked by the preflight`,
  );
}
check(nacosEnvironment.MODE === 'standalone', 'nacos: MODE should be standalone');
for (const port of ['8848', '9848']) {
  check(
    publishedPorts('nacos').includes(`127.0.0.1:${port}:${port}`),
    `nacos: port ${port} is not published on 127.0.0.1`,
  );
}
// 9849 carries server-to-server traffic of a cluster; a standalone server has no peer.
check(
  !publishedPorts('nacos').some((entry) => entry.split(':').includes('9849')),
  'nacos: port 9849 must not be published in standalone mode',
);

// ---------- Jaeger v2 ----------
const jaeger = services.jaeger ?? {};
check(
  /^jaegertracing\/jaeger:/.test(jaeger.image ?? ''),
  'jaeger: the v2 image jaegertracing/jaeger is expected',
);
const jaegerConfigPath = mountTarget(jaeger, './jaeger/config.yaml');
check(
  jaegerConfigPath &&
    (jaeger.command ?? []).map(String).join(' ') === `--config ${jaegerConfigPath}`,
  'jaeger must run with --config and the mounted docker/jaeger/config.yaml',
);
const jaegerConfig = parseYaml(read('docker/jaeger/config.yaml'), 'docker/jaeger/config.yaml');
const jaegerExtensions = jaegerConfig.service?.extensions ?? [];
const tracesPipeline = jaegerConfig.service?.pipelines?.traces ?? {};
const traceStore = jaegerConfig.exporters?.jaeger_storage_exporter?.trace_storage;
const badger = jaegerConfig.extensions?.jaeger_storage?.backends?.[traceStore]?.badger;
check(
  (tracesPipeline.exporters ?? []).includes('jaeger_storage_exporter') && badger,
  'jaeger: the traces pipeline must export to a Badger backend of jaeger_storage',
);
check(badger?.ephemeral === false, 'jaeger: badger.ephemeral must be false');
const badgerMount = volumeTarget(jaeger, 'jaeger-badger');
for (const key of ['keys', 'values']) {
  const directory = String(badger?.directories?.[key] ?? '');
  check(
    badgerMount && declaredVolumes.has('jaeger-badger') && directory.startsWith(`${badgerMount}/`),
    `jaeger: badger.directories.${key} (${directory}) is not on the jaeger-badger volume`,
  );
}
check(
  jaegerExtensions.includes('jaeger_query') &&
    jaegerConfig.extensions?.jaeger_query?.storage?.traces === traceStore,
  'jaeger: the UI (jaeger_query) must read the store the exporter writes',
);
const endpointOf = (endpoint) => {
  const text = String(endpoint ?? '');
  const at = text.lastIndexOf(':');
  return { host: text.slice(0, at), port: Number(text.slice(at + 1)) };
};
const jaegerReceivers = jaegerConfig.receivers ?? {};
const receiving = (receiver, endpoint, port) =>
  (tracesPipeline.receivers ?? []).includes(receiver) &&
  endpointOf(endpoint).port === port &&
  endpointOf(endpoint).host === '0.0.0.0';
const jaegerListens = {
  4317: receiving('otlp', jaegerReceivers.otlp?.protocols?.grpc?.endpoint, 4317),
  4318: receiving('otlp', jaegerReceivers.otlp?.protocols?.http?.endpoint, 4318),
  14268: receiving('jaeger', jaegerReceivers.jaeger?.protocols?.thrift_http?.endpoint, 14268),
  // jaeger_query serves the UI on :16686 unless told otherwise.
  16686: jaegerExtensions.includes('jaeger_query') && !jaegerConfig.extensions?.jaeger_query?.http,
};
for (const [port, listening] of Object.entries(jaegerListens)) {
  check(listening, `jaeger: docker/jaeger/config.yaml does not listen on 0.0.0.0:${port}`);
  check(
    publishedPorts('jaeger').includes(`127.0.0.1:${port}:${port}`),
    `jaeger: port ${port} is not published on 127.0.0.1`,
  );
}
// The image has no shell: the healthcheck is exec form, against the health extension.
const jaegerHealth = (jaeger.healthcheck?.test ?? []).map(String);
check(
  jaegerHealth[0] === 'CMD' &&
    jaegerHealth.includes('http://127.0.0.1:13133/status') &&
    jaegerExtensions.includes('healthcheckv2') &&
    endpointOf(jaegerConfig.extensions?.healthcheckv2?.http?.endpoint).port === 13133,
  'jaeger: the healthcheck must be exec form (no shell in the image) against healthcheckv2 on 13133',
);

// ---------- the app ----------
const app = services.app ?? {};
const appEnvironment = environmentOf('app');
check(
  app.build?.context === '..' && app.build?.dockerfile === 'docker/Dockerfile',
  'app: build should use context .. and docker/Dockerfile',
);
check(appEnvironment.NACOS_ENABLED === 'true', 'app: NACOS_ENABLED must be true');
const nacosAddress = hostPort(appEnvironment.NACOS_SERVER_ADDR ?? '');
check(
  services[nacosAddress.host]?.image?.startsWith('nacos/'),
  'app: NACOS_SERVER_ADDR does not name the nacos service',
);
check(nacosAddress.port === 8848, 'app: NACOS_SERVER_ADDR port should be 8848');
for (const key of [
  'NACOS_USERNAME',
  'NACOS_PASSWORD',
  'NACOS_NAMESPACE',
  'NACOS_GROUP',
  'NACOS_DATA_ID',
]) {
  check(appEnvironment[key] === seedEnvironment[key], `app and config job disagree on ${key}`);
}
check(
  ['otlp', 'jaeger', 'console', 'none'].includes(appEnvironment.OTEL_TRACES_EXPORTER),
  'app: OTEL_TRACES_EXPORTER must be otlp, jaeger, console or none',
);
for (const [key, port] of [
  ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 4318],
  ['OTEL_EXPORTER_JAEGER_ENDPOINT', 14268],
]) {
  if (!(key in appEnvironment)) continue;
  const endpoint = hostPort(appEnvironment[key]);
  check(
    endpoint.host === 'jaeger' && endpoint.port === port,
    `app: ${key} should point at jaeger:${port}`,
  );
}
const httpPort = nacosConfig.server?.port;
const grpcPort = nacosConfig.grpc?.port;
check(
  httpPort === 8080 && grpcPort === 8881,
  'docker/nacos/config.yaml: server.port 8080 and grpc.port 8881 expected',
);

/** A compose duration (`20s`, `1m30s`, `500ms`) in milliseconds; NaN when unreadable. */
function composeDuration(value) {
  const text = String(value ?? '');
  const units = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return NaN;
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * units[unit], 0);
}

// Every instance: no host port (the load balancer is the way in), registered in Nacos naming at
// its own address, and given the time to drain when stopped.
const { shutdownGraceMs, shutdownTimeoutMs } = nacosConfig.server ?? {};
check(
  appServiceNames.length > 0 && runningInstances >= 2,
  `compose: at least two app instances are expected (${runningInstances} run)`,
);
for (const name of appServiceNames) {
  const service = services[name];
  const environment = environmentOf(name);
  check(
    (service.ports ?? []).length === 0,
    `${name}: an app instance must not publish host ports (replicas would collide); callers go through lb`,
  );
  check(
    environment.NACOS_NAMING_ENABLED === 'true',
    `${name}: NACOS_NAMING_ENABLED must be true (every instance registers in Nacos naming)`,
  );
  check(
    instancesOf(service) === 1 || !environment.NACOS_NAMING_ADVERTISE_HOST,
    `${name}: NACOS_NAMING_ADVERTISE_HOST would register all ${instancesOf(service)} replicas at one ` +
      'address; leave it unset so that each registers its own',
  );
  check(
    instancesOf(service) === 1 || !service.container_name,
    `${name}: container_name cannot be shared by ${instancesOf(service)} replicas`,
  );
  const stopGrace = composeDuration(service.stop_grace_period ?? '10s');
  check(
    stopGrace >= shutdownGraceMs + shutdownTimeoutMs,
    `${name}: stop_grace_period (${service.stop_grace_period ?? 'default 10s'}) is shorter than ` +
      `server.shutdownGraceMs ${shutdownGraceMs} + server.shutdownTimeoutMs ${shutdownTimeoutMs}: ` +
      'Docker would kill the instance in the middle of its drain',
  );
}

// The readiness route, from the health controller: the load balancer and the image follow it.
const healthController = read('src/health/health.controller.ts');
const healthPrefix = /@Controller\('([^']*)'\)/.exec(healthController)?.[1];
const readyRoute = /@Get\('([^']*)'\)(?:\s*@\w+\([^)]*\))*\s*ready\(/.exec(healthController)?.[1];
const readinessPath = `/${healthPrefix}/${readyRoute}`;
check(
  healthPrefix && readyRoute,
  'src/health/health.controller.ts: no @Controller prefix or @Get route on ready()',
);

// The schema: a one-shot migrate job on the app's image, with the app's bootstrap, before the app.
const migrate = services.migrate ?? {};
check(
  migrate.build?.context === app.build?.context &&
    migrate.build?.dockerfile === app.build?.dockerfile,
  'migrate: must build the app image (same context and Dockerfile)',
);
check(
  migrate.restart === 'no' &&
    (migrate.command ?? []).map(String).includes('dist/migrate.js') &&
    (migrate.command ?? []).map(String).at(-1) === 'run',
  'migrate: a one-shot job running `node dist/migrate.js run` is expected',
);
const migrateEnvironment = environmentOf('migrate');
// NACOS_NAMING_* registers a serving instance; the job serves nothing.
for (const key of Object.keys(appEnvironment).filter(
  (name) => name.startsWith('NACOS_') && !name.startsWith('NACOS_NAMING_'),
)) {
  check(migrateEnvironment[key] === appEnvironment[key], `migrate and app disagree on ${key}`);
}
check(
  migrate.depends_on?.config?.condition === 'service_completed_successfully' &&
    migrate.depends_on?.['mysql-primary']?.condition === 'service_healthy',
  'migrate must wait for the config job and a healthy primary',
);
check(
  app.depends_on?.migrate?.condition === 'service_completed_successfully',
  'app must wait for the migrate job to complete',
);

// The config center is required in the image: no silent fallback to its embedded config file.
const finalStageText = dockerfileText.slice(dockerfileText.lastIndexOf('\nFROM '));
const imageEnvironment = {};
for (const [, body] of finalStageText.replaceAll('\\\n', ' ').matchAll(/^ENV\s+(.+)$/gm)) {
  for (const [, key, value] of body.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) {
    imageEnvironment[key] = value;
  }
}
check(
  imageEnvironment.NACOS_REQUIRED === 'true' &&
    !('NACOS_REQUIRED' in appEnvironment) &&
    !('NACOS_REQUIRED' in migrateEnvironment),
  'Dockerfile: the runtime image must set NACOS_REQUIRED=true (and compose must not override it)',
);
check(
  /NACOS_REQUIRED/.test(read('src/config/bootstrap.ts')),
  'src/config/bootstrap.ts does not read NACOS_REQUIRED',
);
const snapshotDirectory = imageEnvironment.NACOS_SNAPSHOT_DIR ?? '';
check(
  snapshotDirectory.startsWith('/') &&
    volumeTarget(app, 'config-snapshot') === snapshotDirectory &&
    declaredVolumes.has('config-snapshot'),
  'app: the config snapshot (NACOS_SNAPSHOT_DIR of the image) must live on the config-snapshot volume',
);
// Instances may share one snapshot directory only while each write is a temp file renamed over
// the snapshot: a reader (or a second writer) then never meets a half-written file.
const snapshotSharers = Object.values(services)
  .filter((service) => volumeTarget(service, 'config-snapshot'))
  .reduce((sum, service) => sum + instancesOf(service), 0);
if (snapshotSharers > 1) {
  check(
    /writeFile\(\s*(\w+)[\s\S]*?rename\(\s*\1\s*,/.test(
      read('src/config/sources/snapshot.store.ts'),
    ),
    `${snapshotSharers} app instances share the config-snapshot volume, but ` +
      'src/config/sources/snapshot.store.ts does not write a temp file and rename it: give each its own volume',
  );
}

// ---------- the load balancer ----------
// HAProxy (official image) in front of the app instances: the only published 8080 and 8881.
const lb = services.lb ?? {};
check(
  /^haproxy:/.test(lb.image ?? ''),
  'compose: a load balancer service `lb` on the official haproxy image is expected',
);
const haproxyConfigPath = '/usr/local/etc/haproxy/haproxy.cfg';
check(
  (lb.volumes ?? []).map(String).includes(`./haproxy/haproxy.cfg:${haproxyConfigPath}:ro`),
  `lb: docker/haproxy/haproxy.cfg must be mounted read-only at ${haproxyConfigPath}`,
);
const lbUser = String(lb.user ?? '');
check(
  lbUser !== '' && !/^(root|0)(:|$)/.test(lbUser),
  'lb: must run as a non-root user (user: haproxy, the image’s own)',
);
check(lb.healthcheck?.test, 'lb: a healthcheck is expected');
check(lb.restart === 'unless-stopped', 'lb: restart: unless-stopped expected');
for (const name of appServiceNames) {
  check(lb.depends_on?.[name], `lb should depend on ${name}`);
}

/** The sections of an HAProxy config, each with its lines split into words. */
function parseHaproxy(text) {
  const sectionKeywords = new Set([
    'global',
    'defaults',
    'frontend',
    'backend',
    'listen',
    'resolvers',
    'peers',
    'userlist',
    'program',
    'http-errors',
    'ring',
    'cache',
    'mailers',
  ]);
  const sections = [];
  let current;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const words = line.split(/\s+/);
    if (sectionKeywords.has(words[0])) {
      current = { kind: words[0], name: words[1] ?? '', lines: [] };
      sections.push(current);
    } else if (current) current.lines.push(words);
  }
  return sections;
}

/** An HAProxy time (`1s`, `500`, `2m`) in milliseconds; NaN when unreadable. */
function haproxyTime(value) {
  const match = /^(\d+)(us|ms|s|m|h|d)?$/.exec(String(value ?? ''));
  if (!match) return NaN;
  const units = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(match[1]) * units[match[2] ?? 'ms'];
}

const haproxyText = read('docker/haproxy/haproxy.cfg');
const haproxySections = parseHaproxy(haproxyText);
const proxy = (kind, name) =>
  haproxySections.find((section) => section.kind === kind && section.name === name);
/** The defaults section a proxy inherits from: the last one before it. */
const defaultsOf = (section) =>
  haproxySections
    .slice(0, haproxySections.indexOf(section))
    .filter((candidate) => candidate.kind === 'defaults')
    .at(-1) ?? { lines: [] };
/** Lines starting with `words`, the proxy's own after its defaults'. */
const directives = (section, ...words) =>
  [...defaultsOf(section).lines, ...section.lines].filter((line) =>
    words.every((word, index) => line[index] === word),
  );
const lastDirective = (section, ...words) => directives(section, ...words).at(-1);
/** A server parameter: the word after the last `name` (default-server first, then the server). */
const serverParameter = (server, name) => {
  const at = server.parameters.lastIndexOf(name);
  return at < 0 ? undefined : server.parameters[at + 1];
};

const resolverSections = haproxySections.filter((section) => section.kind === 'resolvers');
check(
  resolverSections.some((section) =>
    section.lines.some((line) => line[0] === 'nameserver' && line[2] === '127.0.0.11:53'),
  ),
  "haproxy.cfg: a resolvers section with Docker's DNS (nameserver … 127.0.0.11:53) is expected",
);

/** The frontend that binds `port`, and the backend it sends to by default. */
function frontendFor(port) {
  const frontend = haproxySections.find(
    (candidate) =>
      (candidate.kind === 'frontend' || candidate.kind === 'listen') &&
      candidate.lines.some(
        (line) => line[0] === 'bind' && /(^|[:@*])(\d+)$/.exec(line[1])?.[2] === String(port),
      ),
  );
  const backendName = frontend?.lines.findLast((line) => line[0] === 'default_backend')?.[1];
  return { frontend, backend: backendName ? proxy('backend', backendName) : undefined };
}

for (const [label, port, targetPort] of [
  ['HTTP', httpPort, httpPort],
  ['gRPC', grpcPort, grpcPort],
]) {
  check(
    publishedPorts('lb').includes(`127.0.0.1:${port}:${port}`),
    `lb: port ${port} (${label}) is not published on 127.0.0.1`,
  );
  const { frontend, backend } = frontendFor(port);
  if (
    !check(
      frontend && backend,
      `haproxy.cfg: no frontend binds :${port} (${label}) with a default_backend that exists`,
    )
  )
    continue;
  const where = `haproxy.cfg: backend ${backend.name}`;
  const mode = lastDirective(backend, 'mode')?.[1] ?? 'tcp';
  const frontendMode = lastDirective(frontend, 'mode')?.[1] ?? 'tcp';
  check(
    mode === frontendMode,
    `${where}: mode ${mode} differs from frontend ${frontend.name}'s ${frontendMode}`,
  );

  // The servers: the app's own port, found through Docker's DNS, health-checked.
  const defaultServer = directives(backend, 'default-server').flatMap((line) => line.slice(1));
  const servers = backend.lines
    .filter((line) => line[0] === 'server' || line[0] === 'server-template')
    .map((line) => {
      const template = line[0] === 'server-template';
      const address = line[template ? 3 : 2] ?? '';
      const at = address.lastIndexOf(':');
      return {
        template,
        slots: template
          ? Number(/(\d+)$/.exec(line[2])?.[1]) - Number(/^(\d+)-/.exec(line[2])?.[1] ?? 1) + 1
          : 1,
        host: address.slice(0, at),
        port: Number(address.slice(at + 1)),
        parameters: [...defaultServer, ...line.slice(template ? 4 : 3)],
      };
    });
  if (!check(servers.length > 0, `${where}: no server or server-template`)) continue;
  for (const server of servers) {
    check(
      appServiceNames.includes(server.host) && server.port === targetPort,
      `${where}: servers must target an app service on port ${targetPort} (${label}, ${label === 'gRPC' ? 'grpc.port' : 'server.port'} of docker/nacos/config.yaml), not ${server.host}:${server.port}`,
    );
    check(
      server.parameters.includes('check'),
      `${where}: servers need active health checks (check)`,
    );
    const resolverName = serverParameter(server, 'resolvers');
    check(
      resolverSections.some((candidate) => candidate.name === resolverName) &&
        (serverParameter(server, 'init-addr') ?? '').split(',').includes('none'),
      `${where}: servers must resolve through a resolvers section with init-addr none (an instance not up yet must not stop HAProxy)`,
    );
    // A stopping instance is marked down early in its grace, while it still serves what it
    // accepted: cutting those sessions fails requests that would have succeeded.
    check(
      serverParameter(server, 'on-marked-down') !== 'shutdown-sessions',
      `${where}: on-marked-down shutdown-sessions would cut the requests a stopping instance still serves in its grace`,
    );
    // The readiness route lives on the HTTP port.
    const checkPort = Number(serverParameter(server, 'port') ?? server.port);
    check(
      checkPort === httpPort,
      `${where}: health checks must go to the HTTP port ${httpPort} (check port ${httpPort}), not ${checkPort}`,
    );
    check(
      ['down', 'fully-down'].includes(serverParameter(server, 'init-state')),
      `${where}: servers need init-state down or fully-down (a replica found through DNS would get requests before its first check)`,
    );
    // HAProxy copies a template's settings to the servers it makes without check-proto.
    check(
      !(server.template && serverParameter(server, 'check-proto')),
      `${where}: check-proto on a server-template reaches only its first server; write one server line per slot`,
    );
    if (mode === 'http' && label === 'gRPC') {
      check(
        serverParameter(server, 'proto') === 'h2' &&
          serverParameter(server, 'check-proto') === 'h1',
        `${where}: gRPC servers need proto h2 (the app speaks h2c) and check-proto h1 (the readiness route is HTTP/1.1)`,
      );
    }
    // Marked down within the app's shutdown grace, while it still serves.
    const inter = haproxyTime(serverParameter(server, 'inter') ?? '2000');
    const fastinter = haproxyTime(serverParameter(server, 'fastinter') ?? String(inter));
    const fall = Number(serverParameter(server, 'fall') ?? 3);
    const timeoutCheck = haproxyTime(
      lastDirective(backend, 'timeout', 'check')?.[2] ?? String(inter),
    );
    const detection = inter + (fall - 1) * fastinter + timeoutCheck;
    check(
      detection < shutdownGraceMs,
      `${where}: a stopping instance is marked down after up to ${detection} ms ` +
        `(inter + (fall − 1) × fastinter + timeout check), not within server.shutdownGraceMs ${shutdownGraceMs}`,
    );
  }
  const slots = servers.reduce((sum, server) => sum + server.slots, 0);
  check(
    slots >= runningInstances,
    `${where}: ${slots} server slots for ${runningInstances} app instances`,
  );

  // Active checks on the readiness route, not liveness: a not-ready instance gets no request.
  const httpchk = lastDirective(backend, 'option', 'httpchk');
  let method = httpchk?.length > 3 ? httpchk[2] : 'OPTIONS';
  let uri = httpchk?.length > 3 ? httpchk[3] : (httpchk?.[2] ?? '/');
  const send = lastDirective(backend, 'http-check', 'send') ?? [];
  if (send.includes('meth')) method = send[send.indexOf('meth') + 1];
  if (send.includes('uri')) uri = send[send.indexOf('uri') + 1];
  check(
    httpchk && method === 'GET' && uri === readinessPath,
    `${where}: option httpchk must GET ${readinessPath} (the app's readiness route), not ${httpchk ? `${method} ${uri}` : 'nothing'}`,
  );

  // A request that could not reach an instance goes to another one.
  const redispatch =
    directives(backend, 'option', 'redispatch').length > 0 &&
    directives(backend, 'no', 'option', 'redispatch').length === 0;
  check(
    redispatch && Number(lastDirective(backend, 'retries')?.[1] ?? 0) >= 1,
    `${where}: option redispatch and retries (at least 1) are expected`,
  );
}
// gRPC is HTTP/2 in clear text: passed through (mode tcp) or terminated as h2 (mode http).
const grpcFrontend = frontendFor(grpcPort).frontend;
if (grpcFrontend) {
  const bind = grpcFrontend.lines.find((line) => line[0] === 'bind') ?? [];
  check(
    (lastDirective(grpcFrontend, 'mode')?.[1] ?? 'tcp') === 'tcp' ||
      bind[bind.indexOf('proto') + 1] === 'h2',
    `haproxy.cfg: frontend ${grpcFrontend.name} must take HTTP/2 cleartext (mode tcp, or bind … proto h2)`,
  );
}
// The container's healthcheck asks a monitor-uri of haproxy.cfg.
const lbHealthUrl = (lb.healthcheck?.test ?? [])
  .map(String)
  .find((word) => /^https?:\/\//.test(word));
const lbHealth = lbHealthUrl ? new URL(lbHealthUrl) : undefined;
check(
  lbHealth &&
    haproxySections.some(
      (candidate) =>
        candidate.kind !== 'backend' &&
        candidate.lines.some(
          (line) => line[0] === 'bind' && line[1].endsWith(`:${lbHealth.port}`),
        ) &&
        candidate.lines.some((line) => line[0] === 'monitor-uri' && line[1] === lbHealth.pathname),
    ),
  'lb: the healthcheck must fetch a monitor-uri that haproxy.cfg serves',
);
check(
  !haproxySections.some(
    (candidate) =>
      candidate.kind === 'global' &&
      candidate.lines.some(
        (line) => ['user', 'uid'].includes(line[0]) && ['root', '0'].includes(line[1]),
      ),
  ),
  'haproxy.cfg: global must not switch to root',
);

// ---------- Dockerfile ----------
const stages = new Set();
const fromLines = [...dockerfileText.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)];
for (const [, image, stage] of fromLines) {
  if (!stages.has(image)) {
    const [name, tag] = image.split(':');
    check(
      tag && tag !== 'latest' && versionTag.test(tag),
      `Dockerfile: FROM ${image} is not pinned to a released version`,
    );
    check(
      name === 'node' && /^24\.\d+\.\d+-bookworm-slim$/.test(tag ?? ''),
      `Dockerfile: FROM ${image}, expected node:24.x.y-bookworm-slim`,
    );
    const nodeVersion = (tag ?? '').split('-')[0].split('.').map(Number);
    const minimum = (
      /(\d+)\.(\d+)\.(\d+)/.exec(JSON.parse(read('package.json')).engines?.node ?? '') ?? []
    )
      .slice(1)
      .map(Number);
    const atLeast =
      minimum.length === 0 ||
      nodeVersion[0] > minimum[0] ||
      (nodeVersion[0] === minimum[0] &&
        (nodeVersion[1] > minimum[1] ||
          (nodeVersion[1] === minimum[1] && nodeVersion[2] >= minimum[2])));
    check(atLeast, `Dockerfile: ${image} is older than package.json engines.node`);
  }
  if (stage) stages.add(stage);
}
const finalStage = dockerfileText.slice(dockerfileText.lastIndexOf('\nFROM '));
check(/^USER node$/m.test(finalStage), 'Dockerfile: the runtime stage must run as USER node');
check(
  /^ENV NODE_ENV=production$/m.test(finalStage),
  'Dockerfile: the runtime stage must set NODE_ENV=production',
);
check(
  /npm ci --omit=dev/.test(dockerfileText),
  'Dockerfile: production dependencies must come from npm ci --omit=dev',
);
check(/npm run build/.test(dockerfileText), 'Dockerfile: npm run build is missing');
check(
  !/node-gyp|g\+\+|npm_config_nodedir/.test(dockerfileText) &&
    packageJson.allowScripts?.['better-sqlite3'] === false,
  'Dockerfile: native addons come prebuilt (better-sqlite3 install script denied), no toolchain',
);
check(
  /^COPY config \.\/config$/m.test(finalStage) && /^COPY proto \.\/proto$/m.test(finalStage),
  'Dockerfile: config/ and proto/ must be copied',
);
check(finalStage.includes('CMD ["node", "dist/start.js"]'), 'Dockerfile: unexpected CMD');
const exposed = (/^EXPOSE\s+(.+)$/m.exec(finalStage)?.[1] ?? '').split(/\s+/).map(Number);
check(
  exposed.includes(httpPort) && exposed.includes(grpcPort),
  `Dockerfile: EXPOSE should list ${httpPort} and ${grpcPort}`,
);
const healthUrl = /HEALTHCHECK[\s\S]*?fetch\('([^']+)'/.exec(finalStage)?.[1] ?? '';
check(
  healthUrl === `http://127.0.0.1:${httpPort}${readinessPath}`,
  `Dockerfile: HEALTHCHECK should fetch http://127.0.0.1:${httpPort}${readinessPath} (no pending migration, dependencies up)`,
);
check(
  existsSync(join(dockerDir, 'Dockerfile.dockerignore')),
  'docker/Dockerfile.dockerignore is missing (node_modules would enter the context)',
);
// npm ci refuses to run without a lockfile, so the image cannot build without one.
check(
  existsSync(join(root, 'package-lock.json')),
  'package-lock.json is missing: the Dockerfile runs npm ci',
);
check(existsSync(join(dockerDir, 'README.md')), 'docker/README.md is missing');

// ---------- Prometheus and Grafana ----------
const prometheus = services.prometheus ?? {};
const prometheusConfigPath = mountTarget(prometheus, './prometheus/prometheus.yml');
check(
  prometheusConfigPath === '/etc/prometheus/prometheus.yml' &&
    volumeTarget(prometheus, 'prometheus-data') === '/prometheus',
  'prometheus: docker/prometheus/prometheus.yml at /etc/prometheus/prometheus.yml and data on a volume expected',
);
const prometheusConfig = parseYaml(
  read('docker/prometheus/prometheus.yml'),
  'docker/prometheus/prometheus.yml',
);
// Every app instance, directly (not through the load balancer, which would show one instance
// per scrape): DNS service discovery of each compose service name.
for (const name of appServiceNames) {
  check(
    (prometheusConfig.scrape_configs ?? []).some(
      (job) =>
        (job.metrics_path ?? '/metrics') === '/metrics' &&
        (job.dns_sd_configs ?? []).some(
          (sd) => (sd.names ?? []).includes(name) && sd.type === 'A' && sd.port === httpPort,
        ),
    ),
    `prometheus: a job must scrape /metrics of every \`${name}\` instance (dns_sd_configs, type A, port ${httpPort})`,
  );
}
const grafana = services.grafana ?? {};
const grafanaEnvironment = environmentOf('grafana');
check(
  grafanaEnvironment.GF_SECURITY_ADMIN_PASSWORD === envExample.get('GRAFANA_ADMIN_PASSWORD') &&
    preflightSecrets.includes('GRAFANA_ADMIN_PASSWORD'),
  'grafana: the admin password must come from GRAFANA_ADMIN_PASSWORD (checked by the preflight)',
);
check(
  grafanaEnvironment.GF_AUTH_ANONYMOUS_ENABLED === 'false',
  'grafana: anonymous access must be off',
);
const datasources =
  parseYaml(
    read('docker/grafana/provisioning/datasources/prometheus.yaml'),
    'docker/grafana/provisioning/datasources/prometheus.yaml',
  ).datasources ?? [];
const prometheusSource = datasources.find((source) => source.type === 'prometheus');
check(
  prometheusSource?.url === 'http://prometheus:9090' &&
    mountTarget(grafana, './grafana/provisioning/datasources') ===
      '/etc/grafana/provisioning/datasources',
  'grafana: a provisioned Prometheus data source at http://prometheus:9090 expected',
);
const dashboardProviders =
  parseYaml(
    read('docker/grafana/provisioning/dashboards/msproject.yaml'),
    'docker/grafana/provisioning/dashboards/msproject.yaml',
  ).providers ?? [];
check(
  mountTarget(grafana, './grafana/provisioning/dashboards') ===
    '/etc/grafana/provisioning/dashboards' &&
    dashboardProviders.some(
      (provider) => provider.options?.path === mountTarget(grafana, './grafana/dashboards'),
    ),
  'grafana: the dashboard provider must load the mounted docker/grafana/dashboards',
);
let dashboard = {};
try {
  dashboard = JSON.parse(read('docker/grafana/dashboards/msproject.json') || '{}');
} catch (error) {
  problems.push(`docker/grafana/dashboards/msproject.json: ${error.message}`);
}
const dashboardPanels = dashboard.panels ?? [];
// The panels people look at, by name; their queries are checked against a running app's
// /metrics by test/integration/dashboard-metrics.test.ts.
for (const title of [
  'HTTP requests by route',
  'HTTP latency p50 by route',
  'HTTP latency p99 by route',
  'HTTP error rate by route',
  'gRPC calls by method',
  'gRPC latency p50 by method',
  'gRPC latency p99 by method',
  'gRPC error rate by method',
  'Config reloads by result',
  'Generation swaps (database, Redis)',
  'Generation drain time (p50, p99)',
  'Database node health (primary, replicas)',
  'Dropped spans',
]) {
  const panel = dashboardPanels.find((candidate) => candidate.title === title);
  check(panel, `the Grafana dashboard lacks the panel "${title}"`);
  check(
    panel?.targets?.length > 0 &&
      panel.targets.every(
        (target) => target.expr && target.datasource?.uid === prometheusSource?.uid,
      ),
    `the Grafana panel "${title}" needs queries on the provisioned Prometheus data source`,
  );
}

// ---------- the real compose parser, where one is installed ----------
// Compose v2 only: v1 (docker-compose) is end-of-life and rejects the top-level `name` key.
let validatedBy = '';
let composeAvailable = false;
try {
  execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
  composeAvailable = true;
} catch {
  // no docker CLI or no compose plugin
}
if (composeAvailable) {
  try {
    execFileSync(
      'docker',
      [
        'compose',
        '--env-file',
        join(dockerDir, '.env.example'),
        '-f',
        join(dockerDir, 'compose.yaml'),
        'config',
        '-q',
      ],
      { stdio: 'pipe' },
    );
    passed += 1;
  } catch (error) {
    problems.push(`docker compose config: ${String(error.stderr ?? error.message).trim()}`);
  }
  validatedBy = 'docker compose';
}

for (const problem of problems) console.error(`check-docker: ${problem}`);
console.log(
  `check-docker: ${passed} passed, ${problems.length} failed` +
    (validatedBy
      ? ` (compose file also validated by ${validatedBy})`
      : ' (no docker compose installed: compose schema not validated)'),
);
process.exit(problems.length === 0 ? 0 : 1);
