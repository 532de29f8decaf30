import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { ConfigCenter } from '@/config/config-center';
import { weakSecretReason } from '@/config/secret-strength';
import { mergeDeep, randomSecret } from '../support/app';
import { LogCapture } from '../support/log-capture';
import { freePort } from '../support/ports';

const committed = readFile(join(__dirname, '../../../config/config.yaml'), 'utf8').then(
  (text) => parse(text) as Record<string, unknown>,
);

/** The committed config with its SQLite file in `directory`, JSON logs, patched. */
async function configIn(directory: string, patch: Record<string, unknown> = {}) {
  return mergeDeep(await committed, {
    log: { format: 'json' },
    db: { sqlite: { path: join(directory, 'data', 'msproject.sqlite') } },
    ...patch,
  });
}

/** The same setup on MariaDB and a Redis server: nothing here may generate a secret. */
const SERVER_SETUP = {
  db: {
    type: 'mariadb',
    master: { host: '127.0.0.1', port: 3306, username: 'root', password: '', db: 'unused' },
  },
  redis: { mode: 'standalone' },
};

const directories: string[] = [];
const centers: ConfigCenter[] = [];

async function directory(): Promise<string> {
  const created = await mkdtemp(join(tmpdir(), 'msproject-secrets-'));
  directories.push(created);
  return created;
}

async function start(
  configDir: string,
  config: Record<string, unknown>,
  bootstrap: Record<string, unknown> = { nacos: { enabled: false } },
): Promise<ConfigCenter> {
  await writeFile(join(configDir, 'config.yaml'), stringify(config));
  await writeFile(join(configDir, 'bootstrap.yaml'), stringify(bootstrap));
  const center = await ConfigCenter.start({ configDir, env: {}, logDestination: new LogCapture() });
  centers.push(center);
  return center;
}

/** The start-up error; fails when the config was accepted. */
async function refusal(
  config: Record<string, unknown>,
  bootstrap?: Record<string, unknown>,
): Promise<string> {
  try {
    await start(await directory(), config, bootstrap);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('the config was accepted');
}

const WEAK: [string, string, RegExp][] = [
  ['empty', '', /required/],
  ['a placeholder', 'change-me-0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c', /placeholder/],
  ['an example value', 'example-jwt-secret-Zq8vT3kLp0Xw2Rn7Yb5Hs', /placeholder/],
  ['low in entropy', 'deadbeef'.repeat(6), /predictable/],
  ['short', 'Zq8vT3kLp0Xw2Rn7Yb5H', /at least 32/],
];

describe('JWT secrets policy', () => {
  after(async () => {
    for (const center of centers) await center.close();
    for (const created of directories) await rm(created, { recursive: true, force: true });
  });

  for (const [label, value, reason] of WEAK) {
    it(`refuses to start with a JWT secret that is ${label}, naming the key and not the value`, async () => {
      const config = await configIn(await directory(), {
        ...SERVER_SETUP,
        jwt: { accessSecret: randomSecret(), refreshSecret: value },
      });
      const message = await refusal(config);
      assert.match(message, new RegExp(`jwt\\.refreshSecret: [^;]*${reason.source}`));
      assert.doesNotMatch(message, /jwt\.accessSecret/);
      if (value) assert.ok(!message.includes(value));
    });
  }

  it('refuses to start with an empty ids.secret outside the embedded setup, naming it', async () => {
    const config = await configIn(await directory(), {
      ...SERVER_SETUP,
      jwt: { accessSecret: randomSecret(), refreshSecret: randomSecret() },
      ids: { secret: '' },
    });
    assert.match(await refusal(config), /ids\.secret: [^;]*required/);
  });

  it('refuses empty secrets on SQLite when a config center is configured, whatever the profile', async () => {
    const nacosPort = await freePort();
    const message = await refusal(await configIn(await directory()), {
      app: { profile: 'embedded' },
      nacos: {
        enabled: true,
        port: nacosPort,
        requestTimeoutMs: 500,
        snapshotDir: join(await directory(), 'snapshot'),
      },
    });
    assert.match(message, /jwt\.accessSecret: required/);
    assert.match(message, /jwt\.refreshSecret: required/);
  });

  it('refuses empty secrets on SQLite with a Redis server', async () => {
    const config = await configIn(await directory(), { redis: { mode: 'standalone' } });
    assert.match(await refusal(config), /jwt\.accessSecret: required/);
  });

  it('refuses a placeholder even in the embedded setup (only empty means generate)', async () => {
    const config = await configIn(await directory(), {
      jwt: { accessSecret: 'change-me-0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c' },
    });
    assert.match(await refusal(config), /jwt\.accessSecret: looks like a placeholder/);
  });

  it('generates the embedded secrets once, owner-only beside the SQLite file, and reuses them', async () => {
    const home = await directory();
    const config = await configIn(home);
    const first = await start(home, config);
    const { accessSecret, refreshSecret } = first.config.jwt;
    assert.equal(weakSecretReason(accessSecret), undefined);
    assert.equal(weakSecretReason(refreshSecret), undefined);
    assert.notEqual(accessSecret, refreshSecret);

    const file = join(home, 'data', 'secrets.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const idsSecret = first.config.ids.secret;
    assert.equal(weakSecretReason(idsSecret), undefined);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {
      'jwt.accessSecret': accessSecret,
      'jwt.refreshSecret': refreshSecret,
      'ids.secret': idsSecret,
    });

    // A reload keeps them, and so does the next start.
    const reload = await first.apply(
      stringify(mergeDeep(config, { log: { level: 'debug' } })),
      'file',
    );
    assert.equal(reload.outcome, 'applied');
    assert.deepEqual(reload.changedSections, ['log']);
    await first.close();
    const second = await start(home, config);
    assert.equal(second.config.jwt.accessSecret, accessSecret);
    assert.equal(second.config.jwt.refreshSecret, refreshSecret);
    assert.equal(second.config.ids.secret, idsSecret);
  });

  it('reuses a secrets file found in the data directory, made owner-only again', async () => {
    const home = await directory();
    const stored = { 'jwt.accessSecret': randomSecret(), 'jwt.refreshSecret': randomSecret() };
    const file = join(home, 'data', 'secrets.json');
    await mkdir(join(home, 'data'));
    await writeFile(file, JSON.stringify(stored), { mode: 0o644 });
    const center = await start(home, await configIn(home));
    assert.equal(center.config.jwt.accessSecret, stored['jwt.accessSecret']);
    assert.equal(center.config.jwt.refreshSecret, stored['jwt.refreshSecret']);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it('rejects a reload that empties or weakens a secret, keeping the applied config', async () => {
    const home = await directory();
    const config = await configIn(home, {
      ...SERVER_SETUP,
      jwt: { accessSecret: randomSecret(), refreshSecret: randomSecret() },
      ids: { secret: randomSecret() },
    });
    const center = await start(home, config);
    const applied = center.config;
    for (const [, value, reason] of WEAK) {
      const attempt = await center.apply(
        stringify(mergeDeep(config, { jwt: { accessSecret: value } })),
        'file',
      );
      assert.equal(attempt.outcome, 'rejected');
      assert.match(attempt.error ?? '', new RegExp(`jwt\\.accessSecret: [^;]*${reason.source}`));
      if (value) assert.ok(!(attempt.error ?? '').includes(value));
      assert.equal(center.config, applied);
    }
  });
});
