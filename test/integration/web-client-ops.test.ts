import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  addAccount,
  createDepartment,
  personalOrganization,
  roleOfKind,
  type AccountBody,
} from '../support/organizations';
import { board, createTask, type TaskBody } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;

describe("the original web client's task privacy, task members, project exits and account administration", () => {
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

  const account = async (id: string) =>
    (
      await call<AccountBody>(
        app,
        'GET',
        `/api/v1/organizations/${organizationCode}/accounts/${id}`,
        {
          token: owner.accessToken,
        },
      )
    ).body;

  const readTask = (who: RegisteredMember, id: string) =>
    call<TaskBody & { private: boolean }>(app, 'GET', `/api/v1/tasks/${id}`, {
      token: who.accessToken,
    });

  it('makes a task private and open again as the task menu sends it', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const made = await clientOk<Data>(
      app,
      'project/task/setPrivate',
      { taskCode: task.id, private: 1 },
      asOwner(),
    );
    assert.equal(made.private, 1);
    assert.equal((await readTask(member, task.id)).status, 404);

    const denied = await clientCall(
      app,
      'project/task/setPrivate',
      { taskCode: task.id, private: 0 },
      asMember(),
    );
    assertClientCode(denied, 4041, 'a private task the member is not on');

    await clientOk(app, 'project/task/setPrivate', { taskCode: task.id, private: 0 }, asOwner());
    assert.equal((await readTask(member, task.id)).body.private, false);
    const refused = await clientCall(
      app,
      'project/task/setPrivate',
      { taskCode: task.id, private: 1 },
      asMember(),
    );
    assertClientCode(refused, 403, 'a member not on the task');
    assert.equal((await readTask(owner, task.id)).body.private, false);
  });

  it("gives an account a role as the account page's role dialog sends it (id, auth)", async () => {
    const admin = await roleOfKind(app, owner.accessToken, organizationCode, 'admin');
    const answer = await clientOk<Data>(
      app,
      'project/account/auth',
      { id: memberAccount, auth: admin.id },
      asOwner(),
    );
    assert.equal(answer.authorize, admin.id);
    assert.equal((await account(memberAccount)).role?.id, admin.id);

    const memberRole = await roleOfKind(app, owner.accessToken, organizationCode, 'member');
    await clientOk(
      app,
      'project/account/auth',
      { id: memberAccount, auth: memberRole.id },
      asOwner(),
    );
    assert.equal((await account(memberAccount)).role?.id, memberRole.id);
  });

  it('refuses a role change without the right, of an unknown account, or to a role code that does not decode, changing nothing', async () => {
    const admin = await roleOfKind(app, owner.accessToken, organizationCode, 'admin');
    const before = (await account(memberAccount)).role?.id;
    const denied = await clientCall(
      app,
      'project/account/auth',
      { id: memberAccount, auth: admin.id },
      asMember(),
    );
    assertClientCode(denied, 403, 'auth by a plain member');
    const unknown = await clientCall(
      app,
      'project/account/auth',
      { id: 'nope', auth: admin.id },
      asOwner(),
    );
    assertClientCode(unknown, 4041, 'an unknown account');
    const badRole = await clientCall(
      app,
      'project/account/auth',
      { id: memberAccount, auth: 'nope' },
      asOwner(),
    );
    assertClientCode(badRole, 400, 'a role code that does not decode');
    assert.match(badRole.body.msg, /authCode/);
    assert.equal((await account(memberAccount)).role?.id, before);
  });

  it("changes a task's members as the invite menu sends them: the toggled codes, 'all' for everyone", async () => {
    const third = await registerMember(app);
    const { project, stages } = await board(app, owner, member);
    const joined = await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
      token: owner.accessToken,
      body: { memberId: third.id },
    });
    assert.equal(joined.status, 201);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const members = async () =>
      (
        await call<{ items: { member: { id: string } }[] }>(
          app,
          'GET',
          `/api/v1/tasks/${task.id}/members?pageSize=100`,
          { token: owner.accessToken },
        )
      ).body.items
        .map((row) => row.member.id)
        .sort();
    const invite = (codes: string[]) =>
      clientOk<{ list: Data[] }>(
        app,
        'project/task_member/inviteMemberBatch',
        { memberCodes: JSON.stringify(codes), taskCode: task.id },
        asOwner(),
      );

    const joinedTwo = await invite([member.id, third.id]);
    assert.equal(joinedTwo.list.length, 3);
    assert.deepEqual(await members(), [owner.id, member.id, third.id].sort());
    await invite([member.id]);
    assert.deepEqual(await members(), [owner.id, third.id].sort(), 'a toggled member leaves');
    await invite([owner.id]);
    assert.deepEqual(await members(), [owner.id, third.id].sort(), 'the creator stays');
    await invite([third.id, 'all']);
    assert.deepEqual(await members(), [owner.id, member.id, third.id].sort(), "'all' wins");

    const refused = await clientCall(
      app,
      'project/task_member/inviteMemberBatch',
      { memberCodes: '[1,{}]', taskCode: task.id },
      asOwner(),
    );
    assertClientCode(refused, 400, 'items of the wrong type');
    assert.match(refused.body.msg, /memberCodes/);
    const stranger = await registerMember(app);
    const hidden = await clientCall(
      app,
      'project/task_member/inviteMemberBatch',
      { memberCodes: JSON.stringify([stranger.id]), taskCode: task.id },
      { token: stranger.accessToken },
    );
    assertClientCode(hidden, 4041, 'a task of a project the caller is not in');
    assert.deepEqual(await members(), [owner.id, member.id, third.id].sort());
  });

  it("lists a department's accounts and reads one member's account as the department pages send them", async () => {
    const department = await createDepartment(app, owner.accessToken, organizationCode, 'Ops');
    const added = await call(
      app,
      'POST',
      `/api/v1/organizations/${organizationCode}/departments/${department.id}/members`,
      { token: owner.accessToken, body: { accountId: memberAccount } },
    );
    assert.ok(added.status < 300, JSON.stringify(added.body));
    const listed = await clientOk<{ list: Data[]; total: number }>(
      app,
      'project/department_member/index',
      { departmentCode: department.id, page: 1, pageSize: 20 },
      asOwner(),
    );
    assert.deepEqual([listed.total, listed.list.map((row) => row.code)], [1, [memberAccount]]);
    const detail = await clientOk<Data>(
      app,
      'project/department_member/detail',
      { code: member.id, organization: organizationCode },
      asOwner(),
    );
    assert.deepEqual(
      [detail.code, detail.member_code, detail.departments],
      [memberAccount, member.id, 'Ops'],
    );

    const outsider = await registerMember(app);
    const none = await clientCall(
      app,
      'project/department_member/detail',
      { code: outsider.id, organization: organizationCode },
      asOwner(),
    );
    assertClientCode(none, 4041, 'a member without an account here');
    const unknown = await clientCall(
      app,
      'project/department_member/index',
      { departmentCode: 'nope', page: 1, pageSize: 20 },
      asOwner(),
    );
    assertClientCode(unknown, 4041, 'an unknown department');
  });

  it('leaves a project as the project menu sends it, the owner never', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    const refused = await clientCall(
      app,
      'project/project/quit',
      { projectCode: project.id },
      asOwner(),
    );
    assertClientCode(refused, 409, 'the owner leaving');
    const left = await clientOk<Data>(
      app,
      'project/project/quit',
      { projectCode: project.id },
      asMember(),
    );
    assert.equal(left.unassignedTasks, 1);
    const read = await call<{ assignee: unknown }>(app, 'GET', `/api/v1/tasks/${task.id}`, {
      token: owner.accessToken,
    });
    assert.equal(read.body.assignee, null);
    const again = await clientCall(
      app,
      'project/project/quit',
      { projectCode: project.id },
      asMember(),
    );
    assertClientCode(again, 4041, 'a project left');
  });

  it('deletes a recycled project for good as the recycle bin sends it, only its owner', async () => {
    const { project } = await board(app, owner, member);
    const early = await clientCall(
      app,
      'project/project/delete',
      { projectCode: project.id },
      asOwner(),
    );
    assertClientCode(early, 409, 'a project out of the bin');
    await clientOk(app, 'project/project/recycle', { projectCode: project.id }, asOwner());
    const denied = await clientCall(
      app,
      'project/project/delete',
      { projectCode: project.id },
      asMember(),
    );
    assertClientCode(denied, 403, 'a member deleting');
    await clientOk(app, 'project/project/delete', { projectCode: project.id }, asOwner());
    const gone = await call(app, 'GET', `/api/v1/projects/${project.id}`, {
      token: owner.accessToken,
    });
    assert.equal(gone.status, 404);
  });

  it("edits an account's card as the account page sends it, shown in the account list", async () => {
    const answer = await clientOk<Data>(
      app,
      'project/account/edit',
      {
        code: memberAccount,
        name: '李四 (work)',
        email: 'lisi.work@example.test',
        mobile: '13800138000',
        position: 'Tester',
        description: '',
      },
      asOwner(),
    );
    assert.deepEqual(
      [answer.name, answer.email, answer.mobile, answer.position, answer.description],
      ['李四 (work)', 'lisi.work@example.test', '13800138000', 'Tester', ''],
    );
    const listed = await clientOk<{ list: Data[] }>(
      app,
      'project/account',
      { page: 1, pageSize: 20, searchType: 1, departmentCode: '' },
      asOwner(),
    );
    const row = listed.list.find((item) => item.code === memberAccount);
    assert.deepEqual([row?.name, row?.email], ['李四 (work)', 'lisi.work@example.test']);

    const bad = await clientCall(
      app,
      'project/account/edit',
      { code: memberAccount, name: 'x', email: 'nope', mobile: '', position: '', description: '' },
      asOwner(),
    );
    assertClientCode(bad, 400, 'a bad email');
    assert.match(bad.body.msg, /email/);
    const denied = await clientCall(
      app,
      'project/account/edit',
      { code: memberAccount, name: 'x', email: '', mobile: '', position: '', description: '' },
      asMember(),
    );
    assertClientCode(denied, 403, 'a member without the right');
    assert.equal((await account(memberAccount)).position, 'Tester');
  });

  it('disables and enables a role as the role page sends them', async () => {
    const created = await clientOk<Data>(
      app,
      'project/auth/add',
      { title: `Auditors ${Math.random().toString(36).slice(2, 8)}`, desc: '', status: 1, sort: 0 },
      asOwner(),
    );
    const id = created.id as string;
    const off = await clientOk<Data>(app, 'project/auth/forbid', { id, status: 0 }, asOwner());
    assert.equal(off.status, 0);
    const listed = await clientOk<{ list: Data[] }>(
      app,
      'project/auth',
      { page: 1, pageSize: 100 },
      asOwner(),
    );
    assert.equal(listed.list.find((role) => role.id === id)?.status, 0);
    const on = await clientOk<Data>(app, 'project/auth/resume', { id, status: 1 }, asOwner());
    assert.equal(on.status, 1);
    const denied = await clientCall(app, 'project/auth/forbid', { id, status: 0 }, asMember());
    assertClientCode(denied, 403, 'a member without the node');
  });
});
