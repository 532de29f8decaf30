import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { accessGrpcClients } from '../support/organizations';
import { sql } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Menu = {
  id: number;
  pid: number;
  title: string;
  url: string;
  file_path: string;
  node: string;
  status: number;
  is_inner: number;
  show_slider: number;
  children?: Menu[];
};
type Node = { node: string; title: string; is_menu: number; is_auth: number; is_login: number };

/** Every entry of a menu tree, flat. */
function flat(menus: Menu[]): Menu[] {
  return menus.flatMap((menu) => [menu, ...flat(menu.children ?? [])]);
}

describe("the original web client's menu and node pages, for the deployment's administrators", () => {
  let app: TestApp;
  let admin: RegisteredMember;
  let owner: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    [admin, owner] = [await registerMember(app), await registerMember(app)];
    await reconfigure(app, { platform: { administrators: [admin.input.account.toUpperCase()] } });
  });
  after(() => app?.close());

  const as = (who: RegisteredMember) => ({ token: who.accessToken });
  const menuForm = (values: Record<string, unknown>) => ({
    title: 'Reports',
    url: 'reports/list',
    file_path: '',
    node: 'project/project/index',
    sort: '3',
    params: '',
    values: '',
    icon: 'bar-chart',
    show_slider: 'true',
    is_inner: 'false',
    ...values,
  });
  const allMenus = async () =>
    flat(await clientOk<Menu[]>(app, 'project/menu/menu', {}, { ...as(owner), minItems: 1 }));
  const shownTo = async (who: RegisteredMember) =>
    flat(await clientOk<Menu[]>(app, 'project/index', {}, as(who)));

  it('adds, edits, disables, enables and deletes menu entries as the page sends them', async () => {
    const group = await clientOk<Menu>(
      app,
      'project/menu/menuAdd',
      { ...menuForm({ title: 'Reports group', url: '#', node: '#' }), status: 1, dept: 1, pid: 0 },
      as(admin),
    );
    assert.equal(group.pid, 0);
    const page = await clientOk<Menu>(
      app,
      'project/menu/menuAdd',
      { ...menuForm({}), status: 1, dept: 2, pid: group.id },
      as(admin),
    );
    assert.deepEqual(
      [page.pid, page.file_path, page.show_slider, page.is_inner],
      [group.id, 'reports/list', 1, 0],
    );
    // Every member's menu shows it (the owner holds every node), through /api/v1 too.
    assert.ok((await shownTo(owner)).some((entry) => entry.id === page.id));
    const rest = await call<{ items: { id: string; title: string }[] }>(
      app,
      'GET',
      '/api/v1/menus',
      {
        token: owner.accessToken,
      },
    );
    assert.ok(rest.body.items.some((item) => item.title === 'Reports group'));

    await clientOk(
      app,
      'project/menu/menuEdit',
      { ...menuForm({ title: 'Monthly reports', is_inner: 'true' }), id: page.id },
      as(admin),
    );
    const edited = (await allMenus()).find((entry) => entry.id === page.id);
    assert.deepEqual([edited?.title, edited?.is_inner], ['Monthly reports', 1]);

    await clientOk(app, 'project/menu/menuForbid', { id: group.id, status: 0 }, as(admin));
    assert.equal((await allMenus()).find((entry) => entry.id === group.id)?.status, 0);
    const hidden = await shownTo(owner);
    assert.ok(!hidden.some((entry) => entry.id === group.id || entry.id === page.id));
    await clientOk(app, 'project/menu/menuResume', { id: group.id, status: 1 }, as(admin));
    assert.ok((await shownTo(owner)).some((entry) => entry.id === page.id));

    // A group with entries under it stays until they are deleted.
    assertClientCode(
      await clientCall(app, 'project/menu/menuDel', { id: group.id }, as(admin)),
      409,
      'a group with entries',
    );
    await clientOk(app, 'project/menu/menuDel', { id: page.id }, as(admin));
    await clientOk(app, 'project/menu/menuDel', { id: group.id }, as(admin));
    const left = await allMenus();
    assert.ok(!left.some((entry) => entry.id === page.id || entry.id === group.id));
    assertClientCode(
      await clientCall(app, 'project/menu/menuDel', { id: page.id }, as(admin)),
      4041,
      'deleted already',
    );
  });

  it('keeps the tree whole: three levels, known parents and nodes', async () => {
    const before = (await allMenus()).length;
    const third = (await allMenus()).find((entry) => entry.id === 151);
    assert.ok(third, 'the seeded 我的项目 entry sits on the third level');
    const tooDeep = await clientCall(
      app,
      'project/menu/menuAdd',
      { ...menuForm({}), status: 1, dept: 4, pid: 151 },
      as(admin),
    );
    assertClientCode(tooDeep, 400, 'a fourth level');
    assert.match(tooDeep.body.msg, /parentId/);
    const unknownNode = await clientCall(
      app,
      'project/menu/menuAdd',
      { ...menuForm({ node: 'project/nothing' }), status: 1, dept: 1, pid: 0 },
      as(admin),
    );
    assertClientCode(unknownNode, 400, 'an unknown node');
    assert.match(unknownNode.body.msg, /node/);
    assertClientCode(
      await clientCall(
        app,
        'project/menu/menuAdd',
        { ...menuForm({}), status: 1, dept: 2, pid: 99999 },
        as(admin),
      ),
      400,
      'an unknown parent',
    );
    assert.equal((await allMenus()).length, before);
  });

  it("refuses every change to anyone but the deployment's administrators, an organization's owner included (403)", async () => {
    const before = await allMenus();
    for (const [path, form] of [
      ['project/menu/menuAdd', { ...menuForm({}), status: 1, dept: 1, pid: 0 }],
      ['project/menu/menuEdit', { ...menuForm({ title: 'Taken' }), id: 151 }],
      ['project/menu/menuForbid', { id: 151, status: 0 }],
      ['project/menu/menuResume', { id: 151, status: 1 }],
      ['project/menu/menuDel', { id: 151 }],
      [
        'project/node/save',
        {
          list: JSON.stringify([
            { name: [{ name: 'title' }], value: [{ value: 'x' }], node: 'project' },
          ]),
        },
      ],
      ['project/node/clear', {}],
    ] as const) {
      assertClientCode(await clientCall(app, path, form, as(owner)), 403, path);
    }
    assert.deepEqual(await allMenus(), before);
    const { menus, permissions } = accessGrpcClients(app);
    try {
      await assert.rejects(
        unary(menus, 'createMenu', { title: 'x', url: 'x' }, bearer(owner.accessToken)),
        rejectsWith(status.PERMISSION_DENIED),
      );
      await assert.rejects(
        unary(permissions, 'clearNodes', {}, bearer(owner.accessToken)),
        rejectsWith(status.PERMISSION_DENIED),
      );
    } finally {
      menus.close();
      permissions.close();
    }
    const rest = await call(app, 'POST', '/api/v1/menus', {
      token: owner.accessToken,
      body: { title: 'x', url: 'x' },
    });
    assert.equal(rest.status, 403);
  });

  it("picks nodes for the menu form, and saves the node page's titles and flags", async () => {
    const found = await clientOk<Node[]>(
      app,
      'project/node/allList',
      { module: 'project', node: 'project/auth' },
      as(owner),
    );
    assert.ok(found.length > 1 && found.every((entry) => entry.node.includes('project/auth')));
    const none = await clientOk<Node[]>(
      app,
      'project/node/allList',
      { module: 'project', node: '#' },
      as(owner),
    );
    assert.deepEqual(
      none.map((entry) => entry.node),
      ['#'],
    );
    // As the page sends a title cell edit, then a flag checkbox on a group.
    await clientOk(
      app,
      'project/node/save',
      {
        list: JSON.stringify([
          {
            name: [{ name: 'title' }],
            value: [{ value: '角色列表（改）' }],
            node: 'project/auth/index',
          },
        ]),
      },
      as(admin),
    );
    await clientOk(
      app,
      'project/node/save',
      {
        list: JSON.stringify([
          { name: [{ name: 'is_menu' }], value: [{ value: true }], node: 'project/auth/add' },
          {
            name: [{ name: 'is_auth' }, { name: 'is_login' }],
            value: [{ value: true }, { value: true }],
            node: 'project/auth',
          },
        ]),
      },
      as(admin),
    );
    const nodes = await clientOk<Node[]>(
      app,
      'project/node/allList',
      { module: 'project', node: 'project/auth' },
      as(owner),
    );
    const byNode = new Map(nodes.map((entry) => [entry.node, entry]));
    assert.equal(byNode.get('project/auth/index')?.title, '角色列表（改）');
    assert.equal(byNode.get('project/auth/add')?.is_menu, 1);
    // The same catalogue through /api/v1.
    const rest = await call<{ nodes: { node: string; title: string }[] }>(
      app,
      'GET',
      '/api/v1/permission-nodes/search?node=project/auth/index',
      { token: owner.accessToken },
    );
    assert.equal(rest.body.nodes[0].title, '角色列表（改）');
    const unknown = await clientCall(
      app,
      'project/node/save',
      {
        list: JSON.stringify([
          { name: [{ name: 'title' }], value: [{ value: 'x' }], node: 'project/made-up' },
        ]),
      },
      as(admin),
    );
    assertClientCode(unknown, 400, 'an uncatalogued node');
    assert.match(unknown.body.msg, /nodes\[0\]\.node/);
  });

  it('clears catalogue rows the code does not have, with their grants', async () => {
    await sql(
      app,
      "INSERT INTO permission_node (id, node, title, parent, isMenu, isAuth, isLogin, sort) VALUES (99001, 'project/gone', 'Gone', 'project', 0, 1, 1, 0)",
    );
    await sql(
      app,
      "INSERT INTO org_role_node (roleId, node) SELECT id, 'project/gone' FROM org_role ORDER BY id LIMIT 1",
    );
    const cleared = await clientOk<{ removed: number }>(app, 'project/node/clear', {}, as(admin));
    assert.equal(cleared.removed, 1);
    const left = await sql<{ total: number }>(
      app,
      "SELECT COUNT(*) AS total FROM permission_node WHERE node = 'project/gone'",
    );
    assert.equal(Number(left[0].total), 0);
    const grants = await sql<{ total: number }>(
      app,
      "SELECT COUNT(*) AS total FROM org_role_node WHERE node = 'project/gone'",
    );
    assert.equal(Number(grants[0].total), 0);
    const again = await clientOk<{ removed: number }>(app, 'project/node/clear', {}, as(admin));
    assert.equal(again.removed, 0);
  });
});
