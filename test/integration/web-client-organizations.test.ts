import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  accessGrpcClients,
  addAccount,
  personalOrganization,
  roleOfKind,
} from '../support/organizations';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;
type OrganizationRow = { code: string; name: string; address: string; owner_code: string };

describe("the original web client's organization page", () => {
  let app: TestApp;
  let founder: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    [founder, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
  });
  after(() => app?.close());

  const as = (who: RegisteredMember, organizationCode?: string) => ({
    token: who.accessToken,
    ...(organizationCode ? { organizationCode } : {}),
  });

  /** The form as the page sends it for a new organization (areas stringified, code ''). */
  async function found(name = `Org ${Math.random().toString(36).slice(2, 8)}`) {
    return clientOk<OrganizationRow>(
      app,
      'project/organization/save',
      { name, address: 'No. 1 Street', areas: 'undefined', code: '' },
      as(founder),
    );
  }

  const list = (who: RegisteredMember, page = 1, pageSize = 10) =>
    clientOk<{ list: OrganizationRow[]; total: number }>(
      app,
      'project/organization',
      { page, pageSize },
      { ...as(who), minItems: 0 },
    );

  it('founds an organization whose founder owns it with the seeded roles, listed paged', async () => {
    const before = await list(founder);
    const created = await found('Founded Org');
    assert.equal(created.name, 'Founded Org');
    assert.equal(created.address, 'No. 1 Street');
    assert.equal(created.owner_code, founder.id);
    const after = await list(founder, 1, 100);
    assert.equal(after.total, before.total + 1);
    assert.ok(after.list.some((row) => row.code === created.code && row.name === 'Founded Org'));
    const firstPage = await list(founder, 1, 1);
    assert.equal(firstPage.list.length, 1);
    assert.equal(firstPage.total, after.total);
    // The founder owns it through /api/v1, with the admin and member roles seeded.
    const mine = await call<{ id: string; role: string; address: string }[]>(
      app,
      'GET',
      '/api/v1/organizations',
      { token: founder.accessToken },
    );
    const listed = mine.body.find((organization) => organization.id === created.code);
    assert.deepEqual([listed?.role, listed?.address], ['owner', 'No. 1 Street']);
    assert.ok(await roleOfKind(app, founder.accessToken, created.code, 'admin'));
    assert.ok(await roleOfKind(app, founder.accessToken, created.code, 'member'));
    // It works as the current organization: a project is created in it.
    const project = await clientOk<Data>(
      app,
      'project/project/save',
      { name: 'In the new org', templateCode: '', description: '', id: '' },
      { ...as(founder, created.code), only: true },
    );
    assert.equal(project.organization_code, created.code);
  });

  it('refuses a nameless organization naming the field, creating nothing', async () => {
    const before = await list(founder);
    const answer = await clientCall(
      app,
      'project/organization/save',
      { name: ' ', address: '', areas: 'undefined', code: '' },
      as(founder),
    );
    assertClientCode(answer, 400, 'no name');
    assert.match(answer.body.msg, /name/);
    assert.equal((await list(founder)).total, before.total);
  });

  /** An account in the organization holding a role without any node. */
  async function withoutNodes(organizationCode: string, who: RegisteredMember): Promise<void> {
    const account = await addAccount(app, organizationCode, who.id, 'member');
    const role = await call<{ id: string }>(
      app,
      'POST',
      `/api/v1/organizations/${organizationCode}/roles`,
      { token: founder.accessToken, body: { name: 'Nothing granted' } },
    );
    assert.equal(role.status, 201, JSON.stringify(role.body));
    const assigned = await call(
      app,
      'PUT',
      `/api/v1/organizations/${organizationCode}/accounts/${account}/role`,
      { token: founder.accessToken, body: { roleId: role.body.id } },
    );
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
  }

  it('lets its owner edit name and address, refusing a role without the node (403) and a stranger (4041)', async () => {
    const organization = await found();
    await withoutNodes(organization.code, member);
    const edited = await clientCall(
      app,
      'project/organization/edit',
      { name: 'Renamed', address: '', areas: 'undefined', organizationCode: organization.code },
      as(founder),
    );
    assert.equal(edited.body.code, 200, JSON.stringify(edited.body));
    const read = await call<{ name: string; address: string | null }>(
      app,
      'GET',
      `/api/v1/organizations/${organization.code}`,
      { token: founder.accessToken },
    );
    assert.deepEqual([read.body.name, read.body.address], ['Renamed', null]);
    const form = { name: 'Taken over', address: '', areas: 'undefined' };
    assertClientCode(
      await clientCall(
        app,
        'project/organization/edit',
        { ...form, organizationCode: organization.code },
        as(member),
      ),
      403,
      'a role without project/organization/edit edits',
    );
    assertClientCode(
      await clientCall(
        app,
        'project/organization/edit',
        { ...form, organizationCode: organization.code },
        as(stranger),
      ),
      4041,
      'a stranger edits',
    );
    const still = await call<{ name: string }>(
      app,
      'GET',
      `/api/v1/organizations/${organization.code}`,
      { token: founder.accessToken },
    );
    assert.equal(still.body.name, 'Renamed');
  });

  it('lets a member leave, never the owner', async () => {
    const organization = await found();
    await addAccount(app, organization.code, member.id, 'member');
    assert.ok((await list(member, 1, 100)).list.some((row) => row.code === organization.code));
    await clientOk(
      app,
      'project/organization/_quitOrganization',
      { organizationCode: organization.code },
      as(member),
    );
    assert.ok(!(await list(member, 1, 100)).list.some((row) => row.code === organization.code));
    const accounts = await call<{ items: { member: { id: string } }[] }>(
      app,
      'GET',
      `/api/v1/organizations/${organization.code}/accounts?pageSize=100`,
      { token: founder.accessToken },
    );
    assert.ok(!accounts.body.items.some((account) => account.member.id === member.id));
    assertClientCode(
      await clientCall(
        app,
        'project/organization/_quitOrganization',
        { organizationCode: organization.code },
        as(member),
      ),
      4041,
      'leaving twice',
    );
    assertClientCode(
      await clientCall(
        app,
        'project/organization/_quitOrganization',
        { organizationCode: organization.code },
        as(founder),
      ),
      409,
      'the owner leaves',
    );
    assert.ok((await list(founder, 1, 100)).list.some((row) => row.code === organization.code));
  });

  it('deletes an organization for its owner only, once it holds no project', async () => {
    const organization = await found();
    const admin = await registerMember(app);
    await addAccount(app, organization.code, admin.id, 'admin');
    const project = await clientOk<Data>(
      app,
      'project/project/save',
      { name: 'Blocks the delete', templateCode: '', description: '', id: '' },
      { ...as(founder, organization.code), only: true },
    );
    const remove = (who: RegisteredMember) =>
      clientCall(
        app,
        'project/organization/delete',
        { organizationCode: organization.code },
        as(who),
      );
    assertClientCode(await remove(admin), 403, 'an administrator deletes');
    assertClientCode(await remove(stranger), 4041, 'a stranger deletes');
    const refused = await remove(founder);
    assertClientCode(refused, 409, 'it holds a project');
    assert.match(refused.body.msg, /project/);
    // The recycle bin still holds it: refused until it is deleted for good.
    const projectCode = project.code as string;
    await clientOk(app, 'project/project/recycle', { projectCode }, as(founder));
    assertClientCode(await remove(founder), 409, 'a project in the recycle bin');
    await clientOk(app, 'project/project/delete', { projectCode }, as(founder));
    await clientOk(
      app,
      'project/organization/delete',
      { organizationCode: organization.code },
      as(founder),
    );
    const gone = await call(app, 'GET', `/api/v1/organizations/${organization.code}`, {
      token: founder.accessToken,
    });
    assert.equal(gone.status, 404);
    assert.ok(!(await list(admin, 1, 100)).list.some((row) => row.code === organization.code));
    // The one every member got at registration stays.
    const personal = await personalOrganization(app, founder.accessToken);
    const kept = await clientCall(
      app,
      'project/organization/delete',
      { organizationCode: personal },
      as(founder),
    );
    assertClientCode(kept, 409, 'the personal organization');
  });

  it('founds, leaves and deletes through /api/v1 and gRPC alike', async () => {
    const created = await call<{ id: string; name: string }>(app, 'POST', '/api/v1/organizations', {
      token: founder.accessToken,
      body: { name: 'Over REST', description: 'made over REST' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { organizations } = accessGrpcClients(app);
    try {
      const overGrpc = await unary<object, { id: string; name: string }>(
        organizations,
        'createOrganization',
        { name: 'Over gRPC' },
        bearer(founder.accessToken),
      );
      assert.equal(overGrpc.name, 'Over gRPC');
      await addAccount(app, overGrpc.id, member.id, 'member');
      await assert.rejects(
        unary(
          organizations,
          'deleteOrganization',
          { organizationId: overGrpc.id },
          bearer(member.accessToken),
        ),
        rejectsWith(status.PERMISSION_DENIED),
      );
      await unary(
        organizations,
        'leaveOrganization',
        { organizationId: overGrpc.id },
        bearer(member.accessToken),
      );
      await unary(
        organizations,
        'deleteOrganization',
        { organizationId: overGrpc.id },
        bearer(founder.accessToken),
      );
    } finally {
      organizations.close();
    }
    const leave = await call(app, 'POST', `/api/v1/organizations/${created.body.id}/leave`, {
      token: founder.accessToken,
    });
    assert.equal(leave.status, 409);
    const removed = await call(app, 'DELETE', `/api/v1/organizations/${created.body.id}`, {
      token: founder.accessToken,
    });
    assert.equal(removed.status, 204);
  });
});
