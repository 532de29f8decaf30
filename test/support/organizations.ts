import assert from 'node:assert/strict';
import { decodeId, encodeId } from '@/common/public-id';
import type { TestApp } from './app';
import { grpcClient } from './grpc-client';
import { call } from './http';
import { waitUntil } from './instances';
import type { RegisteredMember } from './members';
import { sql, type PageBody } from './projects';

export interface DepartmentBody {
  id: string;
  organizationId: string;
  parentId: string | null;
  name: string;
  sort: number;
  ancestorIds: string[];
  depth: number;
}

export interface DepartmentNodeBody extends DepartmentBody {
  children: DepartmentNodeBody[];
}

export interface AccountBody {
  id: string;
  organizationId: string;
  member: { id: string; name: string };
  owner: boolean;
  role: { id: string; name: string } | null;
  department: { id: string; name: string } | null;
  position: string | null;
  status: 'active' | 'disabled';
}

export interface InvitationBody {
  id: string;
  organization: { id: string; name: string };
  inviter: { id: string; name: string };
  status: string;
  expiresAt: string;
}

/** The member's personal organization (the one registration gave them, which they own). */
export async function personalOrganization(app: TestApp, token: string): Promise<string> {
  const me = await call<{ id: string }>(app, 'GET', '/api/v1/me', { token });
  const organizations = await call<{ id: string; personal: boolean; ownerId: string }[]>(
    app,
    'GET',
    '/api/v1/organizations',
    { token },
  );
  const personal = organizations.body.find(
    (organization) => organization.personal && organization.ownerId === me.body.id,
  );
  assert.ok(personal, `organizations: ${JSON.stringify(organizations.body)}`);
  return personal.id;
}

/** Invites `address` into the organization over REST; fails the test on anything but 202. */
export async function invite(
  app: TestApp,
  token: string,
  organizationId: string,
  address: string,
): Promise<void> {
  const response = await call(app, 'POST', `/api/v1/organizations/${organizationId}/invitations`, {
    token,
    body: { address },
  });
  assert.equal(response.status, 202, JSON.stringify(response.body));
}

/** The member's pending invitations (first page). */
export async function myInvitations(app: TestApp, token: string): Promise<InvitationBody[]> {
  const response = await call<PageBody<InvitationBody>>(app, 'GET', '/api/v1/invitations', {
    token,
  });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.items;
}

/** Waits until the member has a pending invitation into the organization (delivered after the answer). */
export async function invitationInto(
  app: TestApp,
  token: string,
  organizationId: string,
): Promise<InvitationBody> {
  let found: InvitationBody | undefined;
  await waitUntil(async () => {
    found = (await myInvitations(app, token)).find(
      (invitation) => invitation.organization.id === organizationId,
    );
    return found !== undefined;
  }, 'the invitation');
  return found!;
}

/** `member` joins `owner`'s organization through an invitation by account name. */
export async function joinOrganization(
  app: TestApp,
  owner: RegisteredMember,
  organizationId: string,
  member: RegisteredMember,
): Promise<AccountBody> {
  await invite(app, owner.accessToken, organizationId, member.input.account);
  const invitation = await invitationInto(app, member.accessToken, organizationId);
  const accepted = await call(app, 'POST', `/api/v1/invitations/${invitation.id}/accept`, {
    token: member.accessToken,
  });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  return accountOf(app, owner.accessToken, organizationId, member.id);
}

/** The organization's account of a member, read by `token`'s member. */
export async function accountOf(
  app: TestApp,
  token: string,
  organizationId: string,
  memberId: string,
): Promise<AccountBody> {
  const accounts = await call<PageBody<AccountBody>>(
    app,
    'GET',
    `/api/v1/organizations/${organizationId}/accounts?pageSize=100`,
    { token },
  );
  assert.equal(accounts.status, 200, JSON.stringify(accounts.body));
  const account = accounts.body.items.find((item) => item.member.id === memberId);
  assert.ok(account, `no account of ${memberId}`);
  return account;
}

/** Creates a department over REST; fails the test on anything but 201. */
export async function createDepartment(
  app: TestApp,
  token: string,
  organizationId: string,
  name: string,
  parentDepartmentId?: string,
): Promise<DepartmentBody> {
  const response = await call<DepartmentBody>(
    app,
    'POST',
    `/api/v1/organizations/${organizationId}/departments`,
    { token, body: { name, ...(parentDepartmentId ? { parentDepartmentId } : {}) } },
  );
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

/** Clients of msproject.organization.v1's services on the app's gRPC port. */
export function organizationGrpcClients(app: TestApp) {
  const client = (service: string) =>
    grpcClient(
      app.grpcAddress,
      'organization/v1/organization.proto',
      `msproject.organization.v1.${service}`,
    );
  return {
    departments: client('DepartmentService'),
    accounts: client('AccountService'),
    invitations: client('InvitationService'),
  };
}

/**
 * Gives a member an active account in the organization, holding its role of `kind`, straight
 * in the database; answers the account's public id.
 */
export async function addAccount(
  app: TestApp,
  organizationId: string,
  memberId: string,
  kind: 'admin' | 'member' = 'member',
): Promise<string> {
  const organization = decodeId(organizationId, 'organization');
  const { insertId } = (await sql(
    app,
    `INSERT INTO membership (organizationId, memberId, role, roleId, status)
     SELECT ?, ?, ?, id, 'active' FROM org_role WHERE organizationId = ? AND kind = ?`,
    [organization, decodeId(memberId, 'member'), kind, organization, kind],
  )) as unknown as { insertId: number };
  assert.ok(insertId > 0, `no ${kind} role in the organization`);
  return encodeId(insertId, 'account');
}

/** Enables or disables an account, straight in the database. */
export async function setAccountStatus(
  app: TestApp,
  accountId: string,
  status: 'active' | 'disabled',
): Promise<void> {
  await sql(app, 'UPDATE membership SET status = ? WHERE id = ?', [
    status,
    decodeId(accountId, 'account'),
  ]);
}

/** The organization's role of `kind` (admin, member), over REST as `token`'s member. */
export async function roleOfKind(
  app: TestApp,
  token: string,
  organizationId: string,
  kind: string,
): Promise<{ id: string; name: string; isDefault: boolean }> {
  const roles = await call<{
    items: { id: string; name: string; kind: string; isDefault: boolean }[];
  }>(app, 'GET', `/api/v1/organizations/${organizationId}/roles?pageSize=100`, { token });
  assert.equal(roles.status, 200, JSON.stringify(roles.body));
  const role = roles.body.items.find((item) => item.kind === kind);
  assert.ok(role, `no ${kind} role`);
  return role;
}

/** Clients of msproject.access.v1's services on the app's gRPC port. */
export function accessGrpcClients(app: Pick<TestApp, 'grpcAddress'>) {
  const client = (service: string) =>
    grpcClient(app.grpcAddress, 'access/v1/access.proto', `msproject.access.v1.${service}`);
  return {
    roles: client('RoleService'),
    permissions: client('PermissionService'),
    menus: client('MenuService'),
    organizations: client('OrganizationService'),
  };
}

/** The owner gives an account the organization's role of `kind`, over REST. */
export async function giveRole(
  app: TestApp,
  ownerToken: string,
  organizationId: string,
  accountId: string,
  kind: 'admin' | 'member',
): Promise<void> {
  const role = await roleOfKind(app, ownerToken, organizationId, kind);
  const response = await call(
    app,
    'PUT',
    `/api/v1/organizations/${organizationId}/accounts/${accountId}/role`,
    { token: ownerToken, body: { roleId: role.id } },
  );
  assert.equal(response.status, 200, JSON.stringify(response.body));
}
