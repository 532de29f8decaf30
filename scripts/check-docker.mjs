#!/usr/bin/env node
// Static checks of docker/ that need no Docker daemon: YAML syntax, pinned image tags, and ports,
// hosts and credentials consistent between compose.yaml, .env.example, the Nacos-published config,
// the MySQL init files and the Dockerfile. Exits 1 on any problem.
//   node scripts/check-docker.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
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
const versionTag = /^v?\d+\.\d+\.\d+(?:-[A-Za-z0-9.-]+)?$/;
const expectedImages = {
  mysql: /^8\.4\.\d+$/,
  redis: /^7\.4\.\d+$/,
  'nacos/nacos-server': /^v2\.4\.3$/,
  'jaegertracing/all-in-one': /^1\.6\d\.\d+$/,
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
    tag !== 'latest' && versionTag.test(tag),
    `service ${name}: image ${service.image} is not pinned to a released version`,
  );
  if (expectedImages[repository]) {
    check(
      expectedImages[repository].test(tag),
      `service ${name}: ${repository}:${tag} is not the version line the stack is built for`,
    );
  }
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

const redisCommand = (services.redis?.command ?? []).map(String);
const requirePass = redisCommand[redisCommand.indexOf('--requirepass') + 1];
check(
  renderedConfig.redis?.host === 'redis' && services.redis,
  'redis.host should be the compose service redis',
);
check(renderedConfig.redis?.port === 6379, 'redis.port should be 6379');
check(
  requirePass && renderedConfig.redis?.password === unescape(requirePass),
  'redis.password (as published) differs from the redis --requirepass',
);
check(
  environmentOf('redis').REDISCLI_AUTH === unescape(requirePass),
  'the redis healthcheck password (REDISCLI_AUTH) differs from --requirepass',
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
check(
  mounts(replica).some((mount) => mount.includes('95-replica.sh')),
  'mysql-replica must mount docker/mysql/95-replica.sh',
);
check(
  !mounts(primary).some((mount) => mount.includes('95-replica.sh')),
  'mysql-primary must not mount 95-replica.sh',
);
for (const file of ['01-accounts.sh', 'mysql-schema.sql', '90-reset-gtids.sql']) {
  check(
    mounts(primary).some((mount) => mount.includes(file)) &&
      mounts(replica).some((mount) => mount.includes(file)),
    `${file} must be mounted on both MySQL servers (identical data before replication starts)`,
  );
}
check(
  environmentOf('mysql-replica').MYSQL_PRIMARY_HOST === 'mysql-primary',
  'mysql-replica: MYSQL_PRIMARY_HOST should be mysql-primary',
);
const replicaScript = read('docker/mysql/95-replica.sh');
check(
  /SOURCE_AUTO_POSITION\s*=\s*1/.test(replicaScript),
  '95-replica.sh must use SOURCE_AUTO_POSITION = 1',
);
check(
  /RESET BINARY LOGS AND GTIDS/.test(read('docker/mysql/90-reset-gtids.sql')),
  '90-reset-gtids.sql must reset binary logs and GTIDs',
);
check(
  environmentOf('mysql-primary').MYSQL_REPL_PASSWORD ===
    environmentOf('mysql-replica').MYSQL_REPL_PASSWORD,
  'MYSQL_REPL_PASSWORD differs between primary and replica',
);

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
check(
  /INSERT IGNORE INTO `users`[^;]*'nacos'/.test(schema),
  'mysql-schema.sql lacks the default nacos user',
);
check(
  /INSERT IGNORE INTO `roles`[^;]*'nacos', 'ROLE_ADMIN'/.test(schema),
  'mysql-schema.sql lacks the ROLE_ADMIN of user nacos',
);
check(nacosEnvironment.NACOS_AUTH_ENABLE === 'true', 'nacos: NACOS_AUTH_ENABLE should be true');
check(
  Buffer.from(nacosEnvironment.NACOS_AUTH_TOKEN ?? '', 'base64').length >= 32,
  'nacos: NACOS_AUTH_TOKEN must be Base64 of at least 32 bytes',
);
for (const port of ['8848', '9848', '9849']) {
  check(
    publishedPorts('nacos').some((entry) => entry.startsWith(`${port}:${port}`)),
    `nacos: port ${port} is not published`,
  );
}

// ---------- Jaeger ----------
const jaegerEnvironment = environmentOf('jaeger');
check(jaegerEnvironment.SPAN_STORAGE_TYPE === 'badger', 'jaeger: SPAN_STORAGE_TYPE must be badger');
check(jaegerEnvironment.BADGER_EPHEMERAL === 'false', 'jaeger: BADGER_EPHEMERAL must be false');
check(
  jaegerEnvironment.COLLECTOR_OTLP_ENABLED === 'true',
  'jaeger: COLLECTOR_OTLP_ENABLED must be true',
);
const jaegerMounts = mounts(services.jaeger ?? {}).map((mount) => mount.split(':'));
for (const key of ['BADGER_DIRECTORY_KEY', 'BADGER_DIRECTORY_VALUE']) {
  const directory = jaegerEnvironment[key] ?? '';
  check(
    jaegerMounts.some(
      ([source, target]) => declaredVolumes.has(source) && directory.startsWith(`${target}/`),
    ),
    `jaeger: ${key} (${directory}) is not on a named volume`,
  );
}
for (const port of ['16686', '4317', '4318', '14268']) {
  check(
    publishedPorts('jaeger').some((entry) => entry.startsWith(`${port}:${port}`)),
    `jaeger: port ${port} is not published`,
  );
}

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
for (const port of [httpPort, grpcPort]) {
  check(
    publishedPorts('app').some((entry) => entry.endsWith(`:${port}`)),
    `app: container port ${port} is not published`,
  );
}

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
check(
  finalStage.includes('CMD ["node", "--enable-source-maps", "dist/main.js"]'),
  'Dockerfile: unexpected CMD',
);
const exposed = (/^EXPOSE\s+(.+)$/m.exec(finalStage)?.[1] ?? '').split(/\s+/).map(Number);
check(
  exposed.includes(httpPort) && exposed.includes(grpcPort),
  `Dockerfile: EXPOSE should list ${httpPort} and ${grpcPort}`,
);
const healthUrl = /HEALTHCHECK[\s\S]*?fetch\('([^']+)'/.exec(finalStage)?.[1] ?? '';
check(
  healthUrl === `http://127.0.0.1:${httpPort}/health/live`,
  `Dockerfile: HEALTHCHECK should fetch http://127.0.0.1:${httpPort}/health/live`,
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
