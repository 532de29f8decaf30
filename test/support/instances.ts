import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'yaml';
import { freePort } from './ports';

// As `npm run start:prod` starts the app: the start-up bundle (scripts/bundle.mjs).
const START = join(__dirname, '../../src/start.js');

/** Polls `check` until it holds, at most `timeoutMs`; fails naming `what`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await delay(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface Instance {
  name: string;
  /** `http://127.0.0.1:<port>`, as `call()` takes it. */
  baseUrl: string;
  httpPort: number;
  grpcPort: number;
  process: ChildProcess;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** SIGTERM, then the exit code and signal. */
  stop(): Promise<[number | null, NodeJS.Signals | null]>;
}

/**
 * The built app (`start.js`) as its own process, on the config center at `nacosPort`, with its
 * own listen ports (the one document in Nacos serves every instance; ports come from the
 * environment, which wins over every source).
 */
export async function startInstance(
  name: string,
  nacosPort: number,
  ports?: { http: number; grpc: number },
): Promise<Instance> {
  const httpPort = ports?.http ?? (await freePort());
  const grpcPort = ports?.grpc ?? (await freePort());
  const configDir = await mkdtemp(join(tmpdir(), `msproject-${name}-`));
  await writeFile(
    join(configDir, 'bootstrap.yaml'),
    stringify({
      app: { name: 'msproject', profile: 'test' },
      nacos: {
        enabled: true,
        required: true,
        ipAddr: '127.0.0.1',
        port: nacosPort,
        snapshotDir: join(configDir, 'snapshot'),
        requestTimeoutMs: 2_000,
      },
      naming: { enabled: true, advertiseHost: '127.0.0.1' },
    }),
  );
  const child = spawn(process.execPath, [START], {
    env: {
      ...process.env,
      CONFIG_DIR: configDir,
      APP_SERVER__PORT: String(httpPort),
      APP_GRPC__PORT: String(grpcPort),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  void exited.finally(() => rm(configDir, { recursive: true, force: true }));
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  await waitUntil(
    async () => (await fetch(`${baseUrl}/health/ready`)).status === 200,
    `${name} to be ready`,
  );
  return {
    name,
    baseUrl,
    httpPort,
    grpcPort,
    process: child,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** HAProxy in front of the instances, following their readiness with active checks. */
export async function startBalancer(instances: Instance[]) {
  const port = await freePort();
  const directory = await mkdtemp(join(tmpdir(), 'msproject-haproxy-'));
  const socket = join(directory, 'admin.sock');
  const servers = instances
    .map(
      (instance) =>
        `  server ${instance.name} 127.0.0.1:${instance.httpPort} check inter 200ms fall 2 rise 1`,
    )
    .join('\n');
  await writeFile(
    join(directory, 'haproxy.cfg'),
    `global
  stats socket ${socket} level admin
defaults
  mode http
  timeout connect 1s
  timeout client 10s
  timeout server 10s
  # A check slower than inter on a busy host must not count as a failure (both servers could
  # then be marked down at once); a readiness 503 is still seen within two checks.
  timeout check 1s
  retries 2
  option redispatch
  retry-on conn-failure empty-response
frontend app
  bind 127.0.0.1:${port}
  default_backend instances
backend instances
  balance roundrobin
  option httpchk GET /health/ready
${servers}
`,
  );
  const child = spawn('haproxy', ['-q', '-f', join(directory, 'haproxy.cfg'), '-db'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  const stats = () =>
    new Promise<string>((resolve, reject) => {
      const connection = connect(socket, () => connection.end('show stat\n'));
      let text = '';
      connection.on('data', (chunk) => (text += String(chunk)));
      connection.on('end', () => resolve(text));
      connection.on('error', reject);
    });
  /** Each server's state as HAProxy sees it (UP, DOWN, MAINT...). */
  const states = async () =>
    Object.fromEntries(
      (await stats())
        .split('\n')
        .map((line) => line.split(','))
        .filter((fields) => fields[0] === 'instances' && fields[1] !== 'BACKEND')
        .map((fields) => [fields[1], fields[17]]),
    ) as Record<string, string>;
  await waitUntil(
    async () =>
      Object.values(await states()).filter((state) => state === 'UP').length === instances.length,
    'HAProxy to see every instance up',
  );
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    states,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
