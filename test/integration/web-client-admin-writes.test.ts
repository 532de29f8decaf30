import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  type AccountBody,
  addAccount,
  createDepartment,
  personalOrganization,
  roleOfKind,
} from '../support/organizations';
import { board, createTask } from '../support/projects';
import { assertClientCode, clientCall, clientOk, clientParams } from '../support/web-client';

type Data = Record<string, unknown>;
type RoleBody = { id: string; name: string; description: string | null; isDefault: boolean };

describe("the original web client's organization administration writes", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let organizationCode = '';
  let memberAccount = '';
  const asOwner = () => ({ token: owner.accessToken, organizationCode });
  const asMember = () => ({ token: member.accessToken, organizationCode });
  const org = () => `/api/v1/organizations/${organizationCode}`;

  async function roles(): Promise<RoleBody[]> {
    const answer = await call<{ items: RoleBody[] }>(app, 'GET', `${org()}/roles?pageSize=100`, {
      token: owner.accessToken,
    });
    assert.equal(answer.status, 200);
    return answer.body.items;
  }

  async function account(id: string) {
    return call<AccountBody>(app, 'GET', `${org()}/accounts/${id}`, { token: owner.accessToken });
  }

  before(async () => {
    app = await startTestApp();
    owner = await registerMember(app);
    member = await registerMember(app);
    organizationCode = await personalOrganization(app, owner.accessToken);
    memberAccount = await addAccount(app, organizationCode, member.id, 'member');
  });
  after(() => app?.close());

  it('creates, edits, makes default and deletes a role as the role page sends them', async () => {
    const created = await clientOk<Data>(
      app,
      'project/auth/add',
      { title: 'Reviewers', desc: 'read and comment', status: 1, sort: 0 },
      asOwner(),
    );
    const id = created.id as string;
    let role = (await roles()).find((item) => item.id === id);
    assert.deepEqual([role?.name, role?.description], ['Reviewers', 'read and comment']);

    await clientOk(app, 'project/auth/edit', { title: 'Auditors', desc: '', id }, asOwner());
    role = (await roles()).find((item) => item.id === id);
    assert.deepEqual([role?.name, role?.description], ['Auditors', null]);

    await clientOk(app, 'project/auth/setDefault', { id, is_default: 1 }, asOwner());
    assert.deepEqual(
      (await roles()).filter((item) => item.isDefault).map((item) => item.id),
      [id],
    );
    // The default role cannot go: nothing changes.
    const refused = await clientCall(app, 'project/auth/del', { id }, asOwner());
    assert.notEqual(refused.body.code, 200);
    assert.ok((await roles()).some((item) => item.id === id));

    const memberRole = await roleOfKind(app, owner.accessToken, organizationCode, 'member');
    await clientOk(app, 'project/auth/setDefault', { id: memberRole.id, is_default: 1 }, asOwner());
    await clientOk(app, 'project/auth/del', { id }, asOwner());
    assert.equal(
      (await roles()).some((item) => item.id === id),
      false,
    );
  });

  it('refuses an empty role title, naming the field, and creates nothing', async () => {
    const before = (await roles()).length;
    const answer = await clientCall(
      app,
      'project/auth/add',
      clientParams('project/auth/add', { title: ' ', desc: '' }),
      asOwner(),
    );
    assert.equal(answer.body.code, 400, JSON.stringify(answer.body));
    assert.match(answer.body.msg, /title/);
    assert.equal((await roles()).length, before);
  });

  it('a role unknown to the organization is not found', async () => {
    const answer = await clientCall(app, 'project/auth/del', { id: 'nope' }, asOwner());
    assertClientCode(answer, 4041, 'auth/del');
  });

  it('disables and enables an account as the member page sends them', async () => {
    await clientOk(
      app,
      'project/account/forbid',
      { accountCode: memberAccount, status: 0 },
      asOwner(),
    );
    assert.equal((await account(memberAccount)).body.status, 'disabled');
    await clientOk(
      app,
      'project/account/resume',
      { accountCode: memberAccount, status: 1 },
      asOwner(),
    );
    assert.equal((await account(memberAccount)).body.status, 'active');
  });

  it("a member without the right cannot disable an account, and the owner's is never disabled", async () => {
    const denied = await clientCall(
      app,
      'project/account/forbid',
      { accountCode: memberAccount, status: 0 },
      asMember(),
    );
    assertClientCode(denied, 403, 'forbid by a member');
    assert.equal((await account(memberAccount)).body.status, 'active');

    const accounts = await call<{ items: AccountBody[] }>(app, 'GET', `${org()}/accounts`, {
      token: owner.accessToken,
    });
    const ownAccount = accounts.body.items.find((item) => item.owner)!;
    const refused = await clientCall(
      app,
      'project/account/forbid',
      { accountCode: ownAccount.id, status: 0 },
      asOwner(),
    );
    assert.notEqual(refused.body.code, 200);
    assert.equal((await account(ownAccount.id)).body.status, 'active');
  });

  it('edits, empties and deletes a department as the department page sends them', async () => {
    const sales = await createDepartment(app, owner.accessToken, organizationCode, 'Sales');
    const parent = await createDepartment(app, owner.accessToken, organizationCode, 'Commerce');
    const edited = await clientOk<Data>(
      app,
      'project/department/edit',
      { departmentCode: sales.id, parentDepartmentCode: parent.id, name: 'Field sales' },
      asOwner(),
    );
    assert.equal(edited.name, 'Field sales');
    const read = await call<{ name: string; parentId: string }>(
      app,
      'GET',
      `${org()}/departments/${sales.id}`,
      { token: owner.accessToken },
    );
    assert.deepEqual([read.body.name, read.body.parentId], ['Field sales', parent.id]);

    const added = await call(app, 'POST', `${org()}/departments/${sales.id}/members`, {
      token: owner.accessToken,
      body: { accountId: memberAccount },
    });
    assert.ok(added.status < 300, JSON.stringify(added.body));
    const full = await clientCall(
      app,
      'project/department/delete',
      { departmentCode: sales.id },
      asOwner(),
    );
    assert.notEqual(full.body.code, 200, 'a department with members stays');

    await clientOk(
      app,
      'project/department_member/removeMember',
      { accountCode: memberAccount, departmentCode: sales.id },
      asOwner(),
    );
    assert.equal((await account(memberAccount)).body.department, null);

    await clientOk(app, 'project/department/delete', { departmentCode: sales.id }, asOwner());
    const gone = await call(app, 'GET', `${org()}/departments/${sales.id}`, {
      token: owner.accessToken,
    });
    assert.equal(gone.status, 404);
  });

  it("puts an account into a department from the department's invite dialog", async () => {
    const support = await createDepartment(app, owner.accessToken, organizationCode, 'Support');
    const offered = await clientOk<Data[]>(
      app,
      'project/department_member/searchInviteMember',
      { keyword: member.input.name, departmentCode: support.id },
      asOwner(),
    );
    assert.deepEqual(
      offered.map((row) => [row.accountCode, row.joined]),
      [[memberAccount, false]],
      'the one account named so, not yet in the department',
    );
    await clientOk(
      app,
      'project/department_member/inviteMember',
      { accountCode: memberAccount, departmentCode: support.id },
      asOwner(),
    );
    assert.equal((await account(memberAccount)).body.department?.id, support.id);
    const again = await clientOk<Data[]>(
      app,
      'project/department_member/searchInviteMember',
      { keyword: member.input.name, departmentCode: support.id },
      asOwner(),
    );
    assert.deepEqual(
      again.map((row) => row.joined),
      [true],
    );
    assertClientCode(
      await clientCall(
        app,
        'project/department_member/inviteMember',
        { accountCode: memberAccount, departmentCode: support.id },
        asMember(),
      ),
      403,
      'a member without the right',
    );
    const out = await call(
      app,
      'DELETE',
      `${org()}/departments/${support.id}/members/${memberAccount}`,
      { token: owner.accessToken },
    );
    assert.equal(out.status, 204, 'the account leaves the department again');
  });

  it('removes an account from the organization as the member page sends it', async () => {
    const leaver = await registerMember(app);
    const leaverAccount = await addAccount(app, organizationCode, leaver.id, 'member');
    await clientOk(app, 'project/account/del', { accountCode: leaverAccount }, asOwner());
    assert.equal((await account(leaverAccount)).status, 404);
  });
});

describe("the original web client's batch task writes", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let outsider: RegisteredMember;
  let projectId = '';
  let stageIds: string[] = [];
  const asOwner = () => ({ token: owner.accessToken });

  async function task(id: string) {
    return call<{ assignee: { id: string } | null }>(app, 'GET', `/api/v1/tasks/${id}`, {
      token: owner.accessToken,
    });
  }

  before(async () => {
    app = await startTestApp();
    owner = await registerMember(app);
    member = await registerMember(app);
    outsider = await registerMember(app);
    const made = await board(app, owner, member);
    projectId = made.project.id;
    stageIds = made.stages.map((stage) => stage.id);
  });
  after(() => app?.close());

  it('gives every task of a stage to a project member as the stage menu sends it', async () => {
    const tasks = [
      await createTask(app, owner.accessToken, projectId, stageIds[0]),
      await createTask(app, owner.accessToken, projectId, stageIds[0]),
    ];
    await clientOk(
      app,
      'project/task/batchAssignTask',
      { taskCodes: JSON.stringify(tasks.map((item) => item.id)), executorCode: member.id },
      asOwner(),
    );
    for (const item of tasks) assert.equal((await task(item.id)).body.assignee?.id, member.id);
  });

  it('refuses a member outside the project and more than 100 tasks, changing nothing', async () => {
    const item = await createTask(app, owner.accessToken, projectId, stageIds[0]);
    const outside = await clientCall(
      app,
      'project/task/batchAssignTask',
      { taskCodes: JSON.stringify([item.id]), executorCode: outsider.id },
      asOwner(),
    );
    assert.equal(outside.body.code, 400, JSON.stringify(outside.body));
    const tooMany = await clientCall(
      app,
      'project/task/batchAssignTask',
      { taskCodes: JSON.stringify(Array(101).fill(item.id)), executorCode: member.id },
      asOwner(),
    );
    assert.equal(tooMany.body.code, 400, JSON.stringify(tooMany.body));
    assert.match(tooMany.body.msg, /taskCodes/);
    assert.equal((await task(item.id)).body.assignee, null);
  });

  it('moves every task of a stage to the recycle bin as the stage menu sends it', async () => {
    const kept = await createTask(app, owner.accessToken, projectId, stageIds[2]);
    const tasks = [
      await createTask(app, owner.accessToken, projectId, stageIds[1]),
      await createTask(app, owner.accessToken, projectId, stageIds[1]),
    ];
    await clientOk(app, 'project/task/recycleBatch', { stageCode: stageIds[1] }, asOwner());
    const bin = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      `/api/v1/projects/${projectId}/recycled-tasks?pageSize=100`,
      { token: owner.accessToken },
    );
    const recycled = bin.body.items.map((item) => item.id);
    for (const item of tasks) assert.ok(recycled.includes(item.id), item.id);
    assert.equal(recycled.includes(kept.id), false, 'another stage keeps its tasks');
  });

  it('a stage of a project the caller is not in is not found, and stays as it was', async () => {
    const item = await createTask(app, owner.accessToken, projectId, stageIds[1]);
    const answer = await clientCall(
      app,
      'project/task/recycleBatch',
      { stageCode: stageIds[1] },
      { token: outsider.accessToken },
    );
    assertClientCode(answer, 4041, 'recycleBatch by an outsider');
    assert.equal((await task(item.id)).status, 200, 'the task stays on the board');
  });
});
