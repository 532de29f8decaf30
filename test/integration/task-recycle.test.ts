import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import type { EntityManager } from 'typeorm';
import { decodeId } from '@/common/public-id';
import { Task } from '@/modules/project/entities';
import { TaskPurge } from '@/modules/project/task-purge';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call, type JsonResponse } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  board,
  createTask,
  holdTable,
  projectGrpcClients,
  sql,
  waitForBlocked,
  type PageBody,
  type ProblemBody,
  type TaskBody,
} from '../support/projects';

interface ActivityBody {
  type: string;
  taskId: string | null;
  content: string;
  member: { id: string };
}

describe('the task recycle bin', () => {
  let app: TestApp;
  let tasks: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let outsider: RegisteredMember;
  /** Task ids TaskPurge listeners were told of, and whether the task row was still there. */
  const purged: { ids: number[]; rowInTransaction: boolean }[] = [];
  /** Task ids whose purge a listener refuses, rolling the deletion back. */
  const refusePurge = new Set<number>();

  before(async () => {
    app = await startTestApp();
    ({ tasks } = projectGrpcClients(app));
    [owner, member, outsider] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
    app.app.get(TaskPurge).onPurge(async (ids: number[], manager: EntityManager) => {
      purged.push({ ids, rowInTransaction: await manager.existsBy(Task, { id: ids[0] }) });
      if (ids.some((id) => refusePurge.has(id)))
        throw new Error('attachments could not be removed');
    });
  });

  after(async () => {
    tasks?.close();
    await app?.close();
  });

  const as = (who: RegisteredMember) => ({ token: who.accessToken });
  const recycle = (taskId: string, who = member) =>
    call<TaskBody & ProblemBody>(app, 'POST', `/api/v1/tasks/${taskId}/recycle`, as(who));
  const restore = (taskId: string, who = owner) =>
    call<TaskBody & ProblemBody>(app, 'POST', `/api/v1/tasks/${taskId}/restore`, as(who));
  const deleteForGood = (taskId: string, who = owner) =>
    call<ProblemBody>(app, 'DELETE', `/api/v1/tasks/${taskId}`, as(who));
  const bin = (projectId: string, who = owner, query = '') =>
    call<PageBody<TaskBody> & ProblemBody>(
      app,
      'GET',
      `/api/v1/projects/${projectId}/recycled-tasks${query}`,
      as(who),
    );
  const stageTasks = async (stageId: string) =>
    (
      await call<PageBody<TaskBody>>(
        app,
        'GET',
        `/api/v1/stages/${stageId}/tasks?pageSize=100`,
        as(owner),
      )
    ).body;
  const idsIn = async (stageId: string) => (await stageTasks(stageId)).items.map((t) => t.id);
  const myTasks = async (who: RegisteredMember, view: string) =>
    (await call<PageBody<TaskBody>>(app, 'GET', `/api/v1/tasks?view=${view}`, as(who))).body;
  const taskActivity = async (taskId: string) =>
    (await call<PageBody<ActivityBody>>(app, 'GET', `/api/v1/tasks/${taskId}/activity`, as(owner)))
      .body.items;
  const ok = (response: JsonResponse<unknown>, expected: number, what: string) =>
    assert.equal(response.status, expected, `${what}: ${JSON.stringify(response.body)}`);

  it('takes a recycled task off the board, the stage list, my tasks, their counts and my projects’ activity, and 404s it by id', async () => {
    const { project, stages } = await board(app, owner, member);
    const recycled = await createTask(app, member.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    const kept = await createTask(app, owner.accessToken, project.id, stages[0].id);
    assert.equal((await myTasks(member, 'assigned')).total, 1);

    const answer = await recycle(recycled.id);
    ok(answer, 200, 'recycle');
    assert.equal(answer.body.deleted, true);
    assert.ok(answer.body.deletedAt);

    const onBoard = await stageTasks(stages[0].id);
    assert.deepEqual(
      onBoard.items.map((task) => task.id),
      [kept.id],
    );
    assert.equal(onBoard.total, 1);
    for (const view of ['assigned', 'created', 'participating']) {
      const mine = await myTasks(member, view);
      assert.equal(mine.total, 0, view);
      assert.deepEqual(mine.items, [], view);
    }
    for (const [method, path, body] of [
      ['GET', `/api/v1/tasks/${recycled.id}`],
      ['PATCH', `/api/v1/tasks/${recycled.id}`, { name: 'Renamed' }],
      ['POST', `/api/v1/tasks/${recycled.id}/move`, { toStageId: stages[1].id }],
      ['POST', `/api/v1/tasks/${recycled.id}/done`],
      ['GET', `/api/v1/tasks/${recycled.id}/members`],
      ['GET', `/api/v1/tasks/${recycled.id}/activity`],
      ['POST', `/api/v1/tasks/${recycled.id}/comments`, { content: 'Hello?' }],
      ['POST', `/api/v1/tasks/${recycled.id}/recycle`],
    ] as [string, string, unknown?][]) {
      const response = await call(app, method, path, { token: member.accessToken, body });
      assert.equal(response.status, 404, `${method} ${path}`);
    }
    const moveInFront = await call<ProblemBody>(app, 'POST', `/api/v1/tasks/${kept.id}/move`, {
      token: member.accessToken,
      body: { toStageId: stages[0].id, beforeTaskId: recycled.id },
    });
    assert.equal(moveInFront.status, 400);
    assert.equal(moveInFront.body.errors?.[0].field, 'beforeTaskId');
    const activity = await call<PageBody<ActivityBody>>(app, 'GET', '/api/v1/activity', as(member));
    assert.ok(activity.body.items.length > 0);
    assert.ok(activity.body.items.every((entry) => entry.taskId !== recycled.id));

    const inBin = await bin(project.id, member);
    assert.deepEqual(
      inBin.body.items.map((task) => [task.id, task.deleted, task.name]),
      [[recycled.id, true, recycled.name]],
    );

    ok(await restore(recycled.id, member), 200, 'restore by its creator');
    assert.deepEqual(await idsIn(stages[0].id), [recycled.id, kept.id]);
    assert.equal((await myTasks(member, 'assigned')).total, 1);
    const back = await call<TaskBody>(app, 'GET', `/api/v1/tasks/${recycled.id}`, as(member));
    ok(back, 200, 'read after restore');
    assert.equal(back.body.deleted, false);
    assert.equal(back.body.deletedAt, null);
    const activityAfter = await call<PageBody<ActivityBody>>(
      app,
      'GET',
      '/api/v1/activity',
      as(member),
    );
    assert.ok(activityAfter.body.items.some((entry) => entry.taskId === recycled.id));
    assert.equal((await bin(project.id)).body.total, 0);
  });

  it('writes recycle and restore entries into the task’s activity', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[1].id);
    ok(await recycle(task.id), 200, 'recycle');
    ok(await restore(task.id), 200, 'restore');
    const entries = await taskActivity(task.id);
    assert.deepEqual(
      entries.map((entry) => [entry.type, entry.member.id]),
      [
        ['restore', owner.id],
        ['recycle', member.id],
        ['create', owner.id],
      ],
    );
    assert.match(entries[0].content, new RegExp(stages[1].name));
  });

  it('lists a project’s bin newest recycled first, paged, to members only and without private tasks they cannot see', async () => {
    const { project, stages } = await board(app, owner, member);
    const created = [
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[1].id),
    ];
    for (const task of created) ok(await recycle(task.id, owner), 200, 'recycle');
    const listed = await bin(project.id, member);
    assert.deepEqual(
      listed.body.items.map((task) => task.id),
      created.map((task) => task.id).reverse(),
    );
    assert.equal(listed.body.total, 3);
    const page = await bin(project.id, member, '?page=2&pageSize=2');
    assert.deepEqual(
      page.body.items.map((task) => task.id),
      [created[0].id],
    );
    assert.equal(page.body.total, 3);
    assert.equal((await bin(project.id, outsider)).status, 404);
    const badPage = await bin(project.id, member, '?pageSize=1000');
    assert.equal(badPage.status, 400);
    assert.equal(badPage.body.errors?.[0].field, 'pageSize');

    ok(
      await call(app, 'PATCH', `/api/v1/projects/${project.id}`, {
        token: owner.accessToken,
        body: { openTaskPrivate: true },
      }),
      200,
      'private tasks',
    );
    const hidden = await createTask(app, owner.accessToken, project.id, stages[0].id);
    ok(await recycle(hidden.id, owner), 200, 'recycle a private task');
    assert.equal((await bin(project.id, owner)).body.total, 4);
    assert.equal((await bin(project.id, member)).body.total, 3);
    assert.equal((await restore(hidden.id, member)).status, 404);
  });

  it('lets any member who can see a task recycle it, and only its creator or the project owner restore or delete it', async () => {
    const { project, stages } = await board(app, owner, member);
    const ownersTask = await createTask(app, owner.accessToken, project.id, stages[0].id);
    assert.equal((await recycle(ownersTask.id, outsider)).status, 404);
    ok(await recycle(ownersTask.id, member), 200, 'recycle by a member');

    const refusedRestore = await restore(ownersTask.id, member);
    assert.equal(refusedRestore.status, 403);
    assert.equal((await deleteForGood(ownersTask.id, member)).status, 403);
    assert.equal((await restore(ownersTask.id, outsider)).status, 404);
    assert.equal((await deleteForGood(ownersTask.id, outsider)).status, 404);
    assert.equal((await bin(project.id)).body.total, 1, 'nothing changed');
    ok(await restore(ownersTask.id, owner), 200, 'restore by the owner');

    const membersTask = await createTask(app, member.accessToken, project.id, stages[0].id);
    ok(await recycle(membersTask.id, owner), 200, 'recycle by the owner');
    ok(await restore(membersTask.id, member), 200, 'restore by its creator');
    ok(await recycle(membersTask.id, member), 200, 'recycle again');
    ok(await deleteForGood(membersTask.id, member), 204, 'delete by its creator');

    const live = await restore(ownersTask.id, owner);
    assert.equal(live.status, 409, 'a task on the board is not in the bin');
    assert.equal(live.body.code, 'task_not_recycled');
    const notRecycled = await deleteForGood(ownersTask.id, owner);
    assert.equal(notRecycled.status, 409, 'only a recycled task is deleted for good');
    assert.equal(notRecycled.body.code, 'task_not_recycled');
    assert.equal((await call(app, 'GET', `/api/v1/tasks/${ownersTask.id}`, as(owner))).status, 200);
  });

  it('restores a task to its old place, or at the end of its stage when that place was taken', async () => {
    const { project, stages } = await board(app, owner, member);
    const stage = stages[0].id;
    const [a, b, c] = [
      await createTask(app, owner.accessToken, project.id, stage),
      await createTask(app, owner.accessToken, project.id, stage),
      await createTask(app, owner.accessToken, project.id, stage),
    ];
    assert.deepEqual([a.sort, b.sort, c.sort], [65536, 131072, 196608]);

    ok(await recycle(b.id), 200, 'recycle b');
    const untouched = await restore(b.id);
    ok(untouched, 200, 'restore b');
    assert.equal(untouched.body.sort, 131072, 'its place was free');
    assert.deepEqual(await idsIn(stage), [a.id, b.id, c.id]);

    ok(await recycle(b.id), 200, 'recycle b again');
    // Halfway between a and c is exactly the place b left.
    const d = await createTask(app, owner.accessToken, project.id, stages[1].id);
    const moved = await call<TaskBody>(app, 'POST', `/api/v1/tasks/${d.id}/move`, {
      token: member.accessToken,
      body: { toStageId: stage, beforeTaskId: c.id },
    });
    ok(moved, 200, 'move d into b’s place');
    assert.equal(moved.body.sort, 131072);
    const appended = await restore(b.id);
    ok(appended, 200, 'restore b when its place is taken');
    assert.equal(appended.body.sort, 196608 + 65536);
    assert.deepEqual(await idsIn(stage), [a.id, d.id, c.id, b.id]);
  });

  it('keeps a restore and a concurrent move into the same stage from taking the same place', async () => {
    const { project, stages } = await board(app, owner, member);
    const stage = stages[0].id;
    const [a, b, c] = [
      await createTask(app, owner.accessToken, project.id, stage),
      await createTask(app, owner.accessToken, project.id, stage),
      await createTask(app, owner.accessToken, project.id, stage),
    ];
    ok(await recycle(b.id), 200, 'recycle b');
    // b's place taken: its restore goes to the end of the stage, where the move goes too.
    const d = await createTask(app, owner.accessToken, project.id, stages[1].id);
    ok(
      await call(app, 'POST', `/api/v1/tasks/${d.id}/move`, {
        token: member.accessToken,
        body: { toStageId: stage, beforeTaskId: c.id },
      }),
      200,
      'move d into b’s place',
    );
    const mover = await createTask(app, owner.accessToken, project.id, stages[1].id);
    const activity = await holdTable(app, 'project_activity');
    try {
      // The restore holds the stage, has taken its end, and waits to log its activity.
      const restoring = restore(b.id);
      await waitForBlocked(app, { onTable: 1 });
      const moving = call<TaskBody>(app, 'POST', `/api/v1/tasks/${mover.id}/move`, {
        token: member.accessToken,
        body: { toStageId: stage },
      });
      await waitForBlocked(app, { onTable: 1, onRow: 1 }, { until: moving });
      await activity.release();
      const [restored, moved] = await Promise.all([restoring, moving]);
      ok(restored, 200, 'restore');
      ok(moved, 200, 'move');
      assert.notEqual(restored.body.sort, moved.body.sort);
      assert.deepEqual(await idsIn(stage), [a.id, d.id, c.id, b.id, mover.id]);
    } finally {
      await activity.release();
    }
  });

  it('answers 409 naming the stage when the recycled task’s stage was deleted meanwhile', async () => {
    const { project } = await board(app, owner, member);
    const doomed = await call<{ id: string; name: string }>(
      app,
      'POST',
      `/api/v1/projects/${project.id}/stages`,
      { token: owner.accessToken, body: { name: 'Short-lived stage' } },
    );
    ok(doomed, 201, 'create stage');
    const task = await createTask(app, member.accessToken, project.id, doomed.body.id);
    ok(await recycle(task.id), 200, 'recycle');
    ok(
      await call(app, 'DELETE', `/api/v1/stages/${doomed.body.id}`, as(owner)),
      204,
      'a stage holding only recycled tasks can go',
    );
    const refused = await restore(task.id);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'stage_deleted');
    assert.equal(refused.body.errors?.[0].field, 'stageId');
    assert.match(refused.body.detail, /Short-lived stage/);
    assert.equal((await bin(project.id)).body.total, 1, 'still in the bin');
  });

  it('deletes a recycled task for good with its members, work time and activity, telling TaskPurge listeners in the transaction', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    const other = await createTask(app, owner.accessToken, project.id, stages[0].id);
    for (const [path, body] of [
      [`/api/v1/tasks/${task.id}/work-times`, { hours: 2 }],
      [`/api/v1/tasks/${task.id}/comments`, { content: 'Soon gone' }],
      [`/api/v1/tasks/${other.id}/work-times`, { hours: 1 }],
    ] as const) {
      ok(await call(app, 'POST', path, { token: member.accessToken, body }), 201, path);
    }
    ok(await recycle(task.id), 200, 'recycle');
    const id = decodeId(task.id, 'task');
    const rows = async (taskId: number) =>
      (
        await sql<{ tasks: number; members: number; workTime: number; activity: number }>(
          app,
          `SELECT (SELECT COUNT(*) FROM task WHERE id = ?) AS tasks,
                  (SELECT COUNT(*) FROM task_member WHERE taskId = ?) AS members,
                  (SELECT COUNT(*) FROM task_work_time WHERE taskId = ?) AS workTime,
                  (SELECT COUNT(*) FROM project_activity WHERE taskId = ?) AS activity`,
          [taskId, taskId, taskId, taskId],
        )
      ).map((row) => Object.values(row).map(Number))[0];
    assert.deepEqual(await rows(id), [1, 2, 1, 5], 'kept while in the bin');
    const before = purged.length;

    ok(await deleteForGood(task.id), 204, 'delete for good');
    assert.deepEqual(await rows(id), [0, 0, 0, 0]);
    assert.deepEqual(purged.slice(before), [{ ids: [id], rowInTransaction: true }]);
    assert.deepEqual(await rows(decodeId(other.id, 'task')), [1, 1, 1, 2], 'others untouched');

    assert.equal((await bin(project.id)).body.total, 0);
    assert.equal((await restore(task.id)).status, 404);
    assert.equal((await deleteForGood(task.id)).status, 404);
    const activity = await call<PageBody<ActivityBody>>(app, 'GET', '/api/v1/activity', as(member));
    const [latest] = activity.body.items;
    assert.equal(latest.type, 'delete');
    assert.equal(latest.taskId, null);
    assert.equal(latest.member.id, owner.id);
    assert.match(latest.content, new RegExp(`#${task.number}\\b`));
  });

  it('keeps the task in the bin, rows and all, when a TaskPurge listener fails', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    ok(
      await call(app, 'POST', `/api/v1/tasks/${task.id}/work-times`, {
        token: member.accessToken,
        body: { hours: 3 },
      }),
      201,
      'work time',
    );
    ok(await recycle(task.id), 200, 'recycle');
    const id = decodeId(task.id, 'task');
    refusePurge.add(id);
    try {
      const failed = await deleteForGood(task.id);
      assert.equal(failed.status, 500);
    } finally {
      refusePurge.delete(id);
    }
    const [left] = await sql<{ tasks: number; workTime: number }>(
      app,
      `SELECT (SELECT COUNT(*) FROM task WHERE id = ?) AS tasks,
              (SELECT COUNT(*) FROM task_work_time WHERE taskId = ?) AS workTime`,
      [id, id],
    );
    assert.deepEqual([Number(left.tasks), Number(left.workTime)], [1, 1]);
    assert.equal((await bin(project.id)).body.total, 1);
    ok(await deleteForGood(task.id), 204, 'delete once the listener succeeds');
  });

  it('offers the same over gRPC: RecycleTask, ListRecycledTasks, RestoreTask and DeleteTask', async () => {
    const { project, stages } = await board(app, owner, member);
    const rpc = <T>(method: string, request: object, who = owner) =>
      unary<object, T>(tasks, method, request, bearer(who.accessToken));
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);

    await assert.rejects(
      rpc('DeleteTask', { id: task.id }),
      rejectsWith(status.FAILED_PRECONDITION, undefined, 'task_not_recycled'),
    );
    await assert.rejects(
      rpc('RecycleTask', { id: task.id }, outsider),
      rejectsWith(status.NOT_FOUND),
    );
    const recycled = await rpc<{ id: string; deleted: boolean; deletedAt: string }>(
      'RecycleTask',
      { id: task.id },
      member,
    );
    assert.equal(recycled.deleted, true);
    assert.ok(recycled.deletedAt);
    await assert.rejects(rpc('GetTask', { id: task.id }, member), rejectsWith(status.NOT_FOUND));
    const listed = await rpc<{ items: { id: string }[]; total: number }>(
      'ListRecycledTasks',
      { projectId: project.id },
      member,
    );
    assert.deepEqual(
      listed.items.map((item) => item.id),
      [task.id],
    );
    await assert.rejects(
      rpc('ListRecycledTasks', { projectId: project.id }, outsider),
      rejectsWith(status.NOT_FOUND),
    );
    await assert.rejects(
      rpc('RestoreTask', { id: task.id }, member),
      rejectsWith(status.PERMISSION_DENIED),
    );
    await assert.rejects(
      rpc('DeleteTask', { id: task.id }, member),
      rejectsWith(status.PERMISSION_DENIED),
    );
    const restored = await rpc<{ deleted: boolean; sort: number }>('RestoreTask', { id: task.id });
    assert.equal(restored.deleted, false);
    assert.equal(restored.sort, task.sort);
    await rpc('RecycleTask', { id: task.id });
    await rpc('DeleteTask', { id: task.id });
    await assert.rejects(rpc('RestoreTask', { id: task.id }), rejectsWith(status.NOT_FOUND));
  });
});
