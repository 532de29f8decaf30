import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
import { uploadFile } from '../support/files';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  board,
  createTask,
  projectGrpcClients,
  sql,
  type PageBody,
  type ProblemBody,
  type TaskBody,
} from '../support/projects';

type AssignedTask = TaskBody & { assignee: { id: string } | null };

describe('leaving a project, and deleting one for good', () => {
  let app: TestApp;
  let projects: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    ({ projects } = projectGrpcClients(app));
    [owner, member, stranger] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
  });

  after(async () => {
    projects?.close();
    await app?.close();
  });

  const request = <T>(who: RegisteredMember, method: string, path: string, body?: unknown) =>
    call<T & ProblemBody>(app, method, `/api/v1${path}`, { token: who.accessToken, body });
  const readTask = (id: string) => request<AssignedTask>(owner, 'GET', `/tasks/${id}`);

  it('unassigns the open tasks of a member who leaves, keeps the done ones and the history, and takes the project off their lists', async () => {
    const { project, stages } = await board(app, owner, member);
    const open = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    const binned = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    const done = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    const others = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: owner.id,
    });
    assert.equal((await request(owner, 'POST', `/tasks/${done.id}/done`)).status, 200);
    assert.equal((await request(owner, 'POST', `/tasks/${binned.id}/recycle`)).status, 200);

    const left = await request<{ unassignedTasks: number }>(
      member,
      'POST',
      `/projects/${project.id}/leave`,
    );
    assert.equal(left.status, 200, JSON.stringify(left.body));
    assert.equal(left.body.unassignedTasks, 2, 'the open one on the board and the one in the bin');

    assert.equal((await readTask(open.id)).body.assignee, null);
    assert.equal((await readTask(done.id)).body.assignee?.id, member.id, 'done: kept');
    assert.equal((await readTask(others.id)).body.assignee?.id, owner.id);
    const [binnedRow] = await sql<{ assigneeId: number | null }>(
      app,
      'SELECT assigneeId FROM task WHERE id = ?',
      [decodeId(binned.id, 'task')],
    );
    assert.equal(binnedRow.assigneeId, null);
    const taskMembers = await request<PageBody<{ member: { id: string }; isExecutor: boolean }>>(
      owner,
      'GET',
      `/tasks/${open.id}/members`,
    );
    const row = taskMembers.body.items.find((item) => item.member.id === member.id);
    assert.equal(row?.isExecutor, false, 'still on the task, no longer its executor');
    const activity = await request<PageBody<{ type: string }>>(
      owner,
      'GET',
      `/tasks/${open.id}/activity`,
    );
    assert.ok(activity.body.items.some((entry) => entry.type === 'assign'));

    assert.equal((await request(member, 'GET', `/projects/${project.id}`)).status, 404);
    const mine = await request<PageBody<{ id: string }>>(member, 'GET', '/projects?pageSize=100');
    assert.equal(
      mine.body.items.some((item) => item.id === project.id),
      false,
    );
  });

  it('never lets the owner leave (409), and a stranger finds no project', async () => {
    const { project } = await board(app, owner, member);
    const refused = await request(owner, 'POST', `/projects/${project.id}/leave`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'owner_cannot_leave');
    assert.equal((await request(stranger, 'POST', `/projects/${project.id}/leave`)).status, 404);
    assert.equal((await request(owner, 'GET', `/projects/${project.id}`)).status, 200);
  });

  /** The rows anything keeps for the project, by table. */
  async function rowsOf(projectId: string): Promise<Record<string, number>> {
    const id = decodeId(projectId, 'project');
    const counts: Record<string, number> = {};
    for (const table of [
      'project',
      'project_member',
      'project_collection',
      'task_stage',
      'task',
      'project_activity',
      'task_work_time',
      'file',
    ]) {
      const column = table === 'project' ? 'id' : 'projectId';
      const [row] = await sql<{ count: number }>(
        app,
        `SELECT COUNT(*) AS count FROM ${table} WHERE ${column} = ?`,
        [id],
      );
      counts[table] = Number(row.count);
    }
    return counts;
  }

  it('deletes a recycled project for good with its stages, tasks, members, favourites, work time, activity and files', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    await createTask(app, member.accessToken, project.id, stages[1].id);
    assert.equal(
      (await request(member, 'POST', `/tasks/${task.id}/work-times`, { hours: 1 })).status,
      201,
    );
    const file = await uploadFile(app, owner.accessToken, task.id, Buffer.from('x'), 'x.txt');
    assert.equal(file.status, 201);
    assert.equal((await request(member, 'PUT', `/projects/${project.id}/collection`)).status, 200);
    const before = await rowsOf(project.id);
    for (const table of Object.keys(before)) assert.ok(before[table] > 0, `${table} has rows`);

    assert.equal((await request(owner, 'DELETE', `/projects/${project.id}`)).status, 200);
    const deleted = await request(owner, 'POST', `/projects/${project.id}/purge`);
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    const after = await rowsOf(project.id);
    assert.deepEqual(
      Object.values(after).filter((count) => count > 0),
      [],
      JSON.stringify(after),
    );
    assert.equal((await request(owner, 'GET', `/projects/${project.id}`)).status, 404);
    assert.equal((await request(owner, 'GET', `/tasks/${task.id}`)).status, 404);
  });

  it('deletes only a recycled project, only for its owner: nothing changes otherwise', async () => {
    const { project } = await board(app, owner, member);
    const notRecycled = await request(owner, 'POST', `/projects/${project.id}/purge`);
    assert.equal(notRecycled.status, 409);
    assert.equal(notRecycled.body.code, 'project_not_recycled');
    assert.equal((await request(owner, 'DELETE', `/projects/${project.id}`)).status, 200);
    assert.equal((await request(member, 'POST', `/projects/${project.id}/purge`)).status, 403);
    assert.equal((await request(stranger, 'POST', `/projects/${project.id}/purge`)).status, 404);
    assert.equal((await rowsOf(project.id)).project, 1);
  });

  it('offers the same over gRPC: LeaveProject and DeleteProject', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    const rpc = <T>(method: string, who: RegisteredMember) =>
      unary<object, T>(projects, method, { id: project.id }, bearer(who.accessToken));
    await assert.rejects(
      rpc('LeaveProject', owner),
      rejectsWith(status.FAILED_PRECONDITION, undefined, 'owner_cannot_leave'),
    );
    assert.deepEqual(await rpc('LeaveProject', member), { unassignedTasks: 1 });
    assert.equal((await readTask(task.id)).body.assignee, null);
    await assert.rejects(
      rpc('DeleteProject', owner),
      rejectsWith(status.FAILED_PRECONDITION, undefined, 'project_not_recycled'),
    );
    await rpc('RecycleProject', owner);
    await assert.rejects(rpc('DeleteProject', stranger), rejectsWith(status.NOT_FOUND));
    await rpc('DeleteProject', owner);
    assert.equal((await rowsOf(project.id)).project, 0);
  });
});
