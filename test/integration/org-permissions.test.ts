import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GRPC_PACKAGES, PROTO_LOADER_OPTIONS, protoRoot } from '@/grpc/grpc.options';
import { PERMISSION_NODES } from '@/modules/organization/permission-catalogue';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  accessGrpcClients,
  addAccount,
  personalOrganization,
  roleOfKind,
  setAccountStatus,
} from '../support/organizations';
import {
  projectGrpcClients,
  sql,
  type PageBody,
  type ProblemBody,
  type ProjectBody,
} from '../support/projects';
import { enumerateRoutes, type Route } from '../support/routes';

/** Health checks and metrics: infrastructure, outside the product's operations. */
function isInfrastructure(route: Route): boolean {
  return route.kind === 'rpc' ? route.service === 'Health' : !route.path!.startsWith('/api/');
}

/** The fields of each RPC's request message (camelCase, as loaded), by `Service/Method`. */
function requestFields(): Map<string, string[]> {
  const root = protoRoot();
  const definition = loadSync(
    GRPC_PACKAGES.map((entry) => join(root, entry.file)),
    { ...PROTO_LOADER_OPTIONS, includeDirs: [root] },
  );
  const fields = new Map<string, string[]>();
  for (const [name, service] of Object.entries(definition)) {
    if ('format' in service) continue;
    for (const [rpc, method] of Object.entries(service)) {
      const type = (method as { requestType: { type: { field: { name: string }[] } } }).requestType
        .type;
      fields.set(
        `${name.split('.').at(-1)}/${rpc}`,
        type.field.map((field) => field.name),
      );
    }
  }
  return fields;
}

describe('every operation declares whether it acts on an organization', () => {
  let app: TestApp;
  let operations: Route[];

  before(async () => {
    app = await startTestApp();
    operations = enumerateRoutes(app).filter(
      (route) => !(route.isPublic && isInfrastructure(route)),
    );
  });
  after(() => app?.close());

  const catalogued = new Set(PERMISSION_NODES.map((entry) => entry.node));

  /** What each node governs: its listed operations, those declaring it, its groups' children. */
  function governed(nodes: string[]): Map<string, Set<string>> {
    const names = new Set(operations.map((route) => route.name));
    const byNode = new Map(nodes.map((node) => [node, new Set<string>()]));
    for (const entry of PERMISSION_NODES) {
      for (const operation of entry.operations ?? []) {
        if (names.has(operation)) byNode.get(entry.node)?.add(operation);
      }
    }
    for (const route of operations) {
      if (route.orgPermission) byNode.get(route.orgPermission)?.add(route.name);
    }
    // A group governs what its children govern, at any depth.
    for (const [node, set] of byNode) {
      for (const [other, operationsOfOther] of byNode) {
        if (other.startsWith(`${node}/`)) for (const name of operationsOfOther) set.add(name);
      }
    }
    return byNode;
  }

  it('finds the operations of every module', () => {
    assert.ok(operations.some((route) => route.name === 'POST /api/v1/auth/login'));
    assert.ok(operations.some((route) => route.name === 'RoleService/SetRoleNodes'));
    assert.ok(operations.length >= 100, `${operations.length} operations`);
  });

  it('has each operation declare exactly one of @OrgPermission and @NotOrgScoped', () => {
    assert.deepEqual(
      operations
        .filter((route) => !route.orgPermission && !route.notOrgScoped)
        .map((route) => route.name),
      [],
      'declare @OrgPermission(node) or @NotOrgScoped(reason) on these',
    );
    assert.deepEqual(
      operations
        .filter((route) => route.orgPermission && route.notOrgScoped)
        .map((route) => route.name),
      [],
      'these declare both',
    );
  });

  it('names a node of the catalogue on every organization-scoped operation', () => {
    assert.deepEqual(
      operations
        .filter((route) => route.orgPermission && !catalogued.has(route.orgPermission))
        .map((route) => `${route.name}: ${route.orgPermission}`),
      [],
    );
  });

  it('reads the organization of every organization-scoped operation from its path, message or client header', () => {
    const fields = requestFields();
    const scoped = operations.filter((route) => route.orgPermission);
    assert.ok(scoped.length >= 10, `${scoped.length} organization-scoped operations`);
    assert.deepEqual(
      scoped
        .filter((route) =>
          route.kind === 'http'
            ? !route.path!.startsWith('/api/v1/organizations/:organizationId') &&
              // The original web client's routes: its organizationCode header.
              !route.enveloped
            : fields.get(route.name)?.[0] !== 'organizationId',
        )
        .map((route) => route.name),
      [],
      'REST paths start /api/v1/organizations/:organizationId (or carry the web client’s organizationCode header); messages with organization_id',
    );
    assert.deepEqual(
      scoped.filter((route) => route.isPublic).map((route) => route.name),
      [],
      'public and organization-scoped',
    );
  });

  it('lists only served operations in the catalogue, none of them declaring another node', () => {
    const byName = new Map(operations.map((route) => [route.name, route]));
    const wrong = PERMISSION_NODES.flatMap((entry) =>
      (entry.operations ?? []).flatMap((name) => {
        const route = byName.get(name);
        if (!route) return [`${entry.node}: ${name} is not served`];
        if (route.orgPermission && route.orgPermission !== entry.node) {
          return [`${entry.node}: ${name} declares ${route.orgPermission}`];
        }
        return [];
      }),
    );
    assert.deepEqual(wrong, []);
  });

  it('seeds the catalogue the code describes', async () => {
    const rows = await sql<{
      id: number;
      node: string;
      title: string;
      parent: string | null;
      isMenu: number;
      isAuth: number;
      isLogin: number;
    }>(
      app,
      'SELECT id, node, title, parent, isMenu, isAuth, isLogin FROM permission_node ORDER BY id',
    );
    assert.deepEqual(
      rows.map((row) => ({
        ...row,
        isMenu: Boolean(row.isMenu),
        isAuth: Boolean(row.isAuth),
        isLogin: Boolean(row.isLogin),
      })),
      PERMISSION_NODES.map(({ operations: _operations, ...entry }) => ({
        ...entry,
        parent:
          PERMISSION_NODES.map((other) => other.node)
            .filter((other) => entry.node.startsWith(`${other}/`))
            .sort((a, b) => b.length - a.length)[0] ?? null,
      })),
    );
  });

  it('has every seeded node govern an operation', async () => {
    const rows = await sql<{ node: string }>(app, 'SELECT node FROM permission_node');
    const byNode = governed(rows.map((row) => row.node));
    assert.deepEqual(
      [...byNode].filter(([, names]) => names.size === 0).map(([node]) => node),
      [],
      'seeded nodes that name no operation',
    );
  });

  it("has every seeded menu entry's node govern an operation ('#' needs none)", async () => {
    const rows = await sql<{ id: number; node: string }>(app, 'SELECT id, node FROM menu');
    const byNode = governed([...catalogued]);
    assert.deepEqual(
      rows
        .filter((row) => row.node !== '#' && !byNode.get(row.node)?.size)
        .map((row) => `${row.id}: ${row.node}`),
      [],
      'menu entries whose node names no operation',
    );
  });
});

describe('the organization rules, over REST and gRPC', () => {
  let app: TestApp;
  let roles: Client;
  let projects: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let disabled: RegisteredMember;
  let outsider: RegisteredMember;
  let organizationId: string;
  let memberAccount: string;
  let disabledAccount: string;

  before(async () => {
    app = await startTestApp();
    ({ roles } = accessGrpcClients(app));
    ({ projects } = projectGrpcClients(app));
    [owner, member, disabled, outsider] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
    organizationId = await personalOrganization(app, owner.accessToken);
    memberAccount = await addAccount(app, organizationId, member.id, 'member');
    disabledAccount = await addAccount(app, organizationId, disabled.id, 'admin');
    await setAccountStatus(app, disabledAccount, 'disabled');
  });

  after(async () => {
    roles?.close();
    projects?.close();
    await app?.close();
  });

  const rolesPath = () => `/api/v1/organizations/${organizationId}/roles`;
  const listRoles = (who: RegisteredMember) =>
    call(app, 'GET', rolesPath(), { token: who.accessToken });
  const rpc = <T>(client: Client, method: string, request: object, who: RegisteredMember) =>
    unary<object, T>(client, method, request, bearer(who.accessToken));

  /** Gives a role exactly these nodes, as the owner. */
  async function setNodes(roleId: string, nodes: string[]) {
    const response = await call(app, 'PUT', `${rolesPath()}/${roleId}/nodes`, {
      token: owner.accessToken,
      body: { nodes },
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
  }

  it('lets the owner do everything, whatever their role holds', async () => {
    const admin = await roleOfKind(app, owner.accessToken, organizationId, 'admin');
    const granted = await call<{ checked: string[] }>(
      app,
      'GET',
      `${rolesPath()}/${admin.id}/nodes`,
      { token: owner.accessToken },
    );
    await setNodes(admin.id, []);
    try {
      const created = await call(app, 'POST', rolesPath(), {
        token: owner.accessToken,
        body: { name: 'Made by the owner' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await rpc(roles, 'listRoles', { organizationId }, owner);
    } finally {
      await setNodes(admin.id, granted.body.checked);
    }
  });

  it('answers 404 / NOT_FOUND to a member without an account in the organization', async () => {
    const refused = await call<ProblemBody>(app, 'GET', rolesPath(), {
      token: outsider.accessToken,
    });
    assert.equal(refused.status, 404);
    assert.equal(refused.body.code, 'not_found');
    await assert.rejects(
      rpc(roles, 'listRoles', { organizationId }, outsider),
      rejectsWith(status.NOT_FOUND),
    );
    // An id that names no organization is answered alike, before anything else.
    const unknown = await call(app, 'GET', '/api/v1/organizations/not-an-id/roles', {
      token: owner.accessToken,
    });
    assert.equal(unknown.status, 404);
    await assert.rejects(rpc(roles, 'listRoles', {}, owner), rejectsWith(status.NOT_FOUND));
  });

  it('refuses a disabled account with 403 / PERMISSION_DENIED, and not once enabled', async () => {
    const refused = await call<ProblemBody>(app, 'GET', rolesPath(), {
      token: disabled.accessToken,
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'account_disabled');
    await assert.rejects(
      rpc(roles, 'listRoles', { organizationId }, disabled),
      rejectsWith(status.PERMISSION_DENIED, undefined, 'account_disabled'),
    );
    await setAccountStatus(app, disabledAccount, 'active');
    try {
      assert.equal((await listRoles(disabled)).status, 200);
      await rpc(roles, 'listRoles', { organizationId }, disabled);
    } finally {
      await setAccountStatus(app, disabledAccount, 'disabled');
    }
    assert.equal((await listRoles(disabled)).status, 403);
  });

  it('refuses a member whose role lacks the node with 403 / PERMISSION_DENIED naming it', async () => {
    const refused = await call<ProblemBody>(app, 'POST', rolesPath(), {
      token: member.accessToken,
      body: { name: 'Not allowed' },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'permission_denied');
    assert.match(refused.body.detail, /project\/auth\/add/);
    await assert.rejects(
      rpc(roles, 'createRole', { organizationId, name: 'Not allowed' }, member),
      rejectsWith(status.PERMISSION_DENIED, undefined, 'permission_denied'),
    );
    const names = await call<PageBody<{ name: string }>>(app, 'GET', rolesPath(), {
      token: owner.accessToken,
    });
    assert.ok(!names.body.items.some((role) => role.name === 'Not allowed'));
  });

  it('grants every node of a group to a role holding the group', async () => {
    const memberRole = await roleOfKind(app, owner.accessToken, organizationId, 'member');
    const before = await call<{ checked: string[] }>(
      app,
      'GET',
      `${rolesPath()}/${memberRole.id}/nodes`,
      { token: owner.accessToken },
    );
    await setNodes(memberRole.id, [...before.body.checked, 'project/auth']);
    try {
      const created = await call(app, 'POST', rolesPath(), {
        token: member.accessToken,
        body: { name: 'Through the group' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    } finally {
      await setNodes(memberRole.id, before.body.checked);
    }
  });

  it('creates a project in an organization for a role holding project/project/save only', async () => {
    const custom = await call<{ id: string }>(app, 'POST', rolesPath(), {
      token: owner.accessToken,
      body: { name: 'Project makers' },
    });
    const assign = (roleId: string) =>
      call(app, 'PUT', `/api/v1/organizations/${organizationId}/accounts/${memberAccount}/role`, {
        token: owner.accessToken,
        body: { roleId },
      });
    assert.equal((await assign(custom.body.id)).status, 200);
    const memberRole = await roleOfKind(app, owner.accessToken, organizationId, 'member');
    try {
      const path = `/api/v1/organizations/${organizationId}/projects`;
      const refused = await call<ProblemBody>(app, 'POST', path, {
        token: member.accessToken,
        body: { name: 'Refused' },
      });
      assert.equal(refused.status, 403);
      await assert.rejects(
        rpc(projects, 'createProjectInOrganization', { organizationId, name: 'Refused' }, member),
        rejectsWith(status.PERMISSION_DENIED),
      );
      await setNodes(custom.body.id, ['project/project/save']);
      const created = await call<ProjectBody & { organizationId: string }>(app, 'POST', path, {
        token: member.accessToken,
        body: { name: 'In the organization' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.organizationId, organizationId);
      assert.equal(created.body.myRole, 'owner');
      const overGrpc = await rpc<{ organizationId: string }>(
        projects,
        'createProjectInOrganization',
        { organizationId, name: 'Over gRPC' },
        member,
      );
      assert.equal(overGrpc.organizationId, organizationId);
      // Outsiders learn nothing of the organization.
      const hidden = await call(app, 'POST', path, {
        token: outsider.accessToken,
        body: { name: 'Hidden' },
      });
      assert.equal(hidden.status, 404);
    } finally {
      assert.equal((await assign(memberRole.id)).status, 200);
    }
  });

  it("files a project made without an organization under the creator's personal one", async () => {
    const created = await call<{ organizationId: string }>(app, 'POST', '/api/v1/projects', {
      token: member.accessToken,
      body: { name: 'Personal' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.organizationId, await personalOrganization(app, member.accessToken));
    const refused = await call<ProblemBody>(app, 'POST', '/api/v1/projects', {
      token: member.accessToken,
      body: { name: 'Elsewhere', organizationId },
    });
    assert.equal(refused.status, 400);
    assert.deepEqual(
      refused.body.errors?.map((error) => error.field),
      ['organizationId'],
    );
  });

  it('keeps a project open to its members from outside the organization', async () => {
    const project = await call<ProjectBody>(
      app,
      'POST',
      `/api/v1/organizations/${organizationId}/projects`,
      { token: owner.accessToken, body: { name: 'Shared with an outsider' } },
    );
    assert.equal(project.status, 201);
    const added = await call(app, 'POST', `/api/v1/projects/${project.body.id}/members`, {
      token: owner.accessToken,
      body: { memberId: outsider.id },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const seen = await call<ProjectBody>(app, 'GET', `/api/v1/projects/${project.body.id}`, {
      token: outsider.accessToken,
    });
    assert.equal(seen.status, 200);
    const stage = await call<{ id: string }>(
      app,
      'POST',
      `/api/v1/projects/${project.body.id}/stages`,
      { token: owner.accessToken, body: { name: 'Doing' } },
    );
    const task = await call(app, 'POST', `/api/v1/projects/${project.body.id}/tasks`, {
      token: outsider.accessToken,
      body: { stageId: stage.body.id, name: 'From outside' },
    });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    // ...and the organization itself stays closed to them.
    assert.equal((await listRoles(outsider)).status, 404);
  });
});
