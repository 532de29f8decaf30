import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { PERMISSION_NODES } from '@/modules/organization/permission-catalogue';
import { embeddedConfig } from '../support/embedded-config';

const ROOT = join(__dirname, '../../..');
// As `npm run start:prod` starts the app: the start-up bundle (scripts/bundle.mjs).
const START = join(__dirname, '../../src/start.js');

/**
 * The embedded profile as `npm run start:prod` runs it: the committed config/config.yaml (SQLite file,
 * in-process Redis substitute, no config center, tracing off, JWT secrets left to generate),
 * nothing else running. Only the ports and the database file are moved, so the test does not
 * collide with anything.
 */
describe('the embedded profile', () => {
  let configDir: string;
  let http: string;
  /** An access token from the first start, checked after a restart. */
  let issuedBeforeRestart = '';
  /** That member's activity feed (entry ids, newest first) at the first start's end. */
  let feedBeforeRestart: string[] = [];

  before(async () => {
    ({ directory: configDir, http } = await embeddedConfig('embedded'));
  });

  after(async () => {
    await rm(configDir, { recursive: true, force: true });
  });

  /** The start-up line that says the process serves. */
  interface Serving {
    moduleResolutions?: { cached: number; resolved: number };
  }

  /** `npm run start:prod` on the test's config directory; resolves once it serves. */
  async function startEmbedded() {
    const child = spawn(process.execPath, [START], {
      cwd: ROOT,
      env: {
        ...process.env,
        CONFIG_DIR: configDir,
        APP_LOG__FORMAT: 'json',
        APP_LOG__LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const output = { stderr: '' };
    child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    /** What it logged until it served. */
    const startLines: string[] = [];
    const serving = await new Promise<Serving>((resolve, reject) => {
      lines.on('line', (line) => {
        startLines.push(line);
        if (line.includes('msproject serving HTTP')) resolve(JSON.parse(line) as Serving);
      });
      child.once('exit', () => reject(new Error(`exited before serving: ${output.stderr}`)));
    });
    return { child, exited, output, serving, startLines };
  }

  /** A GET, or a POST of `body`, as the member of `token`. */
  const authed = (path: string, token: string, body?: unknown) =>
    fetch(`${http}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** The totals of the member's projects, tasks assigned to them, and those undone. */
  async function totals(token: string): Promise<number[]> {
    const found: number[] = [];
    for (const path of ['/api/v1/projects', '/api/v1/tasks', '/api/v1/tasks?done=false']) {
      const page = await authed(path, token);
      assert.equal(page.status, 200, `${path}: ${await page.clone().text()}`);
      found.push(((await page.json()) as { total: number }).total);
    }
    return found;
  }

  it('serves health, docs and the member and project flows on SQLite, then exits 0 on SIGTERM', async () => {
    const started = Date.now();
    const { child, exited, output, startLines } = await startEmbedded();
    try {
      assert.ok(Date.now() - started < 10_000, 'took 10 s or more to serve');
      // At info, the framework's list of modules and routes (hundreds of lines) stays out.
      const inventory = startLines.filter((line) =>
        /"context":"(RouterExplorer|RoutesResolver|InstanceLoader)"/.test(line),
      );
      assert.deepEqual(inventory, []);
      assert.ok(startLines.length < 20, `${startLines.length} lines logged until serving`);
      assert.equal((await fetch(`${http}/health/live`)).status, 200);
      assert.equal((await fetch(`${http}/health/ready`)).status, 200);
      assert.equal((await fetch(`${http}/docs`)).status, 200);

      const json = (path: string, body: unknown, token?: string) =>
        fetch(`${http}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        });
      // Enough statements for the garbage collector to finalize some while serving (the
      // profile allows 10 captcha requests a minute from one address).
      for (let round = 0; round < 8; round++) {
        const mobile = `1390000${String(round).padStart(4, '0')}`;
        const captcha = (await (await json('/api/v1/auth/captcha', { mobile })).json()) as {
          code: string;
        };
        const member = {
          account: `embedded${round}`,
          email: `e${round}@example.test`,
          mobile,
          name: 'E',
          password: 'embedded-pw-1',
        };
        const registered = await json('/api/v1/auth/register', {
          ...member,
          captcha: captcha.code,
        });
        assert.equal(registered.status, 201, await registered.text());
        const login = (await (
          await json('/api/v1/auth/login', { account: member.account, password: member.password })
        ).json()) as { accessToken: string };
        assert.equal(
          (await json('/api/v1/projects', { name: `P${round}` }, login.accessToken)).status,
          201,
        );
        const list = await fetch(`${http}/api/v1/projects`, {
          headers: { authorization: `Bearer ${login.accessToken}` },
        });
        assert.equal(((await list.json()) as { total: number }).total, 1);
        // The other lists a member pages through, on SQLite's dialect.
        for (const [path, total] of [
          ['/api/v1/projects?filter=collected', 0],
          ['/api/v1/tasks?view=participating&done=false', 0],
          ['/api/v1/activity', 0],
          ['/api/v1/me/notifications?unreadOnly=true', 0],
        ] as const) {
          const page = await fetch(`${http}${path}`, {
            headers: { authorization: `Bearer ${login.accessToken}` },
          });
          assert.equal(page.status, 200, `${path}: ${await page.clone().text()}`);
          assert.equal(((await page.json()) as { total: number }).total, total, path);
        }
        issuedBeforeRestart = login.accessToken;
      }
      // A task the last member gave themself, in their project's new stage.
      const token = issuedBeforeRestart;
      const me = (await (await authed('/api/v1/me', token)).json()) as { id: string };
      const [project] = (
        (await (await authed('/api/v1/projects', token)).json()) as { items: { id: string }[] }
      ).items;
      const stage = await authed(`/api/v1/projects/${project.id}/stages`, token, { name: 'To do' });
      assert.equal(stage.status, 201, await stage.clone().text());
      const stageId = ((await stage.json()) as { id: string }).id;
      const task = await authed(`/api/v1/projects/${project.id}/tasks`, token, {
        stageId,
        name: 'Mine',
        assigneeId: me.id,
      });
      assert.equal(task.status, 201, await task.clone().text());
      assert.deepEqual(await totals(token), [1, 1, 1]);
      // The activity feed on SQLite: entries fanned out as written, a recycled task's taken out.
      const feedOf = async () => {
        const page = await authed('/api/v1/activity', token);
        const body = (await page.json()) as { total: number; items: { id: string }[] };
        assert.equal(body.items.length, body.total, 'items vs total');
        return body.items.map((item) => item.id);
      };
      const others: string[] = [];
      for (const name of ['Kept', 'Recycled']) {
        const other = await authed(`/api/v1/projects/${project.id}/tasks`, token, {
          stageId,
          name,
        });
        assert.equal(other.status, 201, await other.clone().text());
        others.push(((await other.json()) as { id: string }).id);
      }
      const withAll = await feedOf();
      assert.ok(withAll.length >= 4, `every task's entries: ${withAll.length}`);
      const recycled = await authed(`/api/v1/tasks/${others[1]}/recycle`, token, {});
      assert.ok(recycled.status < 300, await recycled.text());
      feedBeforeRestart = await feedOf();
      assert.ok(feedBeforeRestart.length > 0, 'the kept tasks are in the feed');
      assert.ok(
        feedBeforeRestart.length < withAll.length,
        'the recycled task left the feed with its entries',
      );
    } finally {
      child.kill('SIGTERM');
    }
    const [code, signal] = await exited;
    assert.equal(signal, null, output.stderr);
    assert.equal(code, 0, output.stderr);
  });

  it('signs with secrets generated on the first start, kept owner-only, and the same after a restart, which resolves no module path anew', async () => {
    assert.ok(issuedBeforeRestart, 'the first start issued a token');
    const file = join(configDir, 'secrets.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const secrets = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(secrets).sort(), [
      'ids.secret',
      'jwt.accessSecret',
      'jwt.refreshSecret',
    ]);
    // The lists' counters are computed from the rows at start: gone meanwhile, they come back.
    const database = new DatabaseSync(join(configDir, 'msproject.sqlite'));
    database.exec('DELETE FROM list_total');
    database.close();
    const { child, exited, output, serving } = await startEmbedded();
    try {
      // The same build and packages again: every module path comes from the last starts'.
      const { cached = 0, resolved } = serving.moduleResolutions ?? {};
      assert.ok(cached > 1000, `module paths looked up: ${cached}`);
      assert.equal(resolved, 0, 'module paths resolved anew');
      const me = await fetch(`${http}/api/v1/me`, {
        headers: { authorization: `Bearer ${issuedBeforeRestart}` },
      });
      assert.equal(me.status, 200);
      assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), secrets);
      assert.deepEqual(await totals(issuedBeforeRestart), [1, 1, 1]);
      // The feed computed afresh at start from the file's rows: the same entries.
      const feed = await authed('/api/v1/activity', issuedBeforeRestart);
      const body = (await feed.json()) as { total: number; items: { id: string }[] };
      assert.equal(body.total, feedBeforeRestart.length);
      assert.deepEqual(
        body.items.map((item) => item.id),
        feedBeforeRestart,
      );
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    assert.equal(code, 0, output.stderr);
  });
  it('seeds the node catalogue and the menu once, and each new organization its roles', async () => {
    assert.ok(issuedBeforeRestart, 'the first start registered a member');
    // A start after those that seeded them: nothing added twice.
    const { child, exited, output } = await startEmbedded();
    try {
      const get = async <T>(path: string) => {
        const response = await fetch(`${http}${path}`, {
          headers: { authorization: `Bearer ${issuedBeforeRestart}` },
        });
        assert.equal(response.status, 200, path);
        return (await response.json()) as T;
      };
      interface Item {
        children: Item[] | null;
      }
      type Tree = Item[];
      const count = (items: Tree): number =>
        items.reduce((total, item) => total + 1 + count(item.children ?? []), 0);
      assert.equal(count((await get<{ items: Tree }>('/api/v1/menus')).items), 36);
      assert.equal(
        count((await get<{ nodes: Tree }>('/api/v1/permission-nodes')).nodes),
        PERMISSION_NODES.length,
      );
      const [organization] = await get<{ id: string }[]>('/api/v1/organizations');
      const roles = await get<{ items: { name: string }[] }>(
        `/api/v1/organizations/${organization.id}/roles`,
      );
      assert.deepEqual(
        roles.items.map((role) => role.name),
        ['admin', 'member'],
      );
      const menu = await get<{ items: Tree }>(`/api/v1/organizations/${organization.id}/menu`);
      assert.equal(count(menu.items), 36);
      // The system templates, once, with their stages: a new project can start from one.
      const templates = await get<{ items: { name: string; stages: string[] }[] }>(
        '/api/v1/project-templates?scope=system',
      );
      assert.deepEqual(
        templates.items.map((template) => [template.name, template.stages.length]),
        [
          ['Simple board', 3],
          ['Product development', 5],
          ['Kanban', 5],
          ['Marketing campaign', 5],
        ],
      );
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    assert.equal(code, 0, output.stderr);
  });
});
