import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { createConnection } from 'mysql2/promise';
import { decodeId, encodeId } from '@/common/public-id';
import {
  ADMIN_GRANTS,
  MEMBER_GRANTS,
  PERMISSION_NODES,
} from '@/modules/organization/permission-catalogue';
import { startTestApp, type TestApp } from '../support/app';
import { MARIADB } from '../support/databases';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import {
  newMemberInput,
  registerMember,
  requestCaptcha,
  type RegisteredMember,
} from '../support/members';
import { unmigratedDatabase } from '../support/migrate';
import {
  accessGrpcClients,
  addAccount,
  personalOrganization,
  roleOfKind,
} from '../support/organizations';
import { sql, type PageBody, type ProblemBody } from '../support/projects';

interface RoleBody {
  id: string;
  organizationId: string;
  name: string;
  description: string | null;
  kind: string;
  isDefault: boolean;
  canDelete: boolean;
}

interface NodeBody {
  node: string;
  checked: boolean | null;
  children: NodeBody[] | null;
}

interface RoleNodesBody {
  roleId: string;
  nodes: NodeBody[];
  checked: string[];
}

const sorted = (nodes: readonly string[]) => [...nodes].sort();

function flatten(nodes: NodeBody[]): NodeBody[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children ?? [])]);
}

describe('organization roles', () => {
  let app: TestApp;
  let roles: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let organizationId: string;
  let memberAccount: string;

  before(async () => {
    app = await startTestApp();
    ({ roles } = accessGrpcClients(app));
    [owner, member] = [await registerMember(app), await registerMember(app)];
    organizationId = await personalOrganization(app, owner.accessToken);
    memberAccount = await addAccount(app, organizationId, member.id, 'member');
  });

  after(async () => {
    roles?.close();
    await app?.close();
  });

  const base = () => `/api/v1/organizations/${organizationId}`;
  const asOwner = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    call<T>(app, method, `${base()}${path}`, { token: owner.accessToken, body });
  const createRole = async (name: string) => {
    const created = await asOwner<RoleBody>('POST', '/roles', { name });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  const assign = (accountId: string, roleId: string) =>
    asOwner<ProblemBody>('PUT', `/accounts/${accountId}/role`, { roleId });
  const grpc = <T>(method: string, request: object, who = owner) =>
    unary<object, T>(roles, method, request, bearer(who.accessToken));

  it("gives a new member's organization the admin and member roles, the owner holding admin", async () => {
    const listed = await asOwner<PageBody<RoleBody>>('GET', '/roles');
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.items.map(({ name, kind, isDefault, canDelete }) => ({
        name,
        kind,
        isDefault,
        canDelete,
      })),
      [
        { name: 'admin', kind: 'admin', isDefault: false, canDelete: false },
        { name: 'member', kind: 'member', isDefault: true, canDelete: false },
      ],
    );
    const [admin, memberRole] = listed.body.items;
    const adminNodes = await asOwner<RoleNodesBody>('GET', `/roles/${admin.id}/nodes`);
    assert.deepEqual(adminNodes.body.checked, sorted(ADMIN_GRANTS));
    const memberNodes = await asOwner<RoleNodesBody>('GET', `/roles/${memberRole.id}/nodes`);
    assert.deepEqual(memberNodes.body.checked, sorted(MEMBER_GRANTS));
    const [account] = await sql<{ roleId: number; role: string }>(
      app,
      'SELECT roleId, role FROM membership WHERE organizationId = ? AND memberId = ?',
      [decodeId(organizationId, 'organization'), decodeId(owner.id, 'member')],
    );
    assert.deepEqual(account, { roleId: decodeId(admin.id, 'role'), role: 'owner' });
  });

  it('registers no one when the roles cannot be set up: one transaction', async () => {
    const input = newMemberInput();
    const captcha = await requestCaptcha(app, input.mobile);
    await sql(
      app,
      "CREATE TRIGGER refuse_roles BEFORE INSERT ON org_role FOR EACH ROW SIGNAL SQLSTATE '45000'",
    );
    try {
      const refused = await call(app, 'POST', '/api/v1/auth/register', {
        body: { ...input, captcha },
      });
      assert.equal(refused.status, 500);
    } finally {
      await sql(app, 'DROP TRIGGER refuse_roles');
    }
    const [left] = await sql<{ members: number; organizations: number }>(
      app,
      `SELECT (SELECT COUNT(*) FROM member WHERE account = ?) AS members,
              (SELECT COUNT(*) FROM organization WHERE name LIKE ?) AS organizations`,
      [input.account, `${input.name}%`],
    );
    assert.deepEqual(left, { members: 0, organizations: 0 });
  });

  it('creates, renames and describes a custom role; a name taken in the organization is 409', async () => {
    const role = await createRole('Reviewers');
    assert.equal(role.kind, 'custom');
    assert.equal(role.isDefault, false);
    assert.equal(role.canDelete, true);
    assert.equal(role.organizationId, organizationId);
    const nodes = await asOwner<RoleNodesBody>('GET', `/roles/${role.id}/nodes`);
    assert.deepEqual(nodes.body.checked, []);
    const renamed = await asOwner<RoleBody>('PATCH', `/roles/${role.id}`, {
      name: 'Senior reviewers',
      description: 'Read everything',
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Senior reviewers');
    assert.equal(renamed.body.description, 'Read everything');
    const taken = await asOwner<ProblemBody>('POST', '/roles', { name: 'member' });
    assert.equal(taken.status, 409);
    assert.deepEqual(
      taken.body.errors?.map((error) => error.field),
      ['name'],
    );
    const takenByRename = await asOwner<ProblemBody>('PATCH', `/roles/${role.id}`, {
      name: 'admin',
    });
    assert.equal(takenByRename.status, 409);
    // Another organization may use the name: it is theirs.
    const other = await registerMember(app);
    const theirs = await call(
      app,
      'POST',
      `/api/v1/organizations/${await personalOrganization(app, other.accessToken)}/roles`,
      { token: other.accessToken, body: { name: 'Senior reviewers' } },
    );
    assert.equal(theirs.status, 201);
  });

  it('deletes a custom role only while no account holds it and it is not the default', async () => {
    const role = await createRole('Temporary');
    assert.equal((await assign(memberAccount, role.id)).status, 200);
    const held = await asOwner<ProblemBody>('DELETE', `/roles/${role.id}`);
    assert.equal(held.status, 409);
    assert.equal(held.body.code, 'role_in_use');
    await assert.rejects(
      grpc('deleteRole', { organizationId, roleId: role.id }),
      rejectsWith(status.FAILED_PRECONDITION, undefined, 'role_in_use'),
    );
    const listed = await asOwner<PageBody<RoleBody>>('GET', '/roles');
    assert.equal(listed.body.items.find((item) => item.id === role.id)?.canDelete, false);

    const memberRole = await roleOfKind(app, owner.accessToken, organizationId, 'member');
    assert.equal((await assign(memberAccount, memberRole.id)).status, 200);
    assert.equal((await asOwner('DELETE', `/roles/${role.id}`)).status, 204);
    assert.equal((await asOwner('GET', `/roles/${role.id}/nodes`)).status, 404);

    const admin = await roleOfKind(app, owner.accessToken, organizationId, 'admin');
    const seeded = await asOwner<ProblemBody>('DELETE', `/roles/${admin.id}`);
    assert.equal(seeded.status, 409);
    assert.equal(seeded.body.code, 'role_seeded');
    const fallback = await createRole('Fallback');
    assert.equal((await asOwner('PUT', `/roles/${fallback.id}/default`)).status, 200);
    try {
      const byDefault = await asOwner<ProblemBody>('DELETE', `/roles/${fallback.id}`);
      assert.equal(byDefault.status, 409);
      assert.equal(byDefault.body.code, 'role_default');
    } finally {
      await asOwner('PUT', `/roles/${memberRole.id}/default`);
    }
  });

  it('keeps exactly one default role, even when several are made default at once', async () => {
    const candidates = [await createRole('Default A'), await createRole('Default B')];
    const memberRole = await roleOfKind(app, owner.accessToken, organizationId, 'member');
    const answers = await Promise.all(
      [...candidates, memberRole, ...candidates].map((role) =>
        asOwner<RoleBody>('PUT', `/roles/${role.id}/default`),
      ),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 200, 200],
    );
    const defaults = await sql<{ id: number }>(
      app,
      'SELECT id FROM org_role WHERE organizationId = ? AND isDefault = 1',
      [decodeId(organizationId, 'organization')],
    );
    assert.equal(defaults.length, 1);
    const viaGrpc = await grpc<{ isDefault: boolean }>('setDefaultRole', {
      organizationId,
      roleId: memberRole.id,
    });
    assert.equal(viaGrpc.isDefault, true);
    const listed = await asOwner<PageBody<RoleBody>>('GET', '/roles?pageSize=100');
    assert.deepEqual(
      listed.body.items.filter((role) => role.isDefault).map((role) => role.id),
      [memberRole.id],
    );
  });

  it("reads a role's nodes as the catalogue's tree of groups, its own checked", async () => {
    const memberRole = await roleOfKind(app, owner.accessToken, organizationId, 'member');
    const read = await asOwner<RoleNodesBody>('GET', `/roles/${memberRole.id}/nodes`);
    assert.equal(read.status, 200);
    assert.deepEqual(
      read.body.nodes.map((node) => node.node),
      ['project'],
    );
    const all = flatten(read.body.nodes);
    assert.deepEqual(
      sorted(all.map((node) => node.node)),
      sorted(PERMISSION_NODES.map((n) => n.node)),
    );
    assert.deepEqual(
      sorted(all.filter((node) => node.checked).map((node) => node.node)),
      sorted(MEMBER_GRANTS),
    );
    const auth = all.find((node) => node.node === 'project/auth');
    assert.ok(auth?.children?.some((child) => child.node === 'project/auth/add'));
    assert.equal(all.find((node) => node.node === 'project/auth/add')?.children, null);
    const overGrpc = await grpc<{ checked: string[]; nodes: { node: string }[] }>('getRoleNodes', {
      organizationId,
      roleId: memberRole.id,
    });
    assert.deepEqual(overGrpc.checked, read.body.checked);
    const catalogue = await call<{ nodes: NodeBody[] }>(app, 'GET', '/api/v1/permission-nodes', {
      token: member.accessToken,
    });
    assert.equal(catalogue.status, 200);
    assert.equal(flatten(catalogue.body.nodes).length, PERMISSION_NODES.length);
    assert.ok(flatten(catalogue.body.nodes).every((node) => node.checked === null));
  });

  it("replaces a role's nodes at once, refusing an unknown node by name and changing nothing", async () => {
    const role = await createRole('Node editors');
    const set = await asOwner<RoleNodesBody>('PUT', `/roles/${role.id}/nodes`, {
      nodes: ['project/auth/index', 'project/auth/add', 'project/auth/add'],
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body.checked, ['project/auth/add', 'project/auth/index']);
    const refused = await asOwner<ProblemBody>('PUT', `/roles/${role.id}/nodes`, {
      nodes: ['project/task/read', 'project/no-such-node'],
    });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body.errors, [
      { field: 'nodes.1', message: 'project/no-such-node is not a permission node' },
    ]);
    await assert.rejects(
      grpc('setRoleNodes', { organizationId, roleId: role.id, nodes: ['nope'] }),
      rejectsWith(status.INVALID_ARGUMENT, 'nodes.0'),
    );
    const after = await asOwner<RoleNodesBody>('GET', `/roles/${role.id}/nodes`);
    assert.deepEqual(after.body.checked, ['project/auth/add', 'project/auth/index']);
    const cleared = await grpc<{ checked: string[] }>('setRoleNodes', {
      organizationId,
      roleId: role.id,
      nodes: [],
    });
    assert.deepEqual(cleared.checked, []);
  });

  it("gives an account a role of its organization; the owner's account keeps admin (409)", async () => {
    const role = await createRole('Assigned');
    const assigned = await assign(memberAccount, role.id);
    assert.equal(assigned.status, 200);
    assert.deepEqual(assigned.body, { accountId: memberAccount, roleId: role.id });
    const [row] = await sql<{ roleId: number; role: string }>(
      app,
      'SELECT roleId, role FROM membership WHERE id = ?',
      [decodeId(memberAccount, 'account')],
    );
    assert.deepEqual(row, { roleId: decodeId(role.id, 'role'), role: 'member' });

    const ownerAccount = await sql<{ id: number }>(
      app,
      "SELECT id FROM membership WHERE organizationId = ? AND role = 'owner'",
      [decodeId(organizationId, 'organization')],
    );
    const ownersId = encodeId(ownerAccount[0].id, 'account');
    const kept = await assign(ownersId, role.id);
    assert.equal(kept.status, 409);
    assert.equal(kept.body.code, 'owner_keeps_admin');
    await assert.rejects(
      grpc('assignRole', { organizationId, accountId: ownersId, roleId: role.id }),
      rejectsWith(status.FAILED_PRECONDITION, 'roleId', 'owner_keeps_admin'),
    );
    const admin = await roleOfKind(app, owner.accessToken, organizationId, 'admin');
    assert.equal((await assign(ownersId, admin.id)).status, 200);

    // A role of another organization is no role here; an account of another one is not found.
    const other = await registerMember(app);
    const otherOrganization = await personalOrganization(app, other.accessToken);
    const foreignRole = await roleOfKind(app, other.accessToken, otherOrganization, 'member');
    const unknownRole = await assign(memberAccount, foreignRole.id);
    assert.equal(unknownRole.status, 400);
    assert.deepEqual(
      unknownRole.body.errors?.map((error) => error.field),
      ['roleId'],
    );
    const foreignAccount = await addAccount(app, otherOrganization, owner.id, 'member');
    assert.equal((await assign(foreignAccount, role.id)).status, 404);

    const memberRole = await roleOfKind(app, owner.accessToken, organizationId, 'member');
    const back = await grpc<{ roleId: string }>('assignRole', {
      organizationId,
      accountId: memberAccount,
      roleId: memberRole.id,
    });
    assert.equal(back.roleId, memberRole.id);
  });

  it('grants and revokes a node live, over REST and gRPC', async () => {
    const memberRole = await roleOfKind(app, owner.accessToken, organizationId, 'member');
    const tryCreate = (name: string) =>
      call<ProblemBody>(app, 'POST', `${base()}/roles`, {
        token: member.accessToken,
        body: { name },
      });
    assert.equal((await tryCreate('Live one')).status, 403);
    await assert.rejects(
      grpc('createRole', { organizationId, name: 'Live one' }, member),
      rejectsWith(status.PERMISSION_DENIED),
    );
    const setNodes = (nodes: readonly string[]) =>
      asOwner('PUT', `/roles/${memberRole.id}/nodes`, { nodes });
    await setNodes([...MEMBER_GRANTS, 'project/auth/add']);
    try {
      assert.equal((await tryCreate('Live one')).status, 201);
      const overGrpc = await grpc<{ name: string }>(
        'createRole',
        { organizationId, name: 'Live two' },
        member,
      );
      assert.equal(overGrpc.name, 'Live two');
    } finally {
      await setNodes(MEMBER_GRANTS);
    }
    assert.equal((await tryCreate('Live three')).status, 403);
    await assert.rejects(
      grpc('createRole', { organizationId, name: 'Live three' }, member),
      rejectsWith(status.PERMISSION_DENIED),
    );
  });

  it('disables a role: its holders hold none of its nodes until it is enabled, over REST and gRPC', async () => {
    const role = await createRole(`Creators ${Math.random().toString(36).slice(2, 8)}`);
    const put = await asOwner('PUT', `/roles/${role.id}/nodes`, {
      nodes: [...MEMBER_GRANTS, 'project/auth/add'],
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const memberRole = await roleOfKind(app, owner.accessToken, organizationId, 'member');
    assert.equal((await assign(memberAccount, role.id)).status, 200);
    const tryCreate = (name: string) =>
      call<ProblemBody>(app, 'POST', `${base()}/roles`, {
        token: member.accessToken,
        body: { name },
      });
    try {
      assert.equal((await tryCreate(`Allowed ${role.id.slice(0, 6)}`)).status, 201);
      const disabled = await asOwner<RoleBody & { status: string }>(
        'POST',
        `/roles/${role.id}/disable`,
      );
      assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
      assert.equal(disabled.body.status, 'disabled');
      assert.equal((await tryCreate('Refused while disabled')).status, 403);
      await assert.rejects(
        grpc('createRole', { organizationId, name: 'Refused too' }, member),
        rejectsWith(status.PERMISSION_DENIED),
      );
      const defaulted = await asOwner<ProblemBody>('PUT', `/roles/${role.id}/default`);
      assert.equal(defaulted.status, 409);
      assert.equal(defaulted.body.code, 'role_disabled');

      const enabled = await grpc<{ status: string }>('enableRole', {
        organizationId,
        roleId: role.id,
      });
      assert.equal(enabled.status, 'active');
      assert.equal((await tryCreate(`Allowed again ${role.id.slice(0, 6)}`)).status, 201);
      assert.equal(
        (await grpc<{ status: string }>('disableRole', { organizationId, roleId: role.id })).status,
        'disabled',
      );
      assert.equal((await asOwner('POST', `/roles/${role.id}/enable`)).status, 200);
    } finally {
      await assign(memberAccount, memberRole.id);
    }
  });

  it('never disables the admin role or the default one (409), and refuses a member without the node', async () => {
    const admin = await roleOfKind(app, owner.accessToken, organizationId, 'admin');
    const byDefault = (
      await asOwner<{ items: RoleBody[] }>('GET', '/roles?pageSize=100')
    ).body.items.find((role) => role.isDefault)!;
    for (const [role, code] of [
      [admin, 'role_admin'],
      [byDefault, 'role_default'],
    ] as const) {
      const refused = await asOwner<ProblemBody>('POST', `/roles/${role.id}/disable`);
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.code, code);
    }
    const custom = await createRole(`Quiet ${Math.random().toString(36).slice(2, 8)}`);
    const denied = await call(app, 'POST', `${base()}/roles/${custom.id}/disable`, {
      token: member.accessToken,
    });
    assert.equal(denied.status, 403);
    await assert.rejects(
      grpc('disableRole', { organizationId, roleId: custom.id }, member),
      rejectsWith(status.PERMISSION_DENIED),
    );
    const listed = await asOwner<{ items: (RoleBody & { status: string })[] }>(
      'GET',
      '/roles?pageSize=100',
    );
    assert.ok(listed.body.items.every((role) => role.status === 'active'));
  });

  it('applies a grant, and a disabled account, made on one instance on another at once (same database and Redis)', async () => {
    const second = await startTestApp({
      config: {
        db: { master: { db: app.database } },
        redis: { keyPrefix: `${app.database}:` },
        jwt: app.center.config.jwt,
      },
    });
    const secondRoles = accessGrpcClients(second).roles;
    try {
      const memberRole = await roleOfKind(app, owner.accessToken, organizationId, 'member');
      const setDefaultOnSecond = () =>
        call(second, 'PUT', `${base()}/roles/${memberRole.id}/default`, {
          token: member.accessToken,
        });
      assert.equal((await setDefaultOnSecond()).status, 403);
      await asOwner('PUT', `/roles/${memberRole.id}/nodes`, {
        nodes: [...MEMBER_GRANTS, 'project/auth/setdefault'],
      });
      try {
        assert.equal((await setDefaultOnSecond()).status, 200);
        await unary(
          secondRoles,
          'setDefaultRole',
          { organizationId, roleId: memberRole.id },
          bearer(member.accessToken),
        );
        // A disable on the first instance shuts the account out on the second at once.
        assert.equal((await asOwner('POST', `/accounts/${memberAccount}/disable`)).status, 200);
        try {
          assert.equal((await setDefaultOnSecond()).status, 403);
          await assert.rejects(
            unary(
              secondRoles,
              'setDefaultRole',
              { organizationId, roleId: memberRole.id },
              bearer(member.accessToken),
            ),
            rejectsWith(status.PERMISSION_DENIED),
          );
        } finally {
          assert.equal((await asOwner('POST', `/accounts/${memberAccount}/enable`)).status, 200);
        }
        assert.equal((await setDefaultOnSecond()).status, 200);
      } finally {
        await asOwner('PUT', `/roles/${memberRole.id}/nodes`, { nodes: MEMBER_GRANTS });
      }
      assert.equal((await setDefaultOnSecond()).status, 403);
      await assert.rejects(
        unary(
          secondRoles,
          'setDefaultRole',
          { organizationId, roleId: memberRole.id },
          bearer(member.accessToken),
        ),
        rejectsWith(status.PERMISSION_DENIED),
      );
    } finally {
      secondRoles.close();
      await second.close();
    }
  });

  it("changes an organization's name and description with project/organization/edit", async () => {
    const read = await asOwner<{ name: string; personal: boolean; ownerId: string }>('GET', '');
    assert.equal(read.status, 200);
    assert.equal(read.body.ownerId, owner.id);
    const changed = await asOwner<{ name: string; description: string | null }>('PATCH', '', {
      name: 'Renamed',
      description: 'Ours',
    });
    assert.equal(changed.status, 200);
    assert.deepEqual([changed.body.name, changed.body.description], ['Renamed', 'Ours']);
    const listed = await call<{ id: string; name: string }[]>(app, 'GET', '/api/v1/organizations', {
      token: owner.accessToken,
    });
    assert.equal(listed.body.find((entry) => entry.id === organizationId)?.name, 'Renamed');
    const { organizations } = accessGrpcClients(app);
    try {
      const cleared = await unary<object, { description: string }>(
        organizations,
        'updateOrganization',
        { organizationId, description: '' },
        bearer(owner.accessToken),
      );
      assert.equal(cleared.description, '');
      const outsider = await registerMember(app);
      await assert.rejects(
        unary(organizations, 'getOrganization', { organizationId }, bearer(outsider.accessToken)),
        rejectsWith(status.NOT_FOUND),
      );
    } finally {
      organizations.close();
    }
  });
});

describe('the catalogue migration', () => {
  let database: Awaited<ReturnType<typeof unmigratedDatabase>>;

  before(async () => {
    database = await unmigratedDatabase();
  });
  after(() => database?.drop());

  async function query<T>(statement: string, params: unknown[] = []): Promise<T[]> {
    const connection = await createConnection({ ...MARIADB, database: database.name });
    try {
      return (await connection.query(statement, params))[0] as T[];
    } finally {
      await connection.end();
    }
  }

  it("seeds the original's grants into the roles of organizations that existed before it", async () => {
    database.migrate('run');
    // Back to before the catalogue (and whatever came after it), with an organization as the
    // earlier migrations left it.
    const catalogueApplied = async () =>
      (await query("SELECT name FROM migrations WHERE name LIKE 'AccessCatalogue%'")).length > 0;
    while (await catalogueApplied()) database.migrate('revert');
    await query(
      "INSERT INTO member (id, account, email, mobile, name, passwordHash) VALUES (7, 'old', 'old@example.test', '10000000007', 'Old', 'x')",
    );
    await query(
      "INSERT INTO organization (id, name, ownerId, personal) VALUES (70, 'Old org', 7, 1)",
    );
    await query(
      "INSERT INTO org_role (id, organizationId, name, kind, isDefault) VALUES (700, 70, 'admin', 'admin', 0), (701, 70, 'member', 'member', 1)",
    );
    assert.match(database.migrate('run'), /AccessCatalogue/);

    const nodes = await query<{ node: string }>('SELECT node FROM permission_node');
    assert.deepEqual(
      sorted(nodes.map((row) => row.node)),
      sorted(PERMISSION_NODES.map((n) => n.node)),
    );
    const grants = async (roleId: number) =>
      sorted(
        (
          await query<{ node: string }>('SELECT node FROM org_role_node WHERE roleId = ?', [roleId])
        ).map((row) => row.node),
      );
    assert.deepEqual(await grants(700), sorted(ADMIN_GRANTS));
    assert.deepEqual(await grants(701), sorted(MEMBER_GRANTS));
    const menus = await query<{ id: number }>('SELECT id FROM menu ORDER BY id');
    assert.equal(menus.length, 36);
  });
});
