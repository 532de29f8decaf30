/**
 * Local Nacos stand-in: `npm run nacos:dev [path/to/config.yaml]`.
 *
 * Serves the v1 config API on NACOS_DEV_PORT (default 8848) with real hold semantics (29.5 s
 * for nacos@2.6.3) and seeds `config.yaml` in DEFAULT_GROUP from the given file.
 * Optional: NACOS_DEV_HOST (default 127.0.0.1), NACOS_DEV_NAMESPACE (namespace ID for the seed),
 * NACOS_DEV_USERNAME + NACOS_DEV_PASSWORD (turn on auth; the password is never printed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NacosTestServer, type LoggedRequest } from './nacos-server';

const DATA_ID = 'config.yaml';
const GROUP = 'DEFAULT_GROUP';
const DEFAULT_SEED = 'config/config.yaml';

function parsePort(raw: string | undefined): number {
  const port = Number(raw ?? '8848');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`NACOS_DEV_PORT must be a port number, got ${JSON.stringify(raw)}`);
  }
  return port;
}

function describe(entry: LoggedRequest): string {
  // Only identifiers: content and credentials stay out of the console.
  const { dataId, group, tenant } = entry.params;
  const key = dataId ? ` ${dataId}@${group ?? ''}${tenant ? `@${tenant}` : ''}` : '';
  const status = entry.status === 0 ? 'no answer' : String(entry.status);
  return `${new Date().toISOString()} ${entry.method} ${entry.path}${key} -> ${status}`;
}

async function main(): Promise<void> {
  const port = parsePort(process.env.NACOS_DEV_PORT);
  const host = process.env.NACOS_DEV_HOST ?? '127.0.0.1';
  const namespace = process.env.NACOS_DEV_NAMESPACE ?? '';
  const username = process.env.NACOS_DEV_USERNAME;
  const password = process.env.NACOS_DEV_PASSWORD;
  const seedArg = process.argv[2];
  const seedPath = resolve(seedArg ?? DEFAULT_SEED);

  if (seedArg !== undefined && !existsSync(seedPath)) {
    throw new Error(`seed file not found: ${seedPath}`);
  }

  const server = new NacosTestServer({
    port,
    host,
    auth: username && password ? { username, password } : undefined,
    // Listener polls are logged when they end, so a quiet 29.5 s hold is normal.
    onRequest: (entry) => console.log(describe(entry)),
  });
  await server.start();

  let seeded = false;
  if (existsSync(seedPath)) {
    const content = readFileSync(seedPath, 'utf8');
    if (content.trim() !== '') {
      server.publish(DATA_ID, GROUP, content, namespace, 'yaml');
      seeded = true;
    }
  }

  const base = server.baseUrl;
  const authOn = Boolean(username && password);
  // The password is referenced through its variable, never echoed.
  const fields = [
    `--data-urlencode 'dataId=${DATA_ID}'`,
    `--data-urlencode 'group=${GROUP}'`,
    ...(namespace ? [`--data-urlencode 'tenant=${namespace}'`] : []),
    ...(authOn
      ? [
          `--data-urlencode 'username=${username}'`,
          `--data-urlencode "password=$NACOS_DEV_PASSWORD"`,
        ]
      : []),
  ].join(' ');
  const lines = [
    `Nacos test server listening on ${base} (v1 config API, listener hold 29.5 s)`,
    seeded
      ? `Seeded ${DATA_ID} in ${GROUP}${namespace ? ` (namespace ${namespace})` : ''} from ${seedPath}`
      : `Nothing seeded (${seedPath} is missing or blank)`,
    authOn ? `Auth on for user ${username}; the commands below read NACOS_DEV_PASSWORD.` : '',
    '',
    'Publish a change (subscribers get it at once):',
    `  curl -X POST '${base}/v1/cs/configs' ${fields} \\`,
    `    --data-urlencode 'type=yaml' --data-urlencode 'content@${seedArg ?? DEFAULT_SEED}'`,
    'Read it back:',
    `  curl -G '${base}/v1/cs/configs' ${fields}`,
    'Delete it:',
    `  curl -G -X DELETE '${base}/v1/cs/configs' ${fields}`,
    '',
    'The committed config leaves its secrets empty (generated only in the embedded setup): start',
    'the app with them in the environment, e.g.',
    '  export APP_JWT__ACCESSSECRET=$(openssl rand -base64 32) APP_JWT__REFRESHSECRET=$(openssl rand -base64 32)',
    '  export APP_IDS__SECRET=$(openssl rand -base64 32)',
    `  NACOS_SERVER_ADDR=${server.serverAddr} npm start`,
    '',
    'Ctrl+C stops the server.',
  ];
  console.log(lines.filter((line, i) => line !== '' || lines[i - 1] !== '').join('\n'));

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the Nacos test server`);
    server.stop().then(
      () => {
        process.exitCode = 0;
      },
      (err: unknown) => {
        console.error('failed to stop cleanly:', err);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
