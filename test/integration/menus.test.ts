import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { MENU_ROWS } from '@/modules/organization/menu-rows';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { accessGrpcClients, addAccount, personalOrganization } from '../support/organizations';
import { sql } from '../support/projects';

interface MenuBody {
  id: string;
  parentId: string | null;
  title: string;
  url: string;
  node: string;
  status: number;
  statusText: string;
  isInner: boolean;
  innerText: string;
  values: string;
  fullUrl: string;
  children: MenuBody[] | null;
}

/** The original ids of a menu tree, nested as it is: `[id, [children...]]` or a bare id for a leaf. */
type Shape = number | [number, Shape[]];

function shapeOf(items: MenuBody[]): Shape[] {
  return items.map((item) => {
    const id = decodeId(item.id, 'menu');
    return item.children ? [id, shapeOf(item.children)] : id;
  });
}

function flatten(items: MenuBody[]): MenuBody[] {
  return items.flatMap((item) => [item, ...flatten(item.children ?? [])]);
}

/** The original's 35 menu ids, and the project space's 日程 tab (169). */
const SEEDED_IDS = [
  120, 121, 122, 124, 125, 126, 127, 130, 131, 138, 139, 140, 143, 144, 145, 148, 149, 150, 151,
  152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 166, 167, 168, 169,
];

describe('the navigation menu', () => {
  let app: TestApp;
  let menus: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let organizationId: string;
  let accountId: string;

  before(async () => {
    app = await startTestApp();
    ({ menus } = accessGrpcClients(app));
    [owner, member] = [await registerMember(app), await registerMember(app)];
    organizationId = await personalOrganization(app, owner.accessToken);
    accountId = await addAccount(app, organizationId, member.id, 'member');
  });

  after(async () => {
    menus?.close();
    await app?.close();
  });

  const menuOf = (who: RegisteredMember) =>
    call<{ items: MenuBody[] }>(app, 'GET', `/api/v1/organizations/${organizationId}/menu`, {
      token: who.accessToken,
    });

  /** The member's account holds a new role with exactly these nodes. */
  async function memberHolds(nodes: string[]): Promise<void> {
    const role = await call<{ id: string }>(
      app,
      'POST',
      `/api/v1/organizations/${organizationId}/roles`,
      { token: owner.accessToken, body: { name: `Menu ${nodes.length} ${Math.random()}` } },
    );
    assert.equal(role.status, 201);
    const set = await call(
      app,
      'PUT',
      `/api/v1/organizations/${organizationId}/roles/${role.body.id}/nodes`,
      { token: owner.accessToken, body: { nodes } },
    );
    assert.equal(set.status, 200);
    const assigned = await call(
      app,
      'PUT',
      `/api/v1/organizations/${organizationId}/accounts/${accountId}/role`,
      { token: owner.accessToken, body: { roleId: role.body.id } },
    );
    assert.equal(assigned.status, 200);
  }

  it("seeds the original's 35 entries with their ids and the 日程 tab, as the code describes them", async () => {
    const rows = await sql<Record<string, unknown>>(app, 'SELECT * FROM menu ORDER BY id');
    assert.deepEqual(
      rows.map((row) => row.id),
      SEEDED_IDS,
    );
    assert.deepEqual(
      rows.map((row) => ({
        ...row,
        isInner: Boolean(row.isInner),
        showSlider: Boolean(row.showSlider),
      })),
      [...MENU_ROWS].sort((a, b) => a.id - b.id),
    );
    const [home] = rows;
    assert.deepEqual(
      [home.title, home.url, home.params, home.node],
      ['工作台', 'home', ':org', '#'],
    );
  });

  it('shows the owner every entry in use, as a tree by sort with leaves without children', async () => {
    const menu = await menuOf(owner);
    assert.equal(menu.status, 200);
    assert.deepEqual(shapeOf(menu.body.items), [
      120,
      [
        121,
        [
          [122, [151, 163, 155, 159, 152, 127]],
          [156, [157, 158]],
          [153, [154, 162, 161, 168, 169]],
          [138, [139, 140]],
        ],
      ],
      [160, [[164, [166, 167]]]],
      [
        124,
        [
          [143, [144, 145]],
          [148, [149, 150]],
          [125, [126, 130, 131]],
        ],
      ],
    ]);
    const entries = flatten(menu.body.items);
    assert.equal(entries.length, 36);
    const mine = entries.find((entry) => decodeId(entry.id, 'menu') === 151)!;
    assert.deepEqual(
      [mine.fullUrl, mine.statusText, mine.innerText, mine.values, mine.parentId],
      ['project/list/my', '使用中', '导航', 'my', entries.find((e) => e.title === '项目列表')!.id],
    );
    const detail = entries.find((entry) => decodeId(entry.id, 'menu') === 154)!;
    assert.deepEqual(
      [detail.fullUrl, detail.innerText, detail.isInner],
      ['project/space/task/:code/detail', '内页', true],
    );
    assert.equal(menu.body.items[0].parentId, null);
  });

  it("shows a member the entries their role's nodes grant, and the groups that keep one", async () => {
    await memberHolds(['project/index/index', 'project/project/index', 'project/auth/index']);
    const menu = await menuOf(member);
    assert.equal(menu.status, 200);
    assert.deepEqual(shapeOf(menu.body.items), [
      // The home page needs no node; 项目列表 keeps the entries of project/project/index only.
      120,
      [121, [[122, [151, 155, 159, 152]]]],
      [124, [[125, [130]]]],
    ]);
  });

  it('grants a group node the entries of every node under it', async () => {
    await memberHolds(['project/index', 'project/auth']);
    const ids = flatten((await menuOf(member)).body.items).map((entry) =>
      decodeId(entry.id, 'menu'),
    );
    // project/index covers project/index/info (161, 162, 163, 168, 169) and editpersonal (149, 150).
    assert.deepEqual(
      ids.sort((a, b) => a - b),
      [120, 121, 122, 124, 125, 130, 131, 148, 149, 150, 153, 161, 162, 163, 168, 169],
    );
  });

  it('refuses the menu to a role without project/index/index, and to outsiders', async () => {
    await memberHolds(['project/project/index']);
    assert.equal((await menuOf(member)).status, 403);
    const outsider = await registerMember(app);
    assert.equal((await menuOf(outsider)).status, 404);
    await assert.rejects(
      unary(menus, 'getMenu', { organizationId }, bearer(outsider.accessToken)),
      rejectsWith(status.NOT_FOUND),
    );
  });

  it('leaves out a disabled entry with everything under it', async () => {
    await sql(app, 'UPDATE menu SET status = 0 WHERE id IN (122, 140)');
    try {
      const ids = flatten((await menuOf(owner)).body.items).map((entry) =>
        decodeId(entry.id, 'menu'),
      );
      for (const hidden of [122, 151, 152, 155, 159, 163, 127, 140]) {
        assert.ok(!ids.includes(hidden), `${hidden} shown`);
      }
      assert.ok(ids.includes(139));
      const all = await call<{ items: MenuBody[] }>(app, 'GET', '/api/v1/menus', {
        token: member.accessToken,
      });
      const disabled = flatten(all.body.items).find((entry) => decodeId(entry.id, 'menu') === 140)!;
      assert.deepEqual([disabled.status, disabled.statusText], [0, '禁用']);
    } finally {
      await sql(app, 'UPDATE menu SET status = 1 WHERE id IN (122, 140)');
    }
  });

  it('serves the same menu over gRPC', async () => {
    await memberHolds(['project/index/index', 'project/project/index', 'project/auth/index']);
    const rest = await menuOf(member);
    const overGrpc = await unary<object, { items: MenuBody[] }>(
      menus,
      'getMenu',
      { organizationId },
      bearer(member.accessToken),
    );
    const shape = (items: MenuBody[]): unknown[] =>
      items.map((item) => [item.id, item.fullUrl, shape(item.children ?? [])]);
    assert.deepEqual(shape(overGrpc.items), shape(rest.body.items));
    const everything = await unary<object, { items: MenuBody[] }>(
      menus,
      'listMenus',
      {},
      bearer(member.accessToken),
    );
    assert.equal(flatten(everything.items).length, 36);
  });
});
