import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { addAccount, personalOrganization, roleOfKind } from '../support/organizations';
import { createProject, systemTemplate } from '../support/projects';
import { assertClientCode, clientCall, clientOk, clientParams } from '../support/web-client';

type Data = Record<string, unknown>;
type List = { list: Data[]; total: number; page: number };
type Menu = Data & { id: number; pid: number; children?: Menu[] };

/** Every entry of a menu tree, groups and leaves. */
function flatten(entries: Menu[]): Menu[] {
  return entries.flatMap((entry) => [entry, ...flatten(entry.children ?? [])]);
}

function restMenuIds(items: { id: string; children: unknown[] | null }[]): number[] {
  return items.flatMap((item) => [
    decodeId(item.id, 'menu'),
    ...restMenuIds((item.children ?? []) as { id: string; children: unknown[] | null }[]),
  ]);
}

describe("the original web client's organization pages and header", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let organizationCode = '';
  let memberAccount = '';
  const asOwner = () => ({ token: owner.accessToken, organizationCode });
  const asMember = () => ({ token: member.accessToken, organizationCode });

  before(async () => {
    app = await startTestApp();
    owner = await registerMember(app);
    member = await registerMember(app);
    organizationCode = await personalOrganization(app, owner.accessToken);
    memberAccount = await addAccount(app, organizationCode, member.id, 'member');
  });
  after(() => app?.close());

  it('serves the menu the client builds its routes from: original ids, leaves without children, the home entry', async () => {
    const menu = await clientOk<Menu[]>(app, 'project/index', {}, asOwner());
    const all = flatten(menu);
    const home = all.find((entry) => entry.id === 120);
    assert.ok(home, 'the home entry, or the client lands on its 404');
    assert.deepEqual([home.url, home.params, home.file_path], ['home', ':org', 'home']);
    assert.equal('children' in home, false, 'a leaf has no children key');
    const myProjects = all.find((entry) => entry.id === 151)!;
    assert.deepEqual([myProjects.pid, myProjects.fullUrl], [122, 'project/list/my']);
    for (const entry of all) {
      if ('children' in entry) assert.ok(entry.children!.length > 0, `group ${entry.id}`);
      for (const child of entry.children ?? []) assert.equal(child.pid, entry.id);
    }
    const rest = await call<{ items: { id: string; children: unknown[] | null }[] }>(
      app,
      'GET',
      `/api/v1/organizations/${organizationCode}/menu`,
      { token: owner.accessToken },
    );
    assert.deepEqual(
      all.map((entry) => entry.id),
      restMenuIds(rest.body.items),
      'the same entries as /api/v1',
    );
  });

  it('shows a member what the member role grants, the organization named by the header', async () => {
    const ownerIds = flatten(await clientOk<Menu[]>(app, 'project/index', {}, asOwner())).map(
      (entry) => entry.id,
    );
    const memberMenu = flatten(await clientOk<Menu[]>(app, 'project/index', {}, asMember()));
    const memberIds = memberMenu.map((entry) => entry.id);
    assert.ok(memberIds.includes(120) && memberIds.includes(151));
    assert.ok(memberIds.every((id) => ownerIds.includes(id)));
    assert.ok(memberIds.length < ownerIds.length, 'the admin pages are not in it');
    const rest = await call<{ items: { id: string; children: unknown[] | null }[] }>(
      app,
      'GET',
      `/api/v1/organizations/${organizationCode}/menu`,
      { token: member.accessToken },
    );
    assert.deepEqual(memberIds, restMenuIds(rest.body.items));
    const stranger = await registerMember(app);
    assertClientCode(
      await clientCall(app, 'project/index', {}, { token: stranger.accessToken, organizationCode }),
      403,
      "another's organization",
    );
  });

  it('lists the whole menu and the node catalogue for the settings pages', async () => {
    const whole = flatten(await clientOk<Menu[]>(app, 'project/menu/menu', {}, asMember()));
    const shown = flatten(await clientOk<Menu[]>(app, 'project/index', {}, asOwner()));
    assert.ok(shown.every((entry) => whole.some((row) => row.id === entry.id)));
    assert.equal(whole.find((entry) => entry.id === 151)!.statusText, '使用中');
    const { nodes } = await clientOk<{ nodes: Data[] }>(
      app,
      'project/node',
      { module: '' },
      asMember(),
    );
    const group = nodes.find((node) => Array.isArray(node.children))!;
    assert.ok(group, 'the catalogue has groups');
    for (const child of group.children as Data[]) assert.equal(child.pnode, group.node);
    const rest = await call<{ nodes: { node: string }[] }>(app, 'GET', '/api/v1/permission-nodes', {
      token: member.accessToken,
    });
    assert.deepEqual(
      nodes.map((node) => node.node),
      rest.body.nodes.map((node) => node.node),
    );
  });

  it("lists the roles and replaces a role's nodes from the JSON text the client sends", async () => {
    const roles = await clientOk<List>(app, 'project/auth', { page: 1, pageSize: 10 }, asOwner());
    const memberRole = await roleOfKind(app, owner.accessToken, organizationCode, 'member');
    const row = roles.list.find((role) => role.id === memberRole.id)!;
    assert.equal(row.title, memberRole.name);
    assert.equal(row.canDelete, 0, 'a built-in role');

    // As the client sends it: the empty nodes list is dropped, its "&" left behind.
    const read = await clientCall<{ list: Data[]; checkedList: string[] }>(
      app,
      'project/auth/apply',
      {},
      { ...asOwner(), rawBody: `action=getnode&id=${memberRole.id}&` },
    );
    assertClientCode(read, 200, 'getnode');
    const rest = await call<{ checked: string[] }>(
      app,
      'GET',
      `/api/v1/organizations/${organizationCode}/roles/${memberRole.id}/nodes`,
      { token: owner.accessToken },
    );
    assert.deepEqual(read.body.data.checkedList, rest.body.checked);
    const nodes = [...rest.body.checked, 'project/department/save'];
    const saved = await clientOk<{ checkedList: string[] }>(
      app,
      'project/auth/apply',
      { action: 'save', id: memberRole.id, nodes: JSON.stringify(nodes) },
      asOwner(),
    );
    assert.deepEqual([...saved.checkedList].sort(), [...nodes].sort());
    const after = await call<{ checked: string[] }>(
      app,
      'GET',
      `/api/v1/organizations/${organizationCode}/roles/${memberRole.id}/nodes`,
      { token: owner.accessToken },
    );
    assert.deepEqual([...after.body.checked].sort(), [...nodes].sort(), 'seen through /api/v1');

    const unknown = await clientCall(
      app,
      'project/auth/apply',
      clientParams('project/auth/apply', {
        action: 'save',
        id: memberRole.id,
        nodes: JSON.stringify(['no/such/node']),
      }),
      asOwner(),
    );
    assertClientCode(unknown, 400, 'an unknown node');
    assert.match(unknown.body.msg, /^nodes\.0: /);
    assertClientCode(
      await clientCall(
        app,
        'project/auth/apply',
        { action: 'getnode', id: memberRole.id },
        asMember(),
      ),
      403,
      'the member role may not change roles',
    );
  });

  it('creates departments, opens the tree level by level, reads and renames one', async () => {
    const top = await clientOk<Data>(
      app,
      'project/department/save',
      { departmentCode: '', parentDepartmentCode: '', name: 'R&D 研发' },
      asOwner(),
    );
    const child = await clientOk<Data>(
      app,
      'project/department/save',
      { departmentCode: '', parentDepartmentCode: top.code, name: 'Backend' },
      asOwner(),
    );
    assert.equal(child.pcode, top.code);
    const level = await clientOk<List>(
      app,
      'project/department',
      { page: 1, pageSize: 100 },
      asOwner(),
    );
    const listed = level.list.find((department) => department.code === top.code)!;
    assert.equal(listed.hasNext, 1, 'it opens further');
    const below = await clientOk<List>(
      app,
      'project/department',
      { page: 1, pageSize: 100, pcode: top.code },
      asOwner(),
    );
    assert.deepEqual(
      below.list.map((department) => [department.code, department.hasNext]),
      [[child.code, 0]],
    );
    const read = await clientOk<Data>(
      app,
      'project/department/read',
      { departmentCode: child.code },
      asMember(),
    );
    assert.equal(read.name, 'Backend');
    await clientOk(
      app,
      'project/department/save',
      { departmentCode: child.code, parentDepartmentCode: top.code, name: 'Platform' },
      asOwner(),
    );
    const rest = await call<{ name: string; parentId: string }>(
      app,
      'GET',
      `/api/v1/organizations/${organizationCode}/departments/${String(child.code)}`,
      { token: owner.accessToken },
    );
    assert.deepEqual([rest.body.name, rest.body.parentId], ['Platform', top.code]);

    // The member role now holds department/save (set above), not department/edit.
    await clientOk(
      app,
      'project/department/save',
      { departmentCode: '', parentDepartmentCode: '', name: 'Made by a member' },
      asMember(),
    );
    const rename = await clientCall(
      app,
      'project/department/save',
      clientParams('project/department/save', {
        departmentCode: child.code,
        parentDepartmentCode: '',
        name: 'Renamed by a member',
      }),
      asMember(),
    );
    assertClientCode(rename, 403, 'a rename needs department/edit');
    assertClientCode(
      await clientCall(app, 'project/department/read', { departmentCode: 'nothing' }, asOwner()),
      4041,
      'a code that names nothing',
    );
  });

  it("lists the organization's accounts by status and department, with the roles", async () => {
    const department = await clientOk<Data>(
      app,
      'project/department/save',
      { departmentCode: '', parentDepartmentCode: '', name: 'Sales' },
      asOwner(),
    );
    const moved = await call(
      app,
      'PATCH',
      `/api/v1/organizations/${organizationCode}/accounts/${memberAccount}`,
      { token: owner.accessToken, body: { departmentId: department.code } },
    );
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const everyone = await clientOk<List & { authList: Data[] }>(
      app,
      'project/account',
      { page: 1, pageSize: 30, searchType: 1, departmentCode: '' },
      asOwner(),
    );
    assert.deepEqual(everyone.list.map((account) => account.is_owner).sort(), [0, 1]);
    const memberRole = await roleOfKind(app, owner.accessToken, organizationCode, 'member');
    assert.ok(everyone.authList.some((role) => role.id === memberRole.id && role.title));
    const inSales = await clientOk<List>(
      app,
      'project/account',
      { page: 1, pageSize: 30, searchType: 4, departmentCode: department.code },
      asOwner(),
    );
    assert.deepEqual(
      inSales.list.map((account) => [account.membar_account_code, account.departments]),
      [[memberAccount, 'Sales']],
    );
    const disabled = await call(
      app,
      'POST',
      `/api/v1/organizations/${organizationCode}/accounts/${memberAccount}/disable`,
      { token: owner.accessToken },
    );
    assert.equal(disabled.status, 200);
    const off = await clientOk<List>(
      app,
      'project/account',
      { page: 1, pageSize: 30, searchType: 3, departmentCode: '' },
      asOwner(),
    );
    assert.deepEqual(
      off.list.map((account) => [account.code, account.status]),
      [[memberAccount, 0]],
    );
    assert.equal(off.list[0].email, '', "never a member's contact details");
  });

  it('lists the accounts in no department (searchType 2) and finds accounts by keyword, wildcards literal', async () => {
    const tag = randomBytes(3).toString('hex');
    const placed = await registerMember(app, { name: `Placed x_y${tag}` });
    const loose = await registerMember(app, { name: `Loose xzy${tag}` });
    const [placedAccount, looseAccount] = [
      await addAccount(app, organizationCode, placed.id),
      await addAccount(app, organizationCode, loose.id),
    ];
    const department = await clientOk<Data>(
      app,
      'project/department/save',
      { departmentCode: '', parentDepartmentCode: '', name: `Support ${tag}` },
      asOwner(),
    );
    const moved = await call(
      app,
      'PATCH',
      `/api/v1/organizations/${organizationCode}/accounts/${placedAccount}`,
      { token: owner.accessToken, body: { departmentId: department.code } },
    );
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    // The client sends keyword beside the contract's fields once something is typed.
    const accounts = async (params: Data) => {
      const answer = await clientCall<List>(
        app,
        'project/account',
        { page: 1, pageSize: 100, departmentCode: '', ...params },
        asOwner(),
      );
      assert.equal(answer.body.code, 200, JSON.stringify(answer.body));
      return answer.body.data.list;
    };

    const everyone = await accounts({ searchType: 1 });
    const unplaced = await accounts({ searchType: 2 });
    assert.ok(unplaced.some((account) => account.code === looseAccount));
    assert.deepEqual(
      unplaced.map((account) => account.code).sort(),
      everyone
        .filter((account) => account.department_code === '')
        .map((account) => account.code)
        .sort(),
      'exactly the active accounts in no department',
    );
    assert.ok(!unplaced.some((account) => account.code === placedAccount));

    const codes = async (keyword: string, searchType = 1) =>
      (await accounts({ searchType, keyword })).map((account) => account.code).sort();
    assert.deepEqual(await codes(`x_y${tag}`), [placedAccount], '_ is no wildcard');
    assert.deepEqual(await codes(`y${tag}`), [looseAccount, placedAccount].sort(), 'by name');
    assert.deepEqual(await codes(loose.input.account.slice(2)), [looseAccount], 'by account');
    assert.deepEqual(await codes(placed.input.email.split('@')[0]), [placedAccount], 'by email');
    assert.deepEqual(await codes(`y${tag}`, 2), [looseAccount], 'with searchType 2');
    assert.deepEqual(await codes(`%${tag}`), [], '% is no wildcard');
  });

  it('moves a department with its sub-departments when a rename names another parent', async () => {
    const save = (params: Data) =>
      clientOk<Data>(app, 'project/department/save', params, asOwner());
    const from = await save({ departmentCode: '', parentDepartmentCode: '', name: 'Old home' });
    const to = await save({ departmentCode: '', parentDepartmentCode: '', name: 'New home' });
    const team = await save({ departmentCode: '', parentDepartmentCode: from.code, name: 'Team' });
    const squad = await save({
      departmentCode: '',
      parentDepartmentCode: team.code,
      name: 'Squad',
    });
    const renamed = await save({
      departmentCode: team.code,
      parentDepartmentCode: to.code,
      name: 'Moved team',
    });
    assert.deepEqual([renamed.name, renamed.pcode], ['Moved team', to.code]);
    const below = async (pcode: unknown) =>
      (
        await clientOk<List>(
          app,
          'project/department',
          { page: 1, pageSize: 100, pcode },
          { ...asOwner(), minItems: 0 },
        )
      ).list.map((department) => department.code);
    assert.deepEqual(await below(to.code), [team.code]);
    assert.deepEqual(await below(from.code), []);
    assert.deepEqual(await below(team.code), [squad.code], 'its sub-departments came along');
    const tree = await call<{
      items: { id: string; children: { id: string; children: { id: string }[] }[] }[];
    }>(app, 'GET', `/api/v1/organizations/${organizationCode}/departments/tree`, {
      token: owner.accessToken,
    });
    assert.equal(tree.status, 200, JSON.stringify(tree.body));
    const newHome = tree.body.items.find((node) => node.id === to.code)!;
    assert.deepEqual(
      newHome.children.map((node) => [node.id, node.children.map((child) => child.id)]),
      [[team.code, [squad.code]]],
    );
    assertClientCode(
      await clientCall(
        app,
        'project/department/save',
        { departmentCode: to.code, parentDepartmentCode: squad.code, name: 'Loop' },
        asOwner(),
      ),
      400,
      'not under its own sub-department',
    );
  });

  it('polls the unread notifications for the header bell: task events as messages, the others as notices', async () => {
    const colleague = await registerMember(app);
    const template = await systemTemplate(app, colleague.accessToken);
    const project = await createProject(app, colleague.accessToken, {
      name: '<img src=x onerror=alert(1)>',
      templateId: template.id,
    });
    const added = await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
      token: colleague.accessToken,
      body: { memberId: owner.id },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const stages = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      `/api/v1/projects/${project.id}/stages`,
      { token: colleague.accessToken },
    );
    const task = await call<{ id: string }>(app, 'POST', `/api/v1/projects/${project.id}/tasks`, {
      token: colleague.accessToken,
      body: { stageId: stages.body.items[0].id, name: 'For you', assigneeId: owner.id },
    });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    type Tab = Data & { action: string; send_data: string; type: string };
    const bell = await clientOk<{
      list: { message: Tab[]; notice: Tab[]; task: Data[] };
      total: number;
      totalSum: { message: number; notice: number; task: number };
    }>(app, 'project/notify/noReads', {}, asOwner());
    const unread = await call<{ unread: number; byKind: Record<string, number> }>(
      app,
      'GET',
      '/api/v1/me/notifications/unread-count',
      { token: owner.accessToken },
    );
    assert.equal(bell.total, unread.body.unread);
    assert.deepEqual(bell.totalSum, {
      message: unread.body.byKind.taskAssigned + unread.body.byKind.mentioned,
      notice:
        unread.body.byKind.addedToProject + unread.body.byKind.invited + unread.body.byKind.system,
      task: 0,
    });
    assert.ok(bell.totalSum.message >= 1 && bell.totalSum.notice >= 1);
    const assigned = bell.list.message.find((message) => message.type === 'taskAssigned')!;
    assert.equal(assigned.action, 'task');
    assert.deepEqual(JSON.parse(assigned.send_data), {
      code: task.body.id,
      project_code: project.id,
    });
    assert.ok(bell.list.message.every((message) => message.action === 'task'));
    const joined = bell.list.notice.find((notice) => notice.type === 'addedToProject')!;
    assert.deepEqual([joined.action, JSON.parse(joined.send_data)], ['notice', {}]);
    assert.ok(bell.list.notice.every((notice) => notice.type !== 'taskAssigned'));
    assert.deepEqual(bell.list.task, [], 'no task reminders');
    for (const item of [...bell.list.message, ...bell.list.notice]) {
      assert.doesNotMatch(String(item.content), /</, 'shown as HTML: escaped');
    }
    const events = await clientOk<List>(
      app,
      'project/events/myList',
      { page: 1, pageSize: 10, deleted: 0 },
      { ...asOwner(), minItems: 0 },
    );
    assert.deepEqual([events.list, events.total], [[], 0]);
  });
});
