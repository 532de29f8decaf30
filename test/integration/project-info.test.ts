import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, grpcClient, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { createProject, sql, type ProblemBody } from '../support/projects';

interface FieldBody {
  id: string;
  projectId: string;
  name: string;
  value: string;
  description: string | null;
  sort: number;
  createdBy: string;
}

describe("project information fields: a project's custom name/value pairs", () => {
  let app: TestApp;
  let info: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    info = grpcClient(
      app.grpcAddress,
      'project/v1/project.proto',
      'msproject.project.v1.ProjectInfoService',
    );
    [owner, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
  });
  after(async () => {
    info?.close();
    await app?.close();
  });

  const as = (who: RegisteredMember) => ({ token: who.accessToken });

  /** A project of the owner with the member in it. */
  async function newProject(): Promise<string> {
    const project = await createProject(app, owner.accessToken);
    const added = await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
      ...as(owner),
      body: { memberId: member.id },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    return project.id;
  }

  async function addField(projectId: string, body: Record<string, unknown>) {
    const created = await call<FieldBody>(
      app,
      'POST',
      `/api/v1/projects/${projectId}/info-fields`,
      {
        ...as(owner),
        body,
      },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  }

  async function listed(projectId: string, who = member) {
    const answer = await call<{ items: FieldBody[] }>(
      app,
      'GET',
      `/api/v1/projects/${projectId}/info-fields`,
      as(who),
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.items;
  }

  const rowsOf = async (projectId: string) =>
    (await listed(projectId, owner)).map(({ name, value, description, sort }) => ({
      name,
      value,
      description,
      sort,
    }));

  it('lets the owner add, change and delete fields, and every member read them', async () => {
    const projectId = await newProject();
    const created = await addField(projectId, {
      name: '  Budget  ',
      value: '100 000',
      description: 'Approved in March',
    });
    assert.equal(created.name, 'Budget');
    assert.equal(created.value, '100 000');
    assert.equal(created.description, 'Approved in March');
    assert.equal(created.projectId, projectId);
    assert.equal(created.createdBy, owner.id);
    assert.deepEqual(
      (await listed(projectId)).map((field) => field.id),
      [created.id],
    );

    const changed = await call<FieldBody>(app, 'PATCH', `/api/v1/info-fields/${created.id}`, {
      ...as(owner),
      body: { value: '120 000', description: null },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.name, 'Budget', 'unset fields are left as they are');
    assert.equal(changed.body.value, '120 000');
    assert.equal(changed.body.description, null);
    assert.deepEqual(await rowsOf(projectId), [
      { name: 'Budget', value: '120 000', description: null, sort: created.sort },
    ]);

    const removed = await call(app, 'DELETE', `/api/v1/info-fields/${created.id}`, as(owner));
    assert.equal(removed.status, 204);
    assert.deepEqual(await listed(projectId), []);
    const again = await call(app, 'DELETE', `/api/v1/info-fields/${created.id}`, as(owner));
    assert.equal(again.status, 404);
  });

  it('lists by sort, then oldest first; a field without sort goes after the last one', async () => {
    const projectId = await newProject();
    const first = await addField(projectId, { name: 'First' });
    const second = await addField(projectId, { name: 'Second' });
    assert.equal(first.sort, 0);
    assert.equal(second.sort, 1, 'after the last one');
    const top = await addField(projectId, { name: 'Top', sort: 0 });
    const late = await addField(projectId, { name: 'Late', sort: 50 });
    const next = await addField(projectId, { name: 'Next' });
    assert.equal(next.sort, 51);
    assert.deepEqual(
      (await listed(projectId)).map((field) => field.name),
      ['First', 'Top', 'Second', 'Late', 'Next'],
    );
    const moved = await call<FieldBody>(app, 'PATCH', `/api/v1/info-fields/${first.id}`, {
      ...as(owner),
      body: { sort: 60 },
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual(
      (await listed(projectId)).map((field) => field.id),
      [top.id, second.id, late.id, next.id, first.id],
    );
  });

  it('lets only the owner write: a member is refused (403), a stranger finds nothing (404)', async () => {
    const projectId = await newProject();
    const field = await addField(projectId, { name: 'Client', value: 'ACME' });
    const byMember = await call<ProblemBody>(
      app,
      'POST',
      `/api/v1/projects/${projectId}/info-fields`,
      { ...as(member), body: { name: 'Mine' } },
    );
    assert.equal(byMember.status, 403);
    for (const [method, body] of [
      ['PATCH', { value: 'Changed' }],
      ['DELETE', undefined],
    ] as const) {
      const answer = await call(app, method, `/api/v1/info-fields/${field.id}`, {
        ...as(member),
        body,
      });
      assert.equal(answer.status, 403, `${method} by a member`);
      const hidden = await call(app, method, `/api/v1/info-fields/${field.id}`, {
        ...as(stranger),
        body,
      });
      assert.equal(hidden.status, 404, `${method} by a stranger`);
    }
    const strangerList = await call(
      app,
      'GET',
      `/api/v1/projects/${projectId}/info-fields`,
      as(stranger),
    );
    assert.equal(strangerList.status, 404);
    const strangerAdd = await call(app, 'POST', `/api/v1/projects/${projectId}/info-fields`, {
      ...as(stranger),
      body: { name: 'Theirs' },
    });
    assert.equal(strangerAdd.status, 404);
    const anonymous = await call(app, 'GET', `/api/v1/projects/${projectId}/info-fields`);
    assert.equal(anonymous.status, 401);
    assert.deepEqual(await rowsOf(projectId), [
      { name: 'Client', value: 'ACME', description: null, sort: 0 },
    ]);
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const projectId = await newProject();
    const field = await addField(projectId, { name: 'Kept', value: 'v' });
    const bad: [string, Record<string, unknown>, string][] = [
      ['POST', {}, 'name'],
      ['POST', { name: '   ' }, 'name'],
      ['POST', { name: 'x'.repeat(91) }, 'name'],
      ['POST', { name: 'ok', value: 'x'.repeat(1001) }, 'value'],
      ['POST', { name: 'ok', description: 'x'.repeat(501) }, 'description'],
      ['POST', { name: 'ok', sort: -1 }, 'sort'],
      ['POST', { name: 'ok', sort: 1.5 }, 'sort'],
      ['POST', { name: 'ok', sort: 1_000_001 }, 'sort'],
      ['POST', { name: 'ok', color: 'red' }, 'color'],
      ['PATCH', {}, 'nothing to change'],
      ['PATCH', { name: '' }, 'name'],
      ['PATCH', { sort: 'first' }, 'sort'],
    ];
    for (const [method, body, named] of bad) {
      const path =
        method === 'POST'
          ? `/api/v1/projects/${projectId}/info-fields`
          : `/api/v1/info-fields/${field.id}`;
      const answer = await call<ProblemBody>(app, method, path, { ...as(owner), body });
      assert.equal(answer.status, 400, `${method} ${JSON.stringify(body)}`);
      assert.match(JSON.stringify(answer.body), new RegExp(named), JSON.stringify(answer.body));
    }
    assert.deepEqual(await rowsOf(projectId), [
      { name: 'Kept', value: 'v', description: null, sort: 0 },
    ]);
  });

  it('keeps at most 100 fields a project', async () => {
    const projectId = await newProject();
    const [row] = await sql<{ id: number; ownerId: number }>(
      app,
      'SELECT id, ownerId FROM project ORDER BY id DESC LIMIT 1',
    );
    // 99 rows straight in: the 100th through the API still fits, the 101st does not.
    const values = Array.from({ length: 99 }, (_, index) => [
      row.id,
      `Field ${index}`,
      index,
      row.ownerId,
    ]);
    await sql(
      app,
      'INSERT INTO project_info (projectId, name, sort, createdBy) VALUES ' +
        values.map(() => '(?, ?, ?, ?)').join(', '),
      values.flat(),
    );
    assert.equal((await listed(projectId)).length, 99, 'the rows are this project’s');
    await addField(projectId, { name: 'Hundredth' });
    const over = await call<ProblemBody>(app, 'POST', `/api/v1/projects/${projectId}/info-fields`, {
      ...as(owner),
      body: { name: 'Too many' },
    });
    assert.equal(over.status, 409, JSON.stringify(over.body));
    assert.equal((await listed(projectId)).length, 100);
  });

  it('keeps the fields of a recycled project unchanged, and deletes them with the project for good', async () => {
    const projectId = await newProject();
    const field = await addField(projectId, { name: 'Phase', value: 'Design' });
    const recycled = await call(app, 'DELETE', `/api/v1/projects/${projectId}`, as(owner));
    assert.equal(recycled.status, 200);
    assert.equal((await listed(projectId)).length, 1, 'members still read them');
    const refused = await call<ProblemBody>(app, 'PATCH', `/api/v1/info-fields/${field.id}`, {
      ...as(owner),
      body: { value: 'Build' },
    });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    const added = await call(app, 'POST', `/api/v1/projects/${projectId}/info-fields`, {
      ...as(owner),
      body: { name: 'More' },
    });
    assert.equal(added.status, 409);
    const purged = await call(app, 'POST', `/api/v1/projects/${projectId}/purge`, as(owner));
    assert.equal(purged.status, 204);
    const left = await sql(app, 'SELECT id FROM project_info WHERE name = ? AND value = ?', [
      'Phase',
      'Design',
    ]);
    assert.deepEqual(left, []);
  });

  it('serves the same over gRPC, with the same rules', async () => {
    const projectId = await newProject();
    const asOwner = bearer(owner.accessToken);
    const created = await unary<object, FieldBody>(
      info,
      'CreateProjectInfoField',
      { projectId, name: 'Sponsor', value: 'Finance', description: 'Who pays' },
      asOwner,
    );
    assert.equal(created.name, 'Sponsor');
    assert.equal(created.sort, 0);
    const restView = await listed(projectId);
    assert.deepEqual(
      restView.map((field) => field.id),
      [created.id],
    );
    const updated = await unary<object, FieldBody>(
      info,
      'UpdateProjectInfoField',
      { id: created.id, description: '', sort: 7 },
      asOwner,
    );
    assert.equal(updated.value, 'Finance', 'unset fields are left as they are');
    assert.equal(updated.sort, 7);
    assert.equal(updated.description ?? '', '');
    assert.deepEqual(await rowsOf(projectId), [
      { name: 'Sponsor', value: 'Finance', description: null, sort: 7 },
    ]);
    const listedByMember = await unary<object, { items?: FieldBody[] }>(
      info,
      'ListProjectInfoFields',
      { projectId },
      bearer(member.accessToken),
    );
    assert.deepEqual(
      (listedByMember.items ?? []).map((field) => field.id),
      [created.id],
    );
    await assert.rejects(
      unary(info, 'DeleteProjectInfoField', { id: created.id }, bearer(member.accessToken)),
      rejectsWith(status.PERMISSION_DENIED),
    );
    await assert.rejects(
      unary(info, 'ListProjectInfoFields', { projectId }, bearer(stranger.accessToken)),
      rejectsWith(status.NOT_FOUND),
    );
    await assert.rejects(
      unary(info, 'CreateProjectInfoField', { projectId, name: '' }, asOwner),
      rejectsWith(status.INVALID_ARGUMENT, 'name'),
    );
    await assert.rejects(
      unary(info, 'UpdateProjectInfoField', { id: created.id, name: 'x'.repeat(91) }, asOwner),
      rejectsWith(status.INVALID_ARGUMENT, 'name'),
    );
    await unary(info, 'DeleteProjectInfoField', { id: created.id }, asOwner);
    const after = await unary<object, { items?: FieldBody[] }>(
      info,
      'ListProjectInfoFields',
      { projectId },
      asOwner,
    );
    assert.deepEqual(after.items ?? [], []);
  });
});
