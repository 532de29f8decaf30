import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { registerMember, type RegisteredMember } from '../support/members';
import { addAccount, personalOrganization } from '../support/organizations';
import {
  assertClientCode,
  clientCall,
  clientOk,
  type ClientCallOptions,
} from '../support/web-client';

type Data = Record<string, unknown>;

describe("the original web client's organization invitations", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let organizationCode = '';
  const asOwner = (): ClientCallOptions => ({ token: owner.accessToken, organizationCode });

  before(async () => {
    app = await startTestApp();
    owner = await registerMember(app, { name: '张三' });
    organizationCode = await personalOrganization(app, owner.accessToken);
  });
  after(() => app?.close());

  /** A call as the client makes it, asserting code 200 and every field it reads. */
  const ok = <T = Data>(
    path: string,
    params: Data,
    options: ClientCallOptions & { minItems?: number },
  ) => clientOk<T>(app, path, params, options);

  it('makes a link in the 添加成员 dialog that a logged-in member opens and joins by', async () => {
    const link = await ok(
      'project/invite_link/save',
      { inviteType: 'organization', sourceCode: organizationCode },
      asOwner(),
    );
    assert.match(String(link.code), /^[A-Za-z0-9_-]{43}$/);
    assert.match(String(link.over_time), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const newcomer = await registerMember(app);
    const seen = await ok(
      'project/invite_link/_read',
      { inviteCode: link.code },
      { token: newcomer.accessToken },
    );
    assert.equal(seen.invite_type, 'organization');
    assert.equal((seen.member as Data).name, '张三');
    assert.equal((seen.member as Data).email, '', "no one's contact details");
    const avatar = String((seen.member as Data).avatar);
    assert.equal((await fetch(`${app.baseUrl}${avatar}`)).status, 200, 'the avatar loads');
    assert.equal((seen.sourceDetail as Data).code, organizationCode);

    const joined = await ok<{ organizationList: Data[]; currentOrganization: Data }>(
      'project/account/_joinByInviteLink',
      { inviteCode: link.code },
      { token: newcomer.accessToken },
    );
    assert.equal(joined.currentOrganization.code, organizationCode);
    assert.ok(
      joined.organizationList.some((organization) => organization.code === organizationCode),
    );

    const projectLink = await clientCall(
      app,
      'project/invite_link/save',
      { inviteType: 'project', sourceCode: organizationCode },
      asOwner(),
    );
    assertClientCode(projectLink, 4041, 'an organization is no project');
    const unknown = await clientCall(
      app,
      'project/invite_link/_read',
      { inviteCode: 'no-such-code' },
      { token: newcomer.accessToken },
    );
    assertClientCode(unknown, 4041, 'an unknown code');
  });

  it("searches only the organization's own accounts in the 添加成员 dialog, never anyone else", async () => {
    const colleague = await registerMember(app, { name: '李四甲' });
    const outsider = await registerMember(app, { name: '李四乙' });
    await addAccount(app, organizationCode, colleague.id);
    const found = await ok<Data[]>(
      'project/department_member/searchInviteMember',
      { keyword: '李四', departmentCode: '' },
      asOwner(),
    );
    assert.deepEqual(
      found.map((row) => [row.name, row.joined]),
      [['李四甲', true]],
      `${outsider.input.name} outside the organization is not found`,
    );
    const byEmail = await ok<Data[]>(
      'project/department_member/searchInviteMember',
      { keyword: outsider.input.email, departmentCode: '' },
      { ...asOwner(), minItems: 0 },
    );
    assert.deepEqual(byEmail, [], 'not even by their whole address');
  });
});
