import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataClient } from 'nacos';
import { NacosTestServer, type NacosTestServerOptions } from '../support/nacos-server';

const GROUP = 'DEFAULT_GROUP';
const W = '\u0002';
const L = '\u0001';
const WAIT_MS = 5_000;

// ------------------------------------------------------------------ helpers

function md5(content: string): string {
  return createHash('md5').update(content, 'utf8').digest('hex');
}

/** Listening-Configs records: [dataId, group, md5] or [dataId, group, md5, tenant]. */
function listening(...records: string[][]): string {
  return records.map((fields) => `${fields.join(W)}${L}`).join('');
}

async function startServer(options: NacosTestServerOptions = {}): Promise<NacosTestServer> {
  const server = new NacosTestServer(options);
  await server.start();
  return server;
}

function configsUrl(server: NacosTestServer, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${server.baseUrl}/v1/cs/configs${search ? `?${search}` : ''}`;
}

function getConfig(server: NacosTestServer, query: Record<string, string>): Promise<Response> {
  return fetch(configsUrl(server, query));
}

function postForm(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf8', ...headers },
    body: new URLSearchParams(fields).toString(),
    signal,
  });
}

function publishHttp(
  server: NacosTestServer,
  fields: Record<string, string>,
  query: Record<string, string> = {},
): Promise<Response> {
  return postForm(configsUrl(server, query), fields);
}

/** A long poll as nacos@2.6.3 sends it (Long-Pulling-Timeout: 30000). */
function longPoll(
  server: NacosTestServer,
  probe: string,
  options: { tenant?: string; signal?: AbortSignal; timeoutHeader?: string | null } = {},
): Promise<Response> {
  const fields: Record<string, string> = { 'Listening-Configs': probe };
  if (options.tenant) fields.tenant = options.tenant;
  const headers: Record<string, string> =
    options.timeoutHeader === null
      ? {}
      : { 'Long-Pulling-Timeout': options.timeoutHeader ?? '30000' };
  return postForm(`${server.baseUrl}/v1/cs/configs/listener`, fields, headers, options.signal);
}

/** Values pushed by callbacks, awaited one at a time. */
class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: Array<(value: T) => void> = [];

  readonly push = (value: T): void => {
    const waiter = this.waiters.shift();
    if (waiter) waiter(value);
    else this.items.push(value);
  };

  next(timeoutMs = WAIT_MS): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(deliver), 1);
        reject(new Error(`no value within ${timeoutMs} ms`));
      }, timeoutMs);
      const deliver = (value: T): void => {
        clearTimeout(timer);
        resolve(value);
      };
      this.waiters.push(deliver);
    });
  }

  get pending(): number {
    return this.items.length;
  }
}

interface TestClient {
  client: DataClient;
  errors: Inbox<Error>;
  close(): void;
}

/**
 * A DataClient with its own snapshot dir and an 'error' listener that outlives close().
 * Teardown (§2.9): wait until the client's next poll is held, close the client, then stop the
 * server, which answers that poll. Stopping while a poll is still in flight leaves the closed
 * client retrying ECONNREFUSED for the listener's 40 s budget.
 */
function makeClient(
  server: NacosTestServer,
  options: {
    namespace?: string;
    username?: string;
    password?: string;
    requestTimeout?: number;
  } = {},
  cacheDir = mkdtempSync(join(tmpdir(), 'nacos-test-cache-')),
): TestClient {
  const client = new DataClient({
    serverAddr: server.serverAddr,
    namespace: options.namespace ?? '',
    username: options.username,
    password: options.password,
    requestTimeout: options.requestTimeout ?? 3_000,
    cacheDir,
  });
  const errors = new Inbox<Error>();
  (client as unknown as EventEmitter).on('error', errors.push);
  return {
    client,
    errors,
    close() {
      // close() strips the workers' 'error' listeners; a late error would then crash the run.
      const workers = [
        ...(client as unknown as { clients: Map<string, EventEmitter> }).clients.values(),
      ];
      client.close();
      for (const worker of workers) worker.on('error', () => undefined);
    },
  };
}

function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

// ------------------------------------------------------- wire: config API

describe('NacosTestServer config API over plain HTTP', () => {
  let server: NacosTestServer;
  before(async () => {
    server = await startServer({ holdMs: WAIT_MS });
  });
  after(() => server.stop());

  it('answers GET of a missing config with 404 and body "config data not exist\\n"', async () => {
    const res = await getConfig(server, { dataId: 'missing.yaml', group: GROUP, tenant: '' });
    assert.equal(res.status, 404);
    assert.equal(await res.text(), 'config data not exist\n');
  });

  it('publishes with POST (200 "true") and serves the raw content with Nacos GET headers', async () => {
    const content = 'a: 1\nname: 中文 & = % +\n';
    const post = await publishHttp(server, {
      dataId: 'raw.yaml',
      group: GROUP,
      content,
      tenant: '',
      type: 'yaml',
      appName: '',
    });
    assert.equal(post.status, 200);
    assert.equal(await post.text(), 'true');

    const res = await getConfig(server, { dataId: 'raw.yaml', group: GROUP, tenant: '' });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), content);
    assert.equal(res.headers.get('content-md5'), md5(content));
    assert.equal(res.headers.get('config-type'), 'yaml');
    assert.equal(res.headers.get('content-type'), 'text/plain;charset=UTF-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache,no-store');
    assert.equal(res.headers.get('pragma'), 'no-cache');
    assert.equal(res.headers.get('expires'), 'Thu, 01 Jan 1970 00:00:00 GMT');
    assert.ok(res.headers.get('last-modified'));
    assert.deepEqual(server.get('raw.yaml', GROUP), {
      content,
      md5: md5(content),
      type: 'yaml',
      lastModified: server.get('raw.yaml', GROUP)?.lastModified,
    });
  });

  it('serves a json config as application/json;charset=UTF-8 and stores an unknown type as text', async () => {
    await publishHttp(server, { dataId: 'c.json', group: GROUP, content: '{"a":1}', type: 'json' });
    const json = await getConfig(server, { dataId: 'c.json', group: GROUP });
    assert.equal(json.headers.get('content-type'), 'application/json;charset=UTF-8');
    assert.equal(json.headers.get('config-type'), 'json');

    await publishHttp(server, { dataId: 'c.weird', group: GROUP, content: 'x', type: 'nonsense' });
    assert.equal(server.get('c.weird', GROUP)?.type, 'text');
  });

  it('rejects blank content with 400 "caused: content is blank : ;"', async () => {
    const res = await publishHttp(server, { dataId: 'blank.yaml', group: GROUP, content: '' });
    assert.equal(res.status, 400);
    assert.equal(await res.text(), 'caused: content is blank : ;');
    assert.equal(server.get('blank.yaml', GROUP), undefined);
  });

  it('rejects an invalid dataId or group with 400 naming the value', async () => {
    const badId = await publishHttp(server, { dataId: 'bad/id', group: GROUP, content: 'x' });
    assert.equal(badId.status, 400);
    assert.equal(await badId.text(), 'caused: invalid dataId : bad/id;');

    const badGroup = await getConfig(server, { dataId: 'ok.yaml', group: 'bad group' });
    assert.equal(badGroup.status, 400);
    assert.equal(await badGroup.text(), 'caused: invalid group : bad group;');
  });

  it('reads parameters from both the query string and the form body', async () => {
    const res = await publishHttp(
      server,
      { content: 'from: body' },
      { dataId: 'mixed.yaml', group: GROUP },
    );
    assert.equal(await res.text(), 'true');
    assert.equal(server.get('mixed.yaml', GROUP)?.content, 'from: body');
  });

  it('answers DELETE with "true" whether or not the config exists, and removes it', async () => {
    server.publish('gone.yaml', GROUP, 'x: 1');
    const first = await fetch(configsUrl(server, { dataId: 'gone.yaml', group: GROUP }), {
      method: 'DELETE',
    });
    assert.equal(first.status, 200);
    assert.equal(await first.text(), 'true');
    assert.equal(server.get('gone.yaml', GROUP), undefined);

    const again = await fetch(configsUrl(server, { dataId: 'gone.yaml', group: GROUP }), {
      method: 'DELETE',
    });
    assert.equal(again.status, 200);
    assert.equal(await again.text(), 'true');
  });

  it('answers 404 for routes outside the v1 config, naming and login API', async () => {
    for (const path of ['/v1/ns/service/list', '/v2/cs/config', '/v1/cs/configs/listener']) {
      const res = await fetch(`${server.baseUrl}${path}`);
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
    const outside = await fetch(`http://${server.serverAddr}/v1/cs/configs?dataId=a&group=b`);
    assert.equal(outside.status, 404);
    await outside.body?.cancel();
  });

  it('keeps tenants apart, with "" and "public" as different namespaces in 2.x mode', async () => {
    server.publish('ns.yaml', GROUP, 'in: blank');
    server.publish('ns.yaml', GROUP, 'in: ns-a', 'ns-a');
    const blank = await getConfig(server, { dataId: 'ns.yaml', group: GROUP, tenant: '' });
    const nsA = await getConfig(server, { dataId: 'ns.yaml', group: GROUP, tenant: 'ns-a' });
    const pub = await getConfig(server, { dataId: 'ns.yaml', group: GROUP, tenant: 'public' });
    assert.equal(await blank.text(), 'in: blank');
    assert.equal(await nsA.text(), 'in: ns-a');
    assert.equal(pub.status, 404);
    await pub.body?.cancel();
  });
});

// ----------------------------------------------------- wire: long polling

describe('NacosTestServer listener (long polling) over plain HTTP', () => {
  let server: NacosTestServer;
  before(async () => {
    server = await startServer({ holdMs: WAIT_MS });
  });
  after(() => server.stop());

  it('answers at once with URLEncoder-encoded changed keys and a newline when an md5 differs', async () => {
    server.publish('lp-a.yaml', GROUP, 'a: 1');
    server.publish('lp-b.yaml', GROUP, 'b: 1', 'ns-test');
    const res = await longPoll(
      server,
      listening(['lp-a.yaml', GROUP, ''], ['lp-b.yaml', GROUP, 'stale', 'ns-test']),
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-cache,no-store');
    assert.equal(
      await res.text(),
      'lp-a.yaml%02DEFAULT_GROUP%01lp-b.yaml%02DEFAULT_GROUP%02ns-test%01\n',
    );
    assert.equal(server.heldPollCount, 0);
  });

  it('answers a poll without Long-Pulling-Timeout at once, with an empty body when nothing changed', async () => {
    server.publish('short.yaml', GROUP, 's: 1');
    const res = await longPoll(server, listening(['short.yaml', GROUP, md5('s: 1')]), {
      timeoutHeader: null,
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
  });

  it('decodes Listening-Configs a second time, so a doubly encoded probe works', async () => {
    server.publish('twice.yaml', GROUP, 't: 1');
    const res = await fetch(`${server.baseUrl}/v1/cs/configs/listener`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Long-Pulling-Timeout': '30000',
      },
      body: 'Listening-Configs=twice.yaml%2502DEFAULT_GROUP%2502%2501',
    });
    assert.equal(await res.text(), 'twice.yaml%02DEFAULT_GROUP%01\n');
  });

  it('rejects a blank Listening-Configs with 400 "caused: invalid probeModify;"', async () => {
    const res = await longPoll(server, '');
    assert.equal(res.status, 400);
    assert.equal(await res.text(), 'caused: invalid probeModify;');
  });

  it('holds up-to-date polls and releases only the one watching the changed key, with that key alone', async () => {
    server.publish('w-a.yaml', GROUP, 'a: 1');
    server.publish('w-b.yaml', GROUP, 'b: 1');
    const pollA = longPoll(server, listening(['w-a.yaml', GROUP, md5('a: 1')]));
    const pollB = longPoll(
      server,
      listening(['w-b.yaml', GROUP, md5('b: 1')], ['w-a2.yaml', GROUP, '']),
    );
    await server.waitForHeldPolls(2, WAIT_MS);

    server.publish('w-a.yaml', GROUP, 'a: 2');
    const resA = await pollA;
    assert.equal(await resA.text(), 'w-a.yaml%02DEFAULT_GROUP%01\n');
    assert.equal(server.heldPollCount, 1, 'the poll watching w-b.yaml keeps waiting');

    server.publish('w-b.yaml', GROUP, 'b: 2');
    const resB = await pollB;
    assert.equal(await resB.text(), 'w-b.yaml%02DEFAULT_GROUP%01\n');
    assert.equal(server.heldPollCount, 0);
  });

  it('does not release a held poll when identical content is republished', async () => {
    server.publish('same.yaml', GROUP, 'same: 1');
    const poll = longPoll(server, listening(['same.yaml', GROUP, md5('same: 1')]));
    await server.waitForHeldPolls(1, WAIT_MS);

    const res = await publishHttp(server, {
      dataId: 'same.yaml',
      group: GROUP,
      content: 'same: 1',
    });
    assert.equal(await res.text(), 'true');
    assert.equal(server.heldPollCount, 1);

    server.publish('same.yaml', GROUP, 'same: 2');
    assert.equal(await (await poll).text(), 'same.yaml%02DEFAULT_GROUP%01\n');
  });

  it('releases a poll when its config is deleted, but not on deleting a config that never existed', async () => {
    server.publish('del.yaml', GROUP, 'd: 1');
    const poll = longPoll(
      server,
      listening(['del.yaml', GROUP, md5('d: 1')], ['never.yaml', GROUP, '']),
    );
    await server.waitForHeldPolls(1, WAIT_MS);

    assert.equal(server.remove('never.yaml', GROUP), false);
    assert.equal(server.heldPollCount, 1);

    const res = await fetch(configsUrl(server, { dataId: 'del.yaml', group: GROUP }), {
      method: 'DELETE',
    });
    assert.equal(await res.text(), 'true');
    assert.equal(await (await poll).text(), 'del.yaml%02DEFAULT_GROUP%01\n');
  });

  it('forgets a held poll whose client disconnects', async () => {
    const controller = new AbortController();
    const poll = longPoll(server, listening(['left.yaml', GROUP, '']), {
      signal: controller.signal,
    });
    await server.waitForHeldPolls(1, WAIT_MS);
    controller.abort();
    await assert.rejects(poll);
    await server.waitForNoHeldPolls(WAIT_MS);
    assert.equal(server.heldPollCount, 0);
  });

  it('records the md5s each client reported in lastMd5ByClient', async () => {
    server.publish('seen.yaml', GROUP, 'seen: 1', 'ns-x');
    const res = await longPoll(server, listening(['seen.yaml', GROUP, 'old-md5', 'ns-x']), {
      tenant: 'ns-x',
    });
    await res.text();
    const reported = [...server.lastMd5ByClient.values()].find((keys) =>
      keys.has('seen.yaml+DEFAULT_GROUP+ns-x'),
    );
    assert.equal(reported?.get('seen.yaml+DEFAULT_GROUP+ns-x'), 'old-md5');
  });
});

describe('NacosTestServer hold timing', () => {
  it('answers a held poll that sees no change with 200 and an empty body after holdMs', async () => {
    const server = await startServer({ holdMs: 150 });
    try {
      server.publish('quiet.yaml', GROUP, 'q: 1');
      const started = performance.now();
      const res = await longPoll(server, listening(['quiet.yaml', GROUP, md5('q: 1')]));
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '');
      assert.ok(performance.now() - started >= 140, 'held for about holdMs');
    } finally {
      await server.stop();
    }
  });

  it('uses the real hold rule max(10000, Long-Pulling-Timeout - 500) when holdMs is not set', () => {
    const server = new NacosTestServer();
    assert.equal(server.holdMsFor(30_000), 29_500);
    assert.equal(server.holdMsFor(5_000), 10_000);
    assert.equal(new NacosTestServer({ holdMs: 200 }).holdMsFor(30_000), 200);
  });

  it('answers held polls with an empty 200 on stop()', async () => {
    const server = await startServer();
    const poll = longPoll(server, listening(['stop.yaml', GROUP, '']));
    await server.waitForHeldPolls(1, WAIT_MS);
    await server.stop();
    const res = await poll;
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
  });
});

// ------------------------------------------------------ the real client

describe('NacosTestServer with the nacos DataClient', () => {
  // A server per test, so held-poll counts belong to that test's client alone.
  let server: NacosTestServer;
  const dirs: string[] = [];
  const newClient = (options: Parameters<typeof makeClient>[1] = {}): TestClient => {
    const dir = mkdtempSync(join(tmpdir(), 'nacos-test-cache-'));
    dirs.push(dir);
    return makeClient(server, options, dir);
  };
  beforeEach(async () => {
    server = await startServer({ holdMs: WAIT_MS });
  });
  afterEach(async () => {
    await server.stop();
    dirs.splice(0).forEach(removeDir);
  });

  it('getConfig returns the stored content, and null for a missing config', async () => {
    server.publish('dc-get.yaml', GROUP, 'dc: 1', 'ns-dc');
    const tc = newClient({ namespace: 'ns-dc' });
    try {
      assert.equal(await tc.client.getConfig('dc-get.yaml', GROUP, {}), 'dc: 1');
      assert.equal(await tc.client.getConfig('dc-none.yaml', GROUP, {}), null);
    } finally {
      tc.close();
    }
  });

  it('publishSingle stores the content with its type, and remove deletes it', async () => {
    const tc = newClient({ namespace: 'ns-dc' });
    try {
      const content = 'name: 中文 & = %\nlist: [1, 2]';
      assert.equal(
        // unit '' means the current unit; the typings require the field.
        await tc.client.publishSingle('dc-pub.yaml', GROUP, content, { unit: '', type: 'yaml' }),
        true,
      );
      const stored = server.get('dc-pub.yaml', GROUP, 'ns-dc');
      assert.equal(stored?.content, content);
      assert.equal(stored?.type, 'yaml');
      assert.equal(await tc.client.remove('dc-pub.yaml', GROUP, {}), true);
      assert.equal(server.get('dc-pub.yaml', GROUP, 'ns-dc'), undefined);
    } finally {
      tc.close();
    }
  });

  it('a subscriber gets the current content at once, then a published change via the long poll', async () => {
    server.publish('dc-sub.yaml', GROUP, 'v: 1', 'ns-dc');
    const tc = newClient({ namespace: 'ns-dc' });
    const inbox = new Inbox<string | null>();
    try {
      tc.client.subscribe({ dataId: 'dc-sub.yaml', group: GROUP }, inbox.push);
      assert.equal(await inbox.next(), 'v: 1');
      await server.waitForHeldPolls(1, WAIT_MS);
      const reported = [...server.lastMd5ByClient.values()].find((keys) =>
        keys.has('dc-sub.yaml+DEFAULT_GROUP+ns-dc'),
      );
      assert.equal(reported?.get('dc-sub.yaml+DEFAULT_GROUP+ns-dc'), md5('v: 1'));

      server.publish('dc-sub.yaml', GROUP, 'v: 2', 'ns-dc');
      assert.equal(await inbox.next(), 'v: 2');
      await server.waitForHeldPolls(1, WAIT_MS);
    } finally {
      tc.close();
    }
  });

  it('deleting a subscribed config gives the subscriber null', async () => {
    server.publish('dc-del.yaml', GROUP, 'del: 1');
    const tc = newClient();
    const inbox = new Inbox<string | null>();
    try {
      tc.client.subscribe({ dataId: 'dc-del.yaml', group: GROUP }, inbox.push);
      assert.equal(await inbox.next(), 'del: 1');
      await server.waitForHeldPolls(1, WAIT_MS);
      server.remove('dc-del.yaml', GROUP);
      assert.equal(await inbox.next(), null);
      await server.waitForHeldPolls(1, WAIT_MS);
    } finally {
      tc.close();
    }
  });
});

// ------------------------------------------------------------------ auth

describe('NacosTestServer auth mode', () => {
  const username = 'nacos-user';
  const password = 'p@ss&w=rd secret';
  let clock = Date.now();
  let server: NacosTestServer;
  const dirs: string[] = [];
  before(async () => {
    server = await startServer({
      holdMs: WAIT_MS,
      auth: { username, password, tokenTtlSeconds: 60, deniedNamespaces: ['locked'] },
      now: () => clock,
    });
    server.publish('auth.yaml', GROUP, 'auth: 1');
    server.publish('auth.yaml', GROUP, 'locked: 1', 'locked');
  });
  after(async () => {
    await server.stop();
    dirs.forEach(removeDir);
  });

  async function login(fields: Record<string, string>): Promise<Response> {
    return postForm(`${server.baseUrl}/v1/auth/login`, fields);
  }

  it('refuses config requests without credentials with 403 Spring JSON "user not found!"', async () => {
    const res = await getConfig(server, { dataId: 'auth.yaml', group: GROUP });
    assert.equal(res.status, 403);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.status, 403);
    assert.equal(body.error, 'Forbidden');
    assert.equal(body.message, 'user not found!');
    assert.equal(body.path, '/nacos/v1/cs/configs');
    assert.equal(typeof body.timestamp, 'string');

    const poll = await longPoll(server, listening(['auth.yaml', GROUP, '']));
    assert.equal(poll.status, 403);
    await poll.body?.cancel();
  });

  it('refuses a wrong password and accepts the right username/password parameters', async () => {
    const wrong = await getConfig(server, {
      dataId: 'auth.yaml',
      group: GROUP,
      username,
      password: 'nope',
    });
    assert.equal(wrong.status, 403);
    await wrong.body?.cancel();

    const right = await getConfig(server, {
      dataId: 'auth.yaml',
      group: GROUP,
      username,
      password,
    });
    assert.equal(right.status, 200);
    assert.equal(await right.text(), 'auth: 1');
  });

  it('login answers {accessToken, tokenTtl, globalAdmin, username} on both login routes', async () => {
    for (const route of ['/v1/auth/login', '/v1/auth/users/login']) {
      const res = await postForm(`${server.baseUrl}${route}`, { username, password });
      assert.equal(res.status, 200, route);
      const body = (await res.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['accessToken', 'tokenTtl', 'globalAdmin', 'username']);
      assert.equal(body.tokenTtl, 60);
      assert.equal(body.globalAdmin, true);
      assert.equal(body.username, username);
      assert.equal(res.headers.get('authorization'), `Bearer ${String(body.accessToken)}`);
    }
  });

  it('refuses login with bad credentials with 403 "user not found!"', async () => {
    const res = await login({ username, password: 'bad' });
    assert.equal(res.status, 403);
    assert.equal(await res.text(), 'user not found!');
  });

  it('accepts a login token as the accessToken parameter and as a Bearer header', async () => {
    const { accessToken } = (await (await login({ username, password })).json()) as {
      accessToken: string;
    };
    const byParam = await getConfig(server, { dataId: 'auth.yaml', group: GROUP, accessToken });
    assert.equal(byParam.status, 200);
    assert.equal(await byParam.text(), 'auth: 1');

    const byHeader = await fetch(configsUrl(server, { dataId: 'auth.yaml', group: GROUP }), {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    assert.equal(byHeader.status, 200);
    assert.equal(await byHeader.text(), 'auth: 1');
  });

  it('refuses a tampered token ("token invalid!") and one older than tokenTtlSeconds ("token expired!")', async () => {
    const { accessToken } = (await (await login({ username, password })).json()) as {
      accessToken: string;
    };
    const tampered = await getConfig(server, {
      dataId: 'auth.yaml',
      group: GROUP,
      accessToken: `${accessToken}x`,
    });
    assert.equal(tampered.status, 403);
    assert.equal(((await tampered.json()) as { message: string }).message, 'token invalid!');

    clock += 61_000;
    try {
      const expired = await getConfig(server, { dataId: 'auth.yaml', group: GROUP, accessToken });
      assert.equal(expired.status, 403);
      assert.equal(((await expired.json()) as { message: string }).message, 'token expired!');
    } finally {
      clock -= 61_000;
    }
  });

  it('refuses a namespace the user may not access with 403 "authorization failed!"', async () => {
    const res = await getConfig(server, {
      dataId: 'auth.yaml',
      group: GROUP,
      tenant: 'locked',
      username,
      password,
    });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { message: string }).message, 'authorization failed!');
  });

  it('serves a DataClient with username/password, and fails one without credentials', async () => {
    const [credsDir, anonDir] = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'nacos-test-cache-')));
    dirs.push(credsDir, anonDir);
    const withCreds = makeClient(server, { username, password }, credsDir);
    const anonymous = makeClient(server, { requestTimeout: 300 }, anonDir);
    const inbox = new Inbox<string | null>();
    try {
      assert.equal(await withCreds.client.getConfig('auth.yaml', GROUP, {}), 'auth: 1');
      withCreds.client.subscribe({ dataId: 'auth.yaml', group: GROUP }, inbox.push);
      assert.equal(await inbox.next(), 'auth: 1');
      await server.waitForHeldPolls(1, WAIT_MS);
      server.publish('auth.yaml', GROUP, 'auth: 2');
      assert.equal(await inbox.next(), 'auth: 2');
      server.publish('auth.yaml', GROUP, 'auth: 1');
      assert.equal(await inbox.next(), 'auth: 1');
      await server.waitForHeldPolls(1, WAIT_MS);

      await assert.rejects(anonymous.client.getConfig('auth.yaml', GROUP, {}), {
        name: 'NacosServerResponseError',
      });
      assert.ok(server.requestCount({ method: 'GET', status: 403 }) > 0);
    } finally {
      withCreds.close();
      anonymous.close();
    }
  });

  it('never records the password or a token in the request log', () => {
    const logged = JSON.stringify(server.requests);
    assert.ok(server.requests.length > 0);
    assert.ok(!logged.includes(password), 'no raw password');
    assert.ok(!logged.includes(encodeURIComponent(password)), 'no encoded password');
    assert.ok(!/eyJ[\w-]+\.eyJ/.test(logged), 'no token');
    const withCreds = server.requests.find((entry) => entry.params.username === username);
    assert.equal(withCreds?.params.password, '***');
    const withToken = server.requests.find((entry) => 'accessToken' in entry.params);
    assert.equal(withToken?.params.accessToken, '***');
  });
});

// ------------------------------------------------------- fault injection

describe('NacosTestServer fault injection', () => {
  let server: NacosTestServer;
  const dirs: string[] = [];
  before(async () => {
    server = await startServer({ holdMs: WAIT_MS });
    server.publish('fault.yaml', GROUP, 'f: 1');
  });
  after(async () => {
    server.setFault(null);
    await server.stop();
    dirs.forEach(removeDir);
  });

  it('a status fault answers the injected status only on the chosen routes', async () => {
    try {
      server.setFault({ kind: 'status', status: 503, routes: 'listener' });
      const read = await getConfig(server, { dataId: 'fault.yaml', group: GROUP });
      assert.equal(read.status, 200);
      await read.body?.cancel();
      const poll = await longPoll(server, listening(['fault.yaml', GROUP, '']));
      assert.equal(poll.status, 503);
      await poll.body?.cancel();

      server.setFault({ kind: 'status', status: 409, routes: 'configs' });
      const conflict = await getConfig(server, { dataId: 'fault.yaml', group: GROUP });
      assert.equal(conflict.status, 409);
      assert.equal(await conflict.text(), 'requested file is being modified, please try later.\n');

      server.setFault({ kind: 'status', status: 500 });
      const login = await postForm(`${server.baseUrl}/v1/auth/login`, {});
      assert.equal(login.status, 500);
      await login.body?.cancel();

      server.setFault({ kind: 'status', status: 403 });
      const forbidden = await getConfig(server, { dataId: 'fault.yaml', group: GROUP });
      assert.equal(forbidden.status, 403);
      assert.equal(((await forbidden.json()) as { message: string }).message, 'user not found!');
    } finally {
      server.setFault(null);
    }
    const healthy = await getConfig(server, { dataId: 'fault.yaml', group: GROUP });
    assert.equal(healthy.status, 200, 'setFault(null) restores normal answers');
    await healthy.body?.cancel();
  });

  it('a latency fault delays every answer by at least its ms', async () => {
    server.setFault({ kind: 'latency', ms: 200 });
    try {
      const started = performance.now();
      const res = await getConfig(server, { dataId: 'fault.yaml', group: GROUP });
      assert.equal(await res.text(), 'f: 1');
      assert.ok(performance.now() - started >= 195);
    } finally {
      server.setFault(null);
    }
  });

  it('a reset fault destroys new connections and drops held polls', async () => {
    const poll = longPoll(server, listening(['fault.yaml', GROUP, md5('f: 1')]));
    await server.waitForHeldPolls(1, WAIT_MS);
    server.setFault({ kind: 'reset' });
    try {
      await assert.rejects(poll, TypeError);
      assert.equal(server.heldPollCount, 0);
      await assert.rejects(getConfig(server, { dataId: 'fault.yaml', group: GROUP }), TypeError);
      assert.ok(server.requests.some((entry) => entry.status === 0));
    } finally {
      server.setFault(null);
    }
  });

  it('gone410 answers every v1 route with 410 and a JSON Result naming the compatibility switch', async () => {
    server.setFault({ kind: 'gone410' });
    try {
      for (const res of [
        await getConfig(server, { dataId: 'fault.yaml', group: GROUP }),
        await longPoll(server, listening(['fault.yaml', GROUP, ''])),
      ]) {
        assert.equal(res.status, 410);
        const body = (await res.json()) as { code: number; message: string; data: unknown };
        assert.match(body.message, /nacos\.core\.api\.compatibility\.client\.enabled=true/);
        assert.equal(body.data, null);
      }
    } finally {
      server.setFault(null);
    }
  });

  it('notFound404 answers 404 for every v1 route, which DataClient.getConfig reads as null', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nacos-test-cache-'));
    dirs.push(dir);
    const tc = makeClient(server, {}, dir);
    server.setFault({ kind: 'notFound404' });
    try {
      const res = await postForm(configsUrl(server), {
        dataId: 'x.yaml',
        group: GROUP,
        content: 'x',
      });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { status: number }).status, 404);
      assert.equal(await tc.client.getConfig('fault.yaml', GROUP, {}), null);
    } finally {
      server.setFault(null);
      tc.close();
    }
  });

  it('a 500 fault makes DataClient serve its snapshot and emit the error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nacos-test-cache-'));
    dirs.push(dir);
    const tc = makeClient(server, { requestTimeout: 300 }, dir);
    try {
      assert.equal(await tc.client.getConfig('fault.yaml', GROUP, {}), 'f: 1');
      server.setFault({ kind: 'status', status: 500, routes: 'configs' });
      server.clearRequests();
      assert.equal(await tc.client.getConfig('fault.yaml', GROUP, {}), 'f: 1');
      const err = await tc.errors.next();
      assert.equal(err.name, 'NacosServerResponseError');
      assert.ok(server.requestCount({ path: '/v1/cs/configs', status: 500 }) > 0);
    } finally {
      server.setFault(null);
      tc.close();
    }
  });
});

// ----------------------------------------------------------------- restart

describe('NacosTestServer restart', () => {
  let server: NacosTestServer;
  const dirs: string[] = [];
  before(async () => {
    server = await startServer({ holdMs: WAIT_MS });
  });
  after(async () => {
    await server.stop();
    dirs.forEach(removeDir);
  });

  it('restart({ keepData: true }) serves the same configs on the same port', async () => {
    server.publish('keep.yaml', GROUP, 'keep: 1');
    const port = server.port;
    await server.restart({ keepData: true });
    assert.equal(server.port, port);
    const res = await getConfig(server, { dataId: 'keep.yaml', group: GROUP });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'keep: 1');
  });

  it('restart({ keepData: false }) forgets every config, and a subscribed DataClient gets null', async () => {
    server.publish('lost.yaml', GROUP, 'lost: 1');
    const dir = mkdtempSync(join(tmpdir(), 'nacos-test-cache-'));
    dirs.push(dir);
    const tc = makeClient(server, {}, dir);
    const inbox = new Inbox<string | null>();
    try {
      tc.client.subscribe({ dataId: 'lost.yaml', group: GROUP }, inbox.push);
      assert.equal(await inbox.next(), 'lost: 1');
      await server.waitForHeldPolls(1, WAIT_MS);

      const port = server.port;
      await server.restart({ keepData: false });
      assert.equal(server.port, port);
      assert.equal(server.get('lost.yaml', GROUP), undefined);
      assert.equal(await inbox.next(), null);
      await server.waitForHeldPolls(1, WAIT_MS);

      const res = await getConfig(server, { dataId: 'lost.yaml', group: GROUP });
      assert.equal(res.status, 404);
      await res.body?.cancel();
    } finally {
      tc.close();
    }
  });
});

// ------------------------------------------------------------ 3.x namespaces

describe('NacosTestServer with namespaces3x', () => {
  let server: NacosTestServer;
  before(async () => {
    server = await startServer({ holdMs: WAIT_MS, namespaces3x: true });
  });
  after(() => server.stop());

  it('treats "" and "public" as one namespace and echoes no tenant for a blank one', async () => {
    await publishHttp(server, { dataId: 'ns3.yaml', group: GROUP, content: 'n: 1', tenant: '' });
    assert.equal(server.get('ns3.yaml', GROUP, 'public')?.content, 'n: 1');
    const pub = await getConfig(server, { dataId: 'ns3.yaml', group: GROUP, tenant: 'public' });
    assert.equal(await pub.text(), 'n: 1');

    const blank = await longPoll(server, listening(['ns3.yaml', GROUP, '']));
    assert.equal(await blank.text(), 'ns3.yaml%02DEFAULT_GROUP%01\n');
    const explicit = await longPoll(server, listening(['ns3.yaml', GROUP, '', 'public']));
    assert.equal(await explicit.text(), 'ns3.yaml%02DEFAULT_GROUP%02public%01\n');
  });
});
