import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  board,
  createTask,
  projectGrpcClients,
  type PageBody,
  type ProblemBody,
} from '../support/projects';

interface WorkTimeBody {
  id: string;
  taskId: string;
  member: { id: string; name: string; avatar: string | null };
  beginAt: string;
  hours: number;
  description: string | null;
}

type WorkTimePage = PageBody<WorkTimeBody> & { totalHours: number };

describe('task work time', () => {
  let app: TestApp;
  let tasks: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let colleague: RegisteredMember;
  let outsider: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    ({ tasks } = projectGrpcClients(app));
    [owner, member, colleague, outsider] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
  });

  after(async () => {
    tasks?.close();
    await app?.close();
  });

  /** A task of `owner`'s project, which `member` and `colleague` belong to. */
  async function sharedTask(taskBody: Record<string, unknown> = {}) {
    const { project, stages } = await board(app, owner, member);
    const added = await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
      token: owner.accessToken,
      body: { memberId: colleague.id },
    });
    assert.equal(added.status, 201);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id, taskBody);
    return { project, stages, task };
  }

  const addWorkTime = (taskId: string, body: Record<string, unknown>, who = member) =>
    call<WorkTimeBody & ProblemBody>(app, 'POST', `/api/v1/tasks/${taskId}/work-times`, {
      token: who.accessToken,
      body,
    });

  const listWorkTimes = (taskId: string, who = owner, query = '') =>
    call<WorkTimePage & ProblemBody>(app, 'GET', `/api/v1/tasks/${taskId}/work-times${query}`, {
      token: who.accessToken,
    });

  it('lists a task’s entries newest start first, with each member and the total of all entries', async () => {
    const { task } = await sharedTask();
    const early = await addWorkTime(task.id, {
      beginAt: '2026-03-01T09:00:00Z',
      hours: 0.25,
      description: 'Reading the brief',
    });
    assert.equal(early.status, 201, JSON.stringify(early.body));
    assert.equal(early.body.hours, 0.25);
    assert.equal(early.body.member.id, member.id);
    await addWorkTime(task.id, { beginAt: '2026-03-03T09:00:00Z', hours: 2.25 }, owner);
    await addWorkTime(task.id, { beginAt: '2026-03-02T09:00:00Z', hours: 1.5 });

    const listed = await listWorkTimes(task.id, colleague);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.items.map((entry) => [entry.beginAt, entry.hours, entry.member.id]),
      [
        ['2026-03-03T09:00:00.000Z', 2.25, owner.id],
        ['2026-03-02T09:00:00.000Z', 1.5, member.id],
        ['2026-03-01T09:00:00.000Z', 0.25, member.id],
      ],
    );
    assert.equal(listed.body.items[1].member.name, member.input.name);
    assert.ok('avatar' in listed.body.items[1].member);
    assert.equal(listed.body.items[2].description, 'Reading the brief');
    assert.equal(listed.body.total, 3);
    assert.equal(listed.body.totalHours, 4);

    const firstPage = await listWorkTimes(task.id, owner, '?pageSize=1');
    assert.equal(firstPage.body.items.length, 1);
    assert.equal(firstPage.body.totalHours, 4, 'the total covers every entry, not the page');
  });

  it('writes a workTime entry with the hours into the task’s activity', async () => {
    const { task } = await sharedTask();
    assert.equal((await addWorkTime(task.id, { hours: 1.75 })).status, 201);
    const activity = await call<
      PageBody<{ type: string; content: string; member: { id: string } }>
    >(app, 'GET', `/api/v1/tasks/${task.id}/activity`, { token: owner.accessToken });
    const [latest] = activity.body.items;
    assert.equal(latest.type, 'workTime');
    assert.match(latest.content, /1\.75 hours/);
    assert.equal(latest.member.id, member.id);
  });

  it('refuses hours that are not more than 0 and at most 24 with two decimals, naming the field, storing nothing', async () => {
    const { task } = await sharedTask();
    const refusals: [Record<string, unknown>, string][] = [
      [{ hours: 0 }, 'hours'],
      [{ hours: -1 }, 'hours'],
      [{ hours: 24.01 }, 'hours'],
      [{ hours: 100 }, 'hours'],
      [{ hours: 1.255 }, 'hours'],
      [{ hours: 0.001 }, 'hours'],
      [{ hours: '1.5' }, 'hours'],
      [{}, 'hours'],
      [{ hours: 1, description: 'x'.repeat(501) }, 'description'],
      [{ hours: 1, beginAt: 'yesterday' }, 'beginAt'],
    ];
    for (const [body, field] of refusals) {
      const refused = await addWorkTime(task.id, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.errors?.[0].field, field, JSON.stringify(body));
    }
    assert.equal((await listWorkTimes(task.id)).body.total, 0);
    const activity = await call<PageBody<{ type: string }>>(
      app,
      'GET',
      `/api/v1/tasks/${task.id}/activity`,
      { token: owner.accessToken },
    );
    assert.deepEqual(
      activity.body.items.map((entry) => entry.type),
      ['create'],
    );
    assert.equal((await addWorkTime(task.id, { hours: 24 })).status, 201);
    assert.equal((await addWorkTime(task.id, { hours: 0.01 })).status, 201);
    assert.equal((await listWorkTimes(task.id)).body.totalHours, 24.01);
    const entry = (await listWorkTimes(task.id)).body.items[0];
    const badEdit = await call<ProblemBody>(app, 'PATCH', `/api/v1/work-times/${entry.id}`, {
      token: member.accessToken,
      body: { hours: 24.5 },
    });
    assert.equal(badEdit.status, 400);
    assert.equal(badEdit.body.errors?.[0].field, 'hours');
  });

  it('lets the author and the project owner change or delete an entry: 403 for other members, 404 for outsiders', async () => {
    const { task } = await sharedTask();
    const entry = (await addWorkTime(task.id, { hours: 2, description: 'Mine' })).body;
    const edit = (who: RegisteredMember, body: Record<string, unknown>) =>
      call<WorkTimeBody & ProblemBody>(app, 'PATCH', `/api/v1/work-times/${entry.id}`, {
        token: who.accessToken,
        body,
      });
    const remove = (who: RegisteredMember) =>
      call<ProblemBody>(app, 'DELETE', `/api/v1/work-times/${entry.id}`, {
        token: who.accessToken,
      });

    assert.equal((await edit(colleague, { hours: 5 })).status, 403);
    assert.equal((await remove(colleague)).status, 403);
    assert.equal((await edit(outsider, { hours: 5 })).status, 404);
    assert.equal((await remove(outsider)).status, 404);

    const byAuthor = await edit(member, { hours: 3.5, beginAt: '2026-04-01T08:30:00Z' });
    assert.equal(byAuthor.status, 200, JSON.stringify(byAuthor.body));
    assert.equal(byAuthor.body.hours, 3.5);
    assert.equal(byAuthor.body.beginAt, '2026-04-01T08:30:00.000Z');
    const byOwner = await edit(owner, { description: null });
    assert.equal(byOwner.status, 200);
    assert.equal(byOwner.body.description, null);
    assert.equal(byOwner.body.member.id, member.id, 'the author stays the author');
    assert.deepEqual(
      (await listWorkTimes(task.id)).body.items.map((item) => [item.hours, item.description]),
      [[3.5, null]],
    );

    assert.equal((await remove(owner)).status, 204);
    assert.equal((await listWorkTimes(task.id)).body.total, 0);
    assert.equal((await remove(member)).status, 404);

    const own = (await addWorkTime(task.id, { hours: 1 }, colleague)).body;
    const ownRemoved = await call(app, 'DELETE', `/api/v1/work-times/${own.id}`, {
      token: colleague.accessToken,
    });
    assert.equal(ownRemoved.status, 204);
  });

  it('answers 404 about a private task’s work time to members who cannot see the task', async () => {
    const { project, stages } = await sharedTask();
    const privateTasks = await call(app, 'PATCH', `/api/v1/projects/${project.id}`, {
      token: owner.accessToken,
      body: { openTaskPrivate: true },
    });
    assert.equal(privateTasks.status, 200);
    const hidden = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const entry = (await addWorkTime(hidden.id, { hours: 1 }, owner)).body;
    assert.equal((await addWorkTime(hidden.id, { hours: 1 }, member)).status, 404);
    assert.equal((await listWorkTimes(hidden.id, member)).status, 404);
    const edit = await call(app, 'PATCH', `/api/v1/work-times/${entry.id}`, {
      token: member.accessToken,
      body: { hours: 2 },
    });
    assert.equal(edit.status, 404);
    assert.equal((await listWorkTimes(hidden.id, outsider)).status, 404);
  });

  it('refuses new entries on a recycled task, still lists the old ones and keeps them for its restore', async () => {
    const { task } = await sharedTask();
    assert.equal((await addWorkTime(task.id, { hours: 1.25 })).status, 201);
    const recycled = await call(app, 'POST', `/api/v1/tasks/${task.id}/recycle`, {
      token: member.accessToken,
    });
    assert.equal(recycled.status, 200);
    assert.equal((await addWorkTime(task.id, { hours: 1 })).status, 404);
    const inBin = await listWorkTimes(task.id);
    assert.deepEqual([inBin.status, inBin.body.total], [200, 1], 'still read in the bin');
    const restored = await call(app, 'POST', `/api/v1/tasks/${task.id}/restore`, {
      token: owner.accessToken,
    });
    assert.equal(restored.status, 200);
    const listed = await listWorkTimes(task.id);
    assert.equal(listed.body.total, 1);
    assert.equal(listed.body.totalHours, 1.25);
  });

  it('offers the same over gRPC: add, list with the total, change and delete, with the same rules', async () => {
    const { task } = await sharedTask();
    const rpc = <T>(method: string, request: object, who = member) =>
      unary<object, T>(tasks, method, request, bearer(who.accessToken));

    const added = await rpc<WorkTimeBody>('AddWorkTime', {
      taskId: task.id,
      beginAt: '2026-05-01T10:00:00Z',
      hours: 1.5,
      description: 'Over gRPC',
    });
    assert.equal(added.hours, 1.5);
    assert.equal(added.member.id, member.id);
    await rpc(
      'AddWorkTime',
      { taskId: task.id, beginAt: '2026-05-02T10:00:00Z', hours: 0.5 },
      owner,
    );
    const listed = await rpc<WorkTimePage>('ListWorkTimes', { taskId: task.id }, colleague);
    assert.deepEqual(
      listed.items.map((entry) => entry.hours),
      [0.5, 1.5],
    );
    assert.equal(listed.totalHours, 2);

    for (const hours of [0, 24.5, 1.234]) {
      await assert.rejects(
        rpc('AddWorkTime', { taskId: task.id, hours }),
        rejectsWith(status.INVALID_ARGUMENT, 'hours'),
      );
    }
    await assert.rejects(
      rpc('UpdateWorkTime', { id: added.id, hours: 2 }, colleague),
      rejectsWith(status.PERMISSION_DENIED),
    );
    await assert.rejects(
      rpc('DeleteWorkTime', { id: added.id }, colleague),
      rejectsWith(status.PERMISSION_DENIED),
    );
    await assert.rejects(
      rpc('UpdateWorkTime', { id: added.id, hours: 2 }, outsider),
      rejectsWith(status.NOT_FOUND),
    );
    await assert.rejects(
      rpc('ListWorkTimes', { taskId: task.id }, outsider),
      rejectsWith(status.NOT_FOUND),
    );
    const changed = await rpc<WorkTimeBody>(
      'UpdateWorkTime',
      { id: added.id, hours: 2, description: '' },
      owner,
    );
    assert.equal(changed.hours, 2);
    assert.equal(changed.description, '');
    await rpc('DeleteWorkTime', { id: added.id });
    const after = await rpc<WorkTimePage>('ListWorkTimes', { taskId: task.id });
    assert.equal(after.total, 1);
    assert.equal(after.totalHours, 0.5);
  });
});
