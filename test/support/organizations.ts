import assert from 'node:assert/strict';
import { decodeId, encodeId } from '@/common/public-id';
import type { TestApp } from './app';
import { grpcClient } from './grpc-client';
import { call } from './http';
import { sql } from './projects';

/** The member's personal organization (made at registration), by its public id. */
export async function personalOrganization(
  app: TestApp,
  member: { id: string; accessToken: string },
): Promise<string> {
  const organizations = await call<{ id: string; personal: boolean; ownerId: string }[]>(
    app,
    'GET',
    '/api/v1/organizations',
    { token: member.accessToken },
  );
  assert.equal(organizations.status, 200);
  const personal = organizations.body.find(
    (organization) => organization.personal && organization.ownerId === member.id,
  );
  assert.ok(personal, JSON.stringify(organizations.body));
  return personal.id;
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
