import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigService } from '@nestjs/config';
import { firstValueFrom, filter, take, toArray, type Observable } from 'rxjs';
import { stringify } from 'yaml';
import { ConfigCenter, type ReloadAttempt, type SectionChange } from '@/config/config-center';
import { contentVersion } from '@/config/parse-config';
import { mergeDeep, startTestApp, testConfig, type TestApp } from '../support/app';
import { nacosFixture, type NacosFixture } from '../support/nacos-fixture';

const DATA_ID = 'config.yaml';
const GROUP = 'DEFAULT_GROUP';

interface NacosApp extends TestApp {
  namespace: string;
  snapshotDir: string;
  content: string;
  /** Patches the config last published and publishes it; resolves with the YAML sent. */
  publish(config: Record<string, unknown>): Promise<string>;
  lastPublished(): string;
}

function uniqueNamespace(): string {
  return `ns-${randomBytes(4).toString('hex')}`;
}

/** The next reload attempt the app records. */
function nextAttempt(app: TestApp, predicate: (attempt: ReloadAttempt) => boolean = () => true) {
  return firstValueFrom(app.center.attempts$.pipe(filter(predicate)));
}

async function readyStatus(app: TestApp): Promise<number> {
  return (await fetch(`${app.baseUrl}/health/ready`)).status;
}

/** The bootstrap `nacos` section for the fixture's server. */
function nacosBootstrapOf(nacos: NacosFixture, namespace: string, snapshotDir: string) {
  const [host, port] = nacos.serverAddr.split(':');
  return {
    enabled: true,
    ipAddr: host,
    port: Number(port),
    namespace,
    group: GROUP,
    dataId: DATA_ID,
    username: nacos.credentials?.username ?? '',
    password: nacos.credentials?.password ?? '',
    snapshotDir,
    requestTimeoutMs: 2_000,
  };
}

async function startNacosApp(
  nacos: NacosFixture,
  options: {
    namespace?: string;
    snapshotDir?: string;
    publish?: boolean;
    config?: Record<string, unknown>;
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<NacosApp> {
  const namespace = options.namespace ?? uniqueNamespace();
  const snapshotDir = options.snapshotDir ?? (await mkdtemp(join(tmpdir(), 'msproject-snap-')));
  let published = '';
  const app = await startTestApp({
    config: options.config,
    env: options.env,
    bootstrap: { nacos: nacosBootstrapOf(nacos, namespace, snapshotDir) },
    beforeStart: async (yaml) => {
      if (options.publish === false) return;
      published = yaml;
      await nacos.publish(DATA_ID, GROUP, yaml, namespace);
    },
  });
  let current = app.config;
  let last = published;
  return {
    ...app,
    namespace,
    snapshotDir,
    content: published,
    publish: async (patch) => {
      current = mergeDeep(current, patch);
      last = stringify(current);
      await nacos.publish(DATA_ID, GROUP, last, namespace);
      return last;
    },
    lastPublished: () => last,
  };
}

describe('config center', () => {
  let nacos: NacosFixture;

  before(async () => {
    nacos = await nacosFixture();
  });

  after(async () => {
    await nacos?.close();
  });

  describe('start-up', () => {
    it('boots from Nacos and reports it as the source', async () => {
      const app = await startNacosApp(nacos, { config: { log: { level: 'warn' } } });
      try {
        assert.equal(app.center.source, 'nacos');
        assert.equal(app.center.config.log.level, 'warn');
        const status = (await (await fetch(`${app.baseUrl}/health/config`)).json()) as {
          source: string;
          version: string;
        };
        assert.equal(status.source, 'nacos');
        assert.equal(status.version, contentVersion(app.content));
      } finally {
        await app.close();
      }
    });

    it('falls back to the local file when Nacos has no config for the key', async () => {
      const app = await startNacosApp(nacos, { publish: false });
      try {
        assert.equal(app.center.source, 'file');
        assert.equal(await readyStatus(app), 200);
      } finally {
        await app.close();
      }
    });

    it('refuses to start without a config from Nacos when the config center is required', async () => {
      const configDir = await mkdtemp(join(tmpdir(), 'msproject-required-'));
      const namespace = uniqueNamespace();
      const nacosBootstrap = nacosBootstrapOf(nacos, namespace, join(configDir, 'snapshot'));
      const start = (required: boolean) =>
        writeFile(
          join(configDir, 'bootstrap.yaml'),
          stringify({ nacos: { ...nacosBootstrap, required } }),
        ).then(() =>
          ConfigCenter.start({ configDir, env: {}, logDestination: { write: () => true } }),
        );
      try {
        // A usable local file is there, and is not taken.
        await writeFile(join(configDir, 'config.yaml'), stringify(await testConfig('unused')));
        await assert.rejects(start(true), (error: Error) => {
          assert.match(error.message, /config center required \(nacos\.required\)/);
          assert.match(error.message, new RegExp(`no config ${DATA_ID} in group ${GROUP}`));
          return true;
        });
        // Not required: the same empty answer falls back to the file, as before.
        const fallback = await start(false);
        assert.equal(fallback.source, 'file');
        await fallback.close();
        // Required, with the config published: it boots from Nacos.
        await nacos.publish(DATA_ID, GROUP, stringify(await testConfig('unused')), namespace);
        const center = await start(true);
        assert.equal(center.source, 'nacos');
        await center.close();
      } finally {
        await rm(configDir, { recursive: true, force: true });
      }
    });

    it('writes the applied Nacos config to a snapshot readable by the owner only', async () => {
      const app = await startNacosApp(nacos);
      try {
        const files = await findFiles(app.snapshotDir);
        assert.equal(files.length, 1);
        assert.equal(await readFile(files[0], 'utf8'), app.content);
        assert.equal((await stat(files[0])).mode & 0o777, 0o600);
      } finally {
        await app.close();
      }
    });
  });

  describe('live changes', () => {
    let app: NacosApp;

    before(async () => {
      app = await startNacosApp(nacos);
      await nacos.testServer?.waitForHeldPolls(1);
    });

    after(async () => {
      await app?.close();
    });

    it('applies a published change once, with one event per changed section', async () => {
      const events: SectionChange[] = [];
      const subscription = app.center.changes$.subscribe((change) => events.push(change));
      const applied = nextAttempt(app, (attempt) => attempt.outcome === 'applied');
      const content = await app.publish({
        log: { level: 'debug' },
        cache: { memberTtlSeconds: 7 },
      });
      const attempt = await applied;
      subscription.unsubscribe();
      assert.deepEqual(attempt.changedSections.sort(), ['cache', 'log']);
      assert.deepEqual(events.map((event) => event.section).sort(), ['cache', 'log']);
      const log = events.find((event) => event.section === 'log') as SectionChange<'log'>;
      assert.equal(log.previous.level, 'info');
      assert.equal(log.current.level, 'debug');
      assert.equal(app.center.version, contentVersion(content));
    });

    it('changes the log level live', async () => {
      const applied = nextAttempt(app, (attempt) => attempt.outcome === 'applied');
      await app.publish({ log: { level: 'trace' } });
      await applied;
      assert.equal(app.center.logger.level, 'trace');
      app.center.logger.trace({ marker: 'live-trace' }, 'trace line');
      assert.ok(app.logs.entries().some((entry) => entry.marker === 'live-trace'));
      const back = nextAttempt(app, (attempt) => attempt.outcome === 'applied');
      await app.publish({ log: { level: 'info' } });
      await back;
      assert.equal(app.center.logger.isLevelEnabled('debug'), false);
    });

    it("serves current values and change events through @nestjs/config's ConfigService", async () => {
      const config = app.app.get(ConfigService);
      const changes = firstValueFrom(config.changes$.pipe(take(1), toArray()));
      const applied = nextAttempt(app, (attempt) => attempt.outcome === 'applied');
      await app.publish({ captcha: { ttlSeconds: 321 } });
      await applied;
      assert.equal(config.get('captcha.ttlSeconds'), 321);
      const [event] = await changes;
      assert.equal(event.path, 'captcha');
      assert.equal((event.newValue as { ttlSeconds: number }).ttlSeconds, 321);
      assert.throws(() => config.set('captcha.ttlSeconds', 1));
    });

    it('treats identical content as a no-op', async () => {
      const events = collect(app.center.changes$);
      const attempt = await app.center.apply(app.lastPublished(), 'nacos');
      assert.equal(attempt.outcome, 'unchanged');
      assert.equal(events.stop().length, 0);
    });

    it('reports listen address changes as taking effect at restart', async () => {
      const port = app.center.config.server.port;
      const applied = nextAttempt(app, (attempt) => attempt.outcome === 'applied');
      await app.publish({ server: { port: port + 1 } });
      const attempt = await applied;
      assert.deepEqual(attempt.restartRequired, ['server.port']);
      const response = await fetch(`${app.baseUrl}/health/live`);
      assert.equal(response.status, 200);
      const restored = nextAttempt(app, (next) => next.ok);
      await app.publish({ server: { port } });
      await restored;
    });
  });

  describe('rejected changes keep the applied config serving', () => {
    let app: NacosApp;

    before(async () => {
      app = await startNacosApp(nacos);
    });

    after(async () => {
      await app?.close();
    });

    async function restore(patch: Record<string, unknown>) {
      const applied = nextAttempt(app, (attempt) => attempt.ok);
      await app.publish(patch);
      await applied;
    }

    async function expectRejected(publish: () => Promise<unknown>, error: RegExp) {
      const version = app.center.version;
      const rejected = nextAttempt(app, (attempt) => attempt.outcome === 'rejected');
      await publish();
      const attempt = await rejected;
      assert.match(attempt.error ?? '', error);
      assert.equal(app.center.version, version);
      assert.equal(await readyStatus(app), 200);
      const status = (await (await fetch(`${app.baseUrl}/health/config`)).json()) as {
        lastAttempt: { ok: boolean; error: string };
        version: string;
      };
      assert.equal(status.lastAttempt.ok, false);
      assert.equal(status.version, version);
      return attempt;
    }

    it('rejects invalid YAML', async () => {
      await expectRejected(
        () => nacos.publish(DATA_ID, GROUP, 'server: [unclosed\n', app.namespace),
        /invalid YAML/,
      );
    });

    it('rejects a schema violation, naming the path', async () => {
      await expectRejected(() => app.publish({ server: { port: 70_000 } }), /server\.port/);
      await restore({ server: { port: app.center.config.server.port } });
    });

    it('rejects a document with no sections', async () => {
      await expectRejected(
        () => nacos.publish(DATA_ID, GROUP, '# nothing here\n', app.namespace),
        /expected a mapping/,
      );
    });

    it('rejects empty content', async () => {
      const attempt = await app.center.apply('', 'nacos');
      assert.equal(attempt.outcome, 'rejected');
      assert.equal(await readyStatus(app), 200);
    });

    it('rejects a deleted config', async () => {
      await expectRejected(
        () => nacos.remove(DATA_ID, GROUP, app.namespace),
        /deleted or is empty/,
      );
      await restore({});
    });

    it('rejects a Redis section whose server does not answer, keeping the old client', async () => {
      await expectRejected(
        () => app.publish({ redis: { port: 1, connectTimeoutMs: 500 } }),
        /redis: redis 127\.0\.0\.1:1\/0 unreachable/,
      );
      await restore({ redis: { port: 6379 } });
    });

    it('rejects a database section whose primary refuses the login, keeping the old one', async () => {
      const attempt = await expectRejected(
        () => app.publish({ db: { master: { username: 'nobody', password: 'wrong-pass-xyz' } } }),
        /database: database primary unreachable/,
      );
      assert.ok(!(attempt.error ?? '').includes('wrong-pass-xyz'));
      await restore({ db: { master: { username: 'root', password: '' } } });
    });
  });
});

function collect<T>(source: Observable<T>) {
  const items: T[] = [];
  const subscription = source.subscribe((item) => items.push(item));
  return {
    stop: () => {
      subscription.unsubscribe();
      return items;
    },
  };
}

async function findFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
