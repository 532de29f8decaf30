import assert from 'node:assert/strict';
import type { TestApp } from './app';
import { grpcClient } from './grpc-client';
import { call } from './http';
import { waitUntil } from './instances';
import type { RegisteredMember } from './members';
import type { PageBody } from './projects';

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
