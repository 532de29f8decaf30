import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  createDepartment,
  joinOrganization,
  organizationGrpcClients,
  personalOrganization,
  type AccountBody,
  type DepartmentBody,
  type DepartmentNodeBody,
} from '../support/organizations';
import { sql, type PageBody, type ProblemBody } from '../support/projects';

describe('departments: an organization’s tree and who is in it', () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let colleague: RegisteredMember;
  let stranger: RegisteredMember;
  let organizationId: string;
  let colleagueAccount: AccountBody;
  let grpc: ReturnType<typeof organizationGrpcClients>;

  before(async () => {
    app = await startTestApp();
    grpc = organizationGrpcClients(app);
    [owner, colleague, stranger] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
    organizationId = await personalOrganization(app, owner.accessToken);
    colleagueAccount = await joinOrganization(app, owner, organizationId, colleague);
  });

  after(async () => {
    for (const client of Object.values<Client>(grpc ?? {})) client.close();
    await app?.close();
  });

  const base = () => `/api/v1/organizations/${organizationId}/departments`;
  const department = (id: string, token = owner.accessToken) =>
    call<DepartmentBody & ProblemBody>(app, 'GET', `${base()}/${id}`, { token });
  const move = (id: string, parentDepartmentId: string | null, token = owner.accessToken) =>
    call<DepartmentBody & ProblemBody>(app, 'PATCH', `${base()}/${id}`, {
      token,
      body: { parentDepartmentId },
    });
  const tree = async () => {
    const response = await call<{ items: DepartmentNodeBody[] }>(app, 'GET', `${base()}/tree`, {
      token: owner.accessToken,
    });
    assert.equal(response.status, 200);
    return response.body.items;
  };
  /** The stored path of a department: its ancestors' numeric ids, each followed by '/'. */
  const storedPath = async (id: string) => {
    const [row] = await sql<{ path: string }>(app, 'SELECT path FROM department WHERE id = ?', [
      decodeId(id, 'department'),
    ]);
    return row.path;
  };
  const pathOf = (...ids: string[]) => ids.map((id) => `${decodeId(id, 'department')}/`).join('');
  const named = (name: string) => `${name} ${Math.random().toString(36).slice(2, 7)}`;
  const find = (nodes: DepartmentNodeBody[], id: string): DepartmentNodeBody | undefined => {
    for (const node of nodes) {
      if (node.id === id) return node;
      const below = find(node.children, id);
      if (below) return below;
    }
    return undefined;
  };

  it('grows a tree: departments at the top and under others, with their ancestors and depth', async () => {
    const top = await createDepartment(app, owner.accessToken, organizationId, named('Top'));
    const middle = await createDepartment(
      app,
      owner.accessToken,
      organizationId,
      named('Middle'),
      top.id,
    );
    const leaf = await createDepartment(
      app,
      owner.accessToken,
      organizationId,
      named('Leaf'),
      middle.id,
    );
    assert.equal(top.parentId, null);
    assert.equal(top.depth, 1);
    assert.deepEqual(leaf.ancestorIds, [top.id, middle.id]);
    assert.equal(leaf.depth, 3);
    assert.equal(leaf.parentId, middle.id);
    assert.equal(await storedPath(leaf.id), pathOf(top.id, middle.id));

    const topNode = find(await tree(), top.id);
    assert.deepEqual(
      topNode?.children.map((child) => child.id),
      [middle.id],
    );
    assert.deepEqual(
      topNode?.children[0].children.map((child) => child.id),
      [leaf.id],
    );

    const children = await call<PageBody<DepartmentBody>>(
      app,
      'GET',
      `${base()}?parentDepartmentId=${middle.id}`,
      { token: colleague.accessToken },
    );
    assert.equal(children.status, 200);
    assert.deepEqual(
      children.body.items.map((item) => item.id),
      [leaf.id],
    );
    const roots = await call<PageBody<DepartmentBody>>(app, 'GET', `${base()}?pageSize=100`, {
      token: owner.accessToken,
    });
    assert.ok(roots.body.items.some((item) => item.id === top.id));
    assert.ok(roots.body.items.every((item) => item.parentId === null));
  });

  it('moves a department with its whole subtree, rewriting every path below it', async () => {
    const a = await createDepartment(app, owner.accessToken, organizationId, named('A'));
    const b = await createDepartment(app, owner.accessToken, organizationId, named('B'), a.id);
    const c = await createDepartment(app, owner.accessToken, organizationId, named('C'), b.id);
    const d = await createDepartment(app, owner.accessToken, organizationId, named('D'), c.id);
    const elsewhere = await createDepartment(app, owner.accessToken, organizationId, named('E'));

    const moved = await move(b.id, elsewhere.id);
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.parentId, elsewhere.id);
    assert.deepEqual(moved.body.ancestorIds, [elsewhere.id]);
    assert.equal(await storedPath(b.id), pathOf(elsewhere.id));
    assert.equal(await storedPath(c.id), pathOf(elsewhere.id, b.id));
    assert.equal(await storedPath(d.id), pathOf(elsewhere.id, b.id, c.id));
    assert.deepEqual((await department(d.id)).body.ancestorIds, [elsewhere.id, b.id, c.id]);
    assert.equal(find(await tree(), a.id)?.children.length, 0);

    const toTop = await move(b.id, null);
    assert.equal(toTop.status, 200);
    assert.equal(toTop.body.parentId, null);
    assert.equal(await storedPath(b.id), '');
    assert.equal(await storedPath(d.id), pathOf(b.id, c.id));
    assert.equal((await department(d.id)).body.depth, 3);
  });

  it('refuses to move a department under itself or its own subtree (400), changing nothing', async () => {
    const a = await createDepartment(app, owner.accessToken, organizationId, named('A'));
    const b = await createDepartment(app, owner.accessToken, organizationId, named('B'), a.id);
    const c = await createDepartment(app, owner.accessToken, organizationId, named('C'), b.id);
    for (const target of [a, b, c]) {
      const refused = await move(a.id, target.id);
      assert.equal(refused.status, 400, target.name);
      assert.equal(refused.body.errors?.[0].field, 'parentDepartmentId');
    }
    assert.equal(await storedPath(a.id), '');
    assert.equal(await storedPath(c.id), pathOf(a.id, b.id));
  });

  it('lets one of two crossing moves through and refuses the other, leaving no cycle', async () => {
    const a = await createDepartment(app, owner.accessToken, organizationId, named('A'));
    const b = await createDepartment(app, owner.accessToken, organizationId, named('B'));
    const answers = await Promise.all([move(a.id, b.id), move(b.id, a.id)]);
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 400]);
    const [pathA, pathB] = [await storedPath(a.id), await storedPath(b.id)];
    assert.ok(
      (pathA === pathOf(b.id) && pathB === '') || (pathB === pathOf(a.id) && pathA === ''),
      `${pathA} / ${pathB}`,
    );
  });

  it('keeps the tree at most 10 levels deep, on create and on move', async () => {
    let parent: DepartmentBody | undefined;
    const chain: DepartmentBody[] = [];
    for (let level = 1; level <= 10; level++) {
      parent = await createDepartment(
        app,
        owner.accessToken,
        organizationId,
        named(`Level ${level}`),
        parent?.id,
      );
      chain.push(parent);
    }
    assert.equal(chain[9].depth, 10);
    const tooDeep = await call<ProblemBody>(app, 'POST', base(), {
      token: owner.accessToken,
      body: { name: 'Level 11', parentDepartmentId: chain[9].id },
    });
    assert.equal(tooDeep.status, 400);
    assert.equal(tooDeep.body.errors?.[0].field, 'parentDepartmentId');

    // A two-level subtree fits under level 8, not under level 9.
    const small = await createDepartment(app, owner.accessToken, organizationId, named('Small'));
    await createDepartment(app, owner.accessToken, organizationId, named('Below'), small.id);
    assert.equal((await move(small.id, chain[8].id)).status, 400);
    assert.equal(await storedPath(small.id), '');
    assert.equal((await move(small.id, chain[7].id)).status, 200);
  });

  it('deletes only an empty department: 409 while it has sub-departments or members', async () => {
    const parent = await createDepartment(app, owner.accessToken, organizationId, named('Parent'));
    const child = await createDepartment(
      app,
      owner.accessToken,
      organizationId,
      named('Child'),
      parent.id,
    );
    const remove = (id: string) =>
      call<ProblemBody>(app, 'DELETE', `${base()}/${id}`, { token: owner.accessToken });

    const withChild = await remove(parent.id);
    assert.equal(withChild.status, 409);
    assert.equal(withChild.body.code, 'department_not_empty');

    const added = await call(app, 'POST', `${base()}/${child.id}/members`, {
      token: owner.accessToken,
      body: { accountId: colleagueAccount.id },
    });
    assert.equal(added.status, 200);
    const withMember = await remove(child.id);
    assert.equal(withMember.status, 409);
    assert.equal(withMember.body.code, 'department_not_empty');

    const out = await call(app, 'DELETE', `${base()}/${child.id}/members/${colleagueAccount.id}`, {
      token: owner.accessToken,
    });
    assert.equal(out.status, 204);
    assert.equal((await remove(child.id)).status, 204);
    assert.equal((await department(child.id)).status, 404);
    assert.equal((await remove(parent.id)).status, 204);
  });

  it('renames a department and refuses a blank or over-long name, naming the field', async () => {
    const created = await createDepartment(app, owner.accessToken, organizationId, named('Old'));
    const renamed = await call<DepartmentBody>(app, 'PATCH', `${base()}/${created.id}`, {
      token: owner.accessToken,
      body: { name: 'New name' },
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'New name');
    assert.equal(renamed.body.parentId, null);
    for (const name of ['  ', 'x'.repeat(51)]) {
      const refused = await call<ProblemBody>(app, 'PATCH', `${base()}/${created.id}`, {
        token: owner.accessToken,
        body: { name },
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.errors?.[0].field, 'name');
    }
    assert.equal((await department(created.id)).body.name, 'New name');
  });

  it('lists, adds and removes department members; an account is in one department at a time', async () => {
    const first = await createDepartment(app, owner.accessToken, organizationId, named('First'));
    const second = await createDepartment(app, owner.accessToken, organizationId, named('Second'));
    const members = async (id: string) => {
      const response = await call<PageBody<AccountBody>>(app, 'GET', `${base()}/${id}/members`, {
        token: owner.accessToken,
      });
      assert.equal(response.status, 200);
      return response.body.items.map((account) => account.id);
    };
    const put = (id: string) =>
      call<AccountBody>(app, 'POST', `${base()}/${id}/members`, {
        token: owner.accessToken,
        body: { accountId: colleagueAccount.id },
      });

    const inFirst = await put(first.id);
    assert.equal(inFirst.body.department?.id, first.id);
    assert.equal(inFirst.body.department?.name, first.name);
    assert.deepEqual(await members(first.id), [colleagueAccount.id]);

    assert.equal((await put(second.id)).status, 200);
    assert.deepEqual(await members(first.id), []);
    assert.deepEqual(await members(second.id), [colleagueAccount.id]);

    const notThere = await call(
      app,
      'DELETE',
      `${base()}/${first.id}/members/${colleagueAccount.id}`,
      { token: owner.accessToken },
    );
    assert.equal(notThere.status, 404);
    const unknownAccount = await call<ProblemBody>(app, 'POST', `${base()}/${first.id}/members`, {
      token: owner.accessToken,
      body: { accountId: 'not-an-account' },
    });
    assert.equal(unknownAccount.status, 400);
    assert.equal(unknownAccount.body.errors?.[0].field, 'accountId');

    const removed = await call(
      app,
      'DELETE',
      `${base()}/${second.id}/members/${colleagueAccount.id}`,
      { token: owner.accessToken },
    );
    assert.equal(removed.status, 204);
    assert.deepEqual(await members(second.id), []);
  });

  it('shows nothing of an organization to a non-member, and no other organization’s department', async () => {
    const mine = await createDepartment(app, owner.accessToken, organizationId, named('Mine'));
    for (const [method, path, body] of [
      ['GET', base()],
      ['GET', `${base()}/tree`],
      ['GET', `${base()}/${mine.id}`],
      ['POST', base(), { name: 'Intruder' }],
      ['PATCH', `${base()}/${mine.id}`, { name: 'Taken over' }],
      ['DELETE', `${base()}/${mine.id}`],
      ['GET', `${base()}/${mine.id}/members`],
    ] as [string, string, unknown?][]) {
      const response = await call(app, method, path, { token: stranger.accessToken, body });
      assert.equal(response.status, 404, `${method} ${path}`);
    }
    // The stranger's own organization does not reach into the owner's tree.
    const theirs = await personalOrganization(app, stranger.accessToken);
    const across = await call(
      app,
      'GET',
      `/api/v1/organizations/${theirs}/departments/${mine.id}`,
      {
        token: stranger.accessToken,
      },
    );
    assert.equal(across.status, 404);
    const asParent = await call<ProblemBody>(
      app,
      'POST',
      `/api/v1/organizations/${theirs}/departments`,
      { token: stranger.accessToken, body: { name: 'Under theirs', parentDepartmentId: mine.id } },
    );
    assert.equal(asParent.status, 400);
    assert.equal(asParent.body.errors?.[0].field, 'parentDepartmentId');
    assert.equal((await department(mine.id)).body.name, mine.name);
  });

  describe('over gRPC (msproject.organization.v1.DepartmentService)', () => {
    const rpc = <T>(method: string, request: object, who = owner) =>
      unary<object, T>(grpc.departments, method, request, bearer(who.accessToken));

    it('creates, moves, lists and deletes by the same rules', async () => {
      const top = await rpc<DepartmentBody>('CreateDepartment', {
        organizationId,
        name: named('Rpc top'),
      });
      const child = await rpc<DepartmentBody>('CreateDepartment', {
        organizationId,
        name: named('Rpc child'),
        parentDepartmentId: top.id,
      });
      assert.deepEqual(child.ancestorIds, [top.id]);
      const other = await rpc<DepartmentBody>('CreateDepartment', {
        organizationId,
        name: named('Rpc other'),
      });
      const moved = await rpc<DepartmentBody>('UpdateDepartment', {
        organizationId,
        departmentId: top.id,
        parentDepartmentId: other.id,
      });
      assert.equal(moved.parentId, other.id);
      assert.equal(await storedPath(child.id), pathOf(other.id, top.id));
      await assert.rejects(
        rpc('UpdateDepartment', {
          organizationId,
          departmentId: top.id,
          parentDepartmentId: child.id,
        }),
        rejectsWith(status.INVALID_ARGUMENT, 'parentDepartmentId'),
      );
      // "" moves it back to the top.
      const backOnTop = await rpc<DepartmentBody>('UpdateDepartment', {
        organizationId,
        departmentId: top.id,
        parentDepartmentId: '',
      });
      assert.equal(backOnTop.parentId, '');
      assert.equal(await storedPath(child.id), pathOf(top.id));

      const level = await rpc<PageBody<DepartmentBody>>('ListDepartments', {
        organizationId,
        parentDepartmentId: top.id,
      });
      assert.deepEqual(
        level.items.map((item) => item.id),
        [child.id],
      );
      const whole = await rpc<{ items: DepartmentNodeBody[] }>('GetDepartmentTree', {
        organizationId,
      });
      assert.deepEqual(
        find(whole.items, top.id)?.children.map((node) => node.id),
        [child.id],
      );

      await assert.rejects(
        rpc('DeleteDepartment', { organizationId, departmentId: top.id }),
        rejectsWith(status.FAILED_PRECONDITION, undefined, 'department_not_empty'),
      );
      await rpc('DeleteDepartment', { organizationId, departmentId: child.id });
      await rpc('DeleteDepartment', { organizationId, departmentId: top.id });
      await assert.rejects(
        rpc('GetDepartment', { organizationId, departmentId: top.id }),
        rejectsWith(status.NOT_FOUND),
      );
    });

    it('puts accounts in and out of departments, and tells a non-member nothing', async () => {
      const created = await rpc<DepartmentBody>('CreateDepartment', {
        organizationId,
        name: named('Rpc members'),
      });
      const account = await rpc<AccountBody>('AddDepartmentMember', {
        organizationId,
        departmentId: created.id,
        accountId: colleagueAccount.id,
      });
      assert.equal(account.department?.id, created.id);
      const listed = await rpc<PageBody<AccountBody>>('ListDepartmentMembers', {
        organizationId,
        departmentId: created.id,
      });
      assert.deepEqual(
        listed.items.map((item) => item.id),
        [colleagueAccount.id],
      );
      for (const [method, request] of [
        ['GetDepartmentTree', { organizationId }],
        ['GetDepartment', { organizationId, departmentId: created.id }],
        ['ListDepartmentMembers', { organizationId, departmentId: created.id }],
        [
          'RemoveDepartmentMember',
          { organizationId, departmentId: created.id, accountId: colleagueAccount.id },
        ],
      ] as [string, object][]) {
        await assert.rejects(rpc(method, request, stranger), rejectsWith(status.NOT_FOUND), method);
      }
      await rpc('RemoveDepartmentMember', {
        organizationId,
        departmentId: created.id,
        accountId: colleagueAccount.id,
      });
      await assert.rejects(
        rpc('RemoveDepartmentMember', {
          organizationId,
          departmentId: created.id,
          accountId: colleagueAccount.id,
        }),
        rejectsWith(status.NOT_FOUND),
      );
    });
  });
});
