import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { notificationsOf } from '../support/notifications';
import {
  addAccount,
  invitationInto,
  personalOrganization,
  roleOfKind,
} from '../support/organizations';
import { board } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;

describe("the original web client's member profile, pickers, account add and personal reads", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let organizationId: string;
  let memberAccount: string;

  before(async () => {
    app = await startTestApp();
    [owner, member] = [await registerMember(app), await registerMember(app)];
    organizationId = await personalOrganization(app, owner.accessToken);
    memberAccount = await addAccount(app, organizationId, member.id, 'member');
  });
  after(() => app?.close());

  const as = (who: RegisteredMember) => ({
    token: who.accessToken,
    organizationCode: organizationId,
  });

  /** A custom role without any node for the account. */
  async function stripRole(accountId: string): Promise<void> {
    const role = await call<{ id: string }>(
      app,
      'POST',
      `/api/v1/organizations/${organizationId}/roles`,
      {
        token: owner.accessToken,
        body: { name: `Bare ${Math.random().toString(36).slice(2, 8)}` },
      },
    );
    const assigned = await call(
      app,
      'PUT',
      `/api/v1/organizations/${organizationId}/accounts/${accountId}/role`,
      { token: owner.accessToken, body: { roleId: role.body.id } },
    );
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
  }

  it("reads an account as the profile page shows it, and syncs the member's email and mobile into its card", async () => {
    const read = await clientOk<Data>(
      app,
      'project/account/read',
      { code: memberAccount },
      as(owner),
    );
    assert.equal(read.code, memberAccount);
    assert.equal(read.member_code, member.id);
    assert.equal(read.email, '');
    assert.equal(read.mobile, '');
    await clientOk(app, 'project/account/_syncDetail', { code: memberAccount }, as(owner));
    const synced = await clientOk<Data>(
      app,
      'project/account/read',
      { code: memberAccount },
      as(owner),
    );
    assert.equal(synced.email, member.input.email.toLowerCase());
    assert.equal(synced.mobile, member.input.mobile);
    // The same card through /api/v1.
    const rest = await call<{ email: string; mobile: string }>(
      app,
      'GET',
      `/api/v1/organizations/${organizationId}/accounts/${memberAccount}`,
      { token: owner.accessToken },
    );
    assert.deepEqual([rest.body.email, rest.body.mobile], [synced.email, synced.mobile]);
  });

  it('keeps a filled card as it is, and refuses a role without project/account/edit (403)', async () => {
    const other = await registerMember(app);
    const account = await addAccount(app, organizationId, other.id, 'member');
    const edited = await call(
      app,
      'PATCH',
      `/api/v1/organizations/${organizationId}/accounts/${account}`,
      { token: owner.accessToken, body: { email: 'card@example.test' } },
    );
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    await clientOk(app, 'project/account/_syncDetail', { code: account }, as(owner));
    const read = await clientOk<Data>(app, 'project/account/read', { code: account }, as(owner));
    assert.equal(read.email, 'card@example.test');
    assert.equal(read.mobile, other.input.mobile);
    const bare = await registerMember(app);
    const bareAccount = await addAccount(app, organizationId, bare.id, 'member');
    await stripRole(bareAccount);
    assertClientCode(
      await clientCall(app, 'project/account/_syncDetail', { code: account }, as(bare)),
      403,
      'a role without the node syncs',
    );
    assertClientCode(
      await clientCall(app, 'project/account/read', { code: account }, as(bare)),
      403,
      'a role without the node reads',
    );
    assertClientCode(
      await clientCall(app, 'project/account/read', { code: 'nope' }, as(owner)),
      4041,
      'an unknown account',
    );
  });

  it("lists every active account for the calendar's picker, matching the keyword", async () => {
    const all = await clientOk<{ memberCode: string; name: string }[]>(
      app,
      'project/account/_allList',
      { page: 1, pageSize: 10, keyword: '' },
      as(member),
    );
    const codes = all.map((row) => row.memberCode);
    assert.ok(codes.includes(owner.id) && codes.includes(member.id));
    const matching = await clientOk<{ memberCode: string }[]>(
      app,
      'project/account/_allList',
      { page: 1, pageSize: 10, keyword: member.input.account },
      as(owner),
    );
    assert.deepEqual(
      matching.map((row) => row.memberCode),
      [member.id],
    );
    assert.ok(!JSON.stringify(all).includes(owner.input.mobile), "no member's own mobile");
  });

  it('adds someone by email as an invitation they accept, refusing a role without the node', async () => {
    const invitee = await registerMember(app);
    const answer = await clientCall(
      app,
      'project/account/add',
      { name: 'New one', mobile: '', email: invitee.input.email, description: '', id: 0 },
      as(owner),
    );
    assert.equal(answer.body.code, 200, JSON.stringify(answer.body));
    const invitation = await invitationInto(app, invitee.accessToken, organizationId);
    assert.equal(invitation.inviter.id, owner.id);
    const bad = await clientCall(
      app,
      'project/account/add',
      { name: 'x', mobile: '', email: 'not-an-email', description: '', id: 0 },
      as(owner),
    );
    assertClientCode(bad, 400, 'a bad email');
    assert.match(bad.body.msg, /email/);
    const bare = await registerMember(app);
    await stripRole(await addAccount(app, organizationId, bare.id, 'member'));
    assertClientCode(
      await clientCall(
        app,
        'project/account/add',
        { name: 'x', mobile: '', email: invitee.input.email, description: '', id: 0 },
        as(bare),
      ),
      403,
      'a role without project/account/add',
    );
    assert.ok(await roleOfKind(app, owner.accessToken, organizationId, 'member'));
  });

  it("reads the member's own details, whatever id is sent", async () => {
    const info = await clientOk<Data>(app, 'project/index/info', { id: owner.id }, as(member));
    assert.deepEqual(
      [info.code, info.name, info.email],
      [member.id, member.input.name, member.input.email.toLowerCase()],
    );
  });

  it('lists my notifications by type with their counts, read ones too', async () => {
    const { project } = await board(app, owner, member);
    const rest = await notificationsOf(app, member.accessToken);
    assert.ok(rest.total >= 1);
    const types = await clientOk<{
      list: { notice: Data[]; message: Data[]; task: Data[] };
      total: number;
      totalSum: { notice: number; message: number; task: number };
    }>(app, 'index/notify/listTypeFormat', { to: 0 }, as(member));
    assert.equal(types.total, rest.total);
    assert.equal(types.totalSum.notice + types.totalSum.message, rest.total);
    assert.ok(types.list.notice.some((item) => String(item.content).length > 0));
    assert.ok(project.id);
    // Read ones stay listed.
    await clientOk(app, 'project/notify/_clearAll', {}, as(member));
    const after = await clientOk<{ total: number }>(
      app,
      'index/notify/listTypeFormat',
      { to: 0 },
      as(member),
    );
    assert.equal(after.total, types.total);
  });
});
