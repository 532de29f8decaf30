import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  addAccount,
  organizationGrpcClients,
  personalOrganization,
  setAccountStatus,
} from '../support/organizations';
import { board, createProject, sql } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;

describe("the original web client's invite links into a project", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let organizationCode = '';

  before(async () => {
    app = await startTestApp();
    owner = await registerMember(app, { name: '王五' });
    organizationCode = await personalOrganization(app, owner.accessToken);
  });
  after(() => app?.close());

  const as = (who: RegisteredMember) => ({ token: who.accessToken, organizationCode });

  async function linkInto(projectCode: string): Promise<string> {
    const link = await clientOk<Data>(
      app,
      'project/invite_link/save',
      { inviteType: 'project', sourceCode: projectCode },
      as(owner),
    );
    assert.match(String(link.code), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(link.invite_type, 'project');
    assert.equal(link.source_code, projectCode);
    return String(link.code);
  }

  const members = async (projectCode: string) =>
    (
      await clientOk<{ list: Data[] }>(
        app,
        'project/project_member/index',
        { projectCode, pageSize: 100 },
        as(owner),
      )
    ).list.map((row) => row.code);

  it('lets a logged-in member open the link and join the organization and the project', async () => {
    const project = await createProject(app, owner.accessToken, { name: '星辰计划' });
    const code = await linkInto(project.id);
    const newcomer = await registerMember(app);
    const seen = await clientOk<Data>(
      app,
      'project/invite_link/_read',
      { inviteCode: code },
      { token: newcomer.accessToken },
    );
    assert.equal(seen.invite_type, 'project');
    assert.equal(seen.source_code, project.id, 'the board the page opens');
    assert.equal((seen.sourceDetail as Data).name, '星辰计划');
    assert.equal((seen.member as Data).name, '王五');

    assertClientCode(
      await clientCall(app, 'project/project/read', { projectCode: project.id }, as(newcomer)),
      4041,
      'not a member yet',
    );
    const joined = await clientOk<{ organizationList: Data[]; currentOrganization: Data }>(
      app,
      'project/project_member/_joinByInviteLink',
      { inviteCode: code },
      { token: newcomer.accessToken },
    );
    assert.equal(joined.currentOrganization.code, organizationCode);
    assert.ok(joined.organizationList.some((row) => row.code === organizationCode));
    const read = await clientOk<Data>(
      app,
      'project/project/read',
      { projectCode: project.id },
      as(newcomer),
    );
    assert.equal(read.name, '星辰计划');
    assert.ok((await members(project.id)).includes(newcomer.id));
    // Joining again changes nothing.
    await clientOk(
      app,
      'project/project_member/_joinByInviteLink',
      { inviteCode: code },
      { token: newcomer.accessToken },
    );
    assert.equal((await members(project.id)).filter((id) => id === newcomer.id).length, 1);
  });

  it('lets only the owner make a link, and a link stops opening when it expires or the project is recycled', async () => {
    const helper = await registerMember(app);
    const { project } = await board(app, owner, helper);
    assertClientCode(
      await clientCall(
        app,
        'project/invite_link/save',
        { inviteType: 'project', sourceCode: project.id },
        as(helper),
      ),
      403,
      'a member who does not own the project',
    );
    const stranger = await registerMember(app);
    assertClientCode(
      await clientCall(
        app,
        'project/invite_link/save',
        { inviteType: 'project', sourceCode: project.id },
        { token: stranger.accessToken },
      ),
      4041,
      'someone outside the project',
    );

    const expiring = await linkInto(project.id);
    await sql(app, 'UPDATE invite_link SET expiresAt = ? WHERE projectId = ?', [
      new Date(Date.now() - 1000),
      decodeId(project.id, 'project'),
    ]);
    const expired = await clientCall(
      app,
      'project/project_member/_joinByInviteLink',
      { inviteCode: expiring },
      { token: stranger.accessToken },
    );
    assertClientCode(expired, 409, 'an expired link');
    assert.match(expired.body.msg, /expired/);

    const recycledLink = await linkInto(project.id);
    const recycled = await call(app, 'DELETE', `/api/v1/projects/${project.id}`, {
      token: owner.accessToken,
    });
    assert.equal(recycled.status, 200, JSON.stringify(recycled.body));
    for (const path of ['project/invite_link/_read', 'project/project_member/_joinByInviteLink']) {
      assertClientCode(
        await clientCall(app, path, { inviteCode: recycledLink }, { token: stranger.accessToken }),
        4041,
        `${path}: the project is in the recycle bin`,
      );
    }
    assert.ok(!(await members(project.id)).includes(stranger.id), 'nobody joined');
  });

  it('keeps a member with a disabled account out of the project', async () => {
    const project = await createProject(app, owner.accessToken);
    const code = await linkInto(project.id);
    const disabled = await registerMember(app);
    const account = await addAccount(app, organizationCode, disabled.id);
    await setAccountStatus(app, account, 'disabled');
    assertClientCode(
      await clientCall(
        app,
        'project/project_member/_joinByInviteLink',
        { inviteCode: code },
        { token: disabled.accessToken },
      ),
      403,
      'a disabled account',
    );
    assert.ok(!(await members(project.id)).includes(disabled.id));
  });

  it('makes project links over REST and gRPC, which the organization lists and revokes', async () => {
    const project = await createProject(app, owner.accessToken);
    const rest = await call<{ id: string; code: string; projectId: string }>(
      app,
      'POST',
      `/api/v1/projects/${project.id}/invite-links`,
      { token: owner.accessToken },
    );
    assert.equal(rest.status, 201, JSON.stringify(rest.body));
    assert.equal(rest.body.projectId, project.id);
    const grpc = await unary<object, { projectId: string; code: string }>(
      organizationGrpcClients(app).invitations,
      'CreateProjectInviteLink',
      { projectId: project.id },
      bearer(owner.accessToken),
    );
    assert.equal(grpc.projectId, project.id);
    const revoked = await call(
      app,
      'POST',
      `/api/v1/organizations/${organizationCode}/invite-links/revoke`,
      { token: owner.accessToken, body: { link: rest.body.id } },
    );
    assert.equal(revoked.status, 204, JSON.stringify(revoked.body));
    const newcomer = await registerMember(app);
    const refused = await call(app, 'POST', '/api/v1/invite-links/join', {
      token: newcomer.accessToken,
      body: { code: rest.body.code },
    });
    assert.equal(refused.status, 404);
    const joined = await call<{ id: string }>(app, 'POST', '/api/v1/invite-links/join', {
      token: newcomer.accessToken,
      body: { code: grpc.code },
    });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    assert.equal(joined.body.id, organizationCode);
    assert.ok((await members(project.id)).includes(newcomer.id));
  });
});
