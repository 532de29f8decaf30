import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import type { EntityManager } from 'typeorm';
import { decodeId } from '@/common/public-id';
import { Task } from '@/modules/project/entities';
import { TaskPurge } from '@/modules/project/task-purge';
import { startTestApp, type TestApp } from '../support/app';
import { createChildTask, type TreeTaskBody } from '../support/child-tasks';
import { download, fileGrpcClient, uploadFile } from '../support/files';
import { bearer, grpcClient, rejectsWith, unary } from '../support/grpc-client';
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
  let taskTags: Client;
  let fileService: Client;
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
    taskTags = grpcClient(
      app.grpcAddress,
      'project/v1/project.proto',
      'msproject.project.v1.TaskTagService',
    );
    fileService = fileGrpcClient(app);
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
    taskTags?.close();
    fileService?.close();
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

  it('takes a recycled task off the board, the stage list, my tasks, their counts and my projects’ activity, and 404s every change of it', async () => {
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
      ['PATCH', `/api/v1/tasks/${recycled.id}`, { name: 'Renamed' }],
      ['POST', `/api/v1/tasks/${recycled.id}/move`, { toStageId: stages[1].id }],
      ['POST', `/api/v1/tasks/${recycled.id}/done`],
      ['POST', `/api/v1/tasks/${recycled.id}/comments`, { content: 'Hello?' }],
      ['POST', `/api/v1/tasks/${recycled.id}/recycle`],
    ] as [string, string, unknown?][]) {
      const response = await call(app, method, path, { token: member.accessToken, body });
      assert.equal(response.status, 404, `${method} ${path}`);
    }
    const read = await call<TaskBody>(app, 'GET', `/api/v1/tasks/${recycled.id}`, as(member));
    ok(read, 200, 'read in the bin');
    assert.deepEqual([read.body.name, read.body.deleted], [recycled.name, true]);
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

  /** Every read of one task by id over REST, as a member reaches it from its detail. */
  const taskReads = (taskId: string, fileId: string) => [
    `/api/v1/tasks/${taskId}`,
    `/api/v1/tasks/${taskId}/activity`,
    `/api/v1/tasks/${taskId}/activity?type=comments`,
    `/api/v1/tasks/${taskId}/members`,
    `/api/v1/tasks/${taskId}/work-times`,
    `/api/v1/tasks/${taskId}/files`,
    `/files/${fileId}`,
    `/api/v1/tasks/${taskId}/tags`,
    `/api/v1/tasks/${taskId}/children`,
  ];
  const readAll = async (taskId: string, fileId: string, who: RegisteredMember) => {
    const answers: Record<string, JsonResponse<unknown>> = {};
    for (const path of taskReads(taskId, fileId)) {
      answers[path] = await call(app, 'GET', path.replace(/^\/files/, '/api/v1/files'), as(who));
    }
    return answers;
  };
  const statusesOf = (answers: Record<string, JsonResponse<unknown>>) =>
    Object.values(answers).map((answer) => answer.status);

  /** A task with a child, work time, a comment, a file, a tag, a like and a star: all read back. */
  const furnishedTask = async (projectId: string, stageId: string) => {
    const task = await createTask(app, owner.accessToken, projectId, stageId, {
      assigneeId: member.id,
    });
    const child = await createChildTask(app, owner.accessToken, task.id);
    const tag = await call<{ id: string }>(app, 'POST', `/api/v1/projects/${projectId}/task-tags`, {
      token: owner.accessToken,
      body: { name: `Kept ${task.number}` },
    });
    ok(tag, 201, 'tag');
    const workTime = await call<{ id: string }>(
      app,
      'POST',
      `/api/v1/tasks/${task.id}/work-times`,
      {
        token: member.accessToken,
        body: { hours: 2 },
      },
    );
    ok(workTime, 201, 'work time');
    for (const [method, path, body] of [
      ['POST', `/api/v1/tasks/${task.id}/comments`, { content: 'Before the bin' }],
      ['PUT', `/api/v1/tasks/${task.id}/tags/${tag.body.id}`],
      ['PUT', `/api/v1/tasks/${task.id}/like`],
      ['PUT', `/api/v1/tasks/${task.id}/star`],
    ] as [string, string, unknown?][]) {
      const answer = await call(app, method, path, { token: member.accessToken, body });
      assert.ok(answer.status < 300, `${method} ${path}: ${answer.status}`);
    }
    const file = await uploadFile(app, member.accessToken, task.id, Buffer.from('notes'), 'a.txt');
    assert.equal(file.status, 201, JSON.stringify(file.body));
    return { task, child, tagId: tag.body.id, workTimeId: workTime.body.id, fileId: file.body.id };
  };

  it('reads a recycled task by id, its activity, members, work time, files, tags and child tasks, marked recycled, to the members who saw it', async () => {
    const { project, stages } = await board(app, owner, member);
    const leaver = await registerMember(app);
    ok(
      await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
        token: owner.accessToken,
        body: { memberId: leaver.id },
      }),
      201,
      'add a member who leaves',
    );
    const { task, child, tagId, fileId } = await furnishedTask(project.id, stages[0].id);
    ok(await call(app, 'POST', `/api/v1/projects/${project.id}/leave`, as(leaver)), 200, 'leave');
    ok(await recycle(task.id), 200, 'recycle');

    const answers = await readAll(task.id, fileId, member);
    for (const [path, answer] of Object.entries(answers)) ok(answer, 200, path);
    const body = <T>(path: string) => answers[path].body as T;
    const detail = body<TreeTaskBody & { liked: boolean; starred: boolean }>(
      `/api/v1/tasks/${task.id}`,
    );
    assert.deepEqual(
      [detail.name, detail.deleted, Boolean(detail.deletedAt), detail.liked, detail.starred],
      [task.name, true, true, true, true],
    );
    assert.equal(detail.childCount, 1, 'the child that went into the bin with it');
    const activity = body<PageBody<ActivityBody>>(`/api/v1/tasks/${task.id}/activity`);
    assert.equal(activity.items[0].type, 'recycle');
    assert.ok(activity.items.some((entry) => entry.type === 'comment'));
    const comments = body<PageBody<ActivityBody>>(
      `/api/v1/tasks/${task.id}/activity?type=comments`,
    );
    assert.deepEqual(
      comments.items.map((entry) => entry.content),
      ['Before the bin'],
    );
    const members = body<PageBody<{ member: { id: string } }>>(`/api/v1/tasks/${task.id}/members`);
    assert.deepEqual(
      members.items.map((row) => row.member.id).sort(),
      [owner.id, member.id].sort(),
    );
    const workTimes = body<PageBody<unknown> & { totalHours: number }>(
      `/api/v1/tasks/${task.id}/work-times`,
    );
    assert.deepEqual([workTimes.total, workTimes.totalHours], [1, 2]);
    const files = body<PageBody<{ id: string }>>(`/api/v1/tasks/${task.id}/files`);
    assert.deepEqual(
      files.items.map((file) => file.id),
      [fileId],
    );
    assert.equal(body<{ id: string }>(`/files/${fileId}`).id, fileId);
    const content = await download(app, member.accessToken, fileId);
    assert.deepEqual([content.status, content.bytes.toString()], [200, 'notes']);
    assert.equal((await download(app, outsider.accessToken, fileId)).status, 404);
    const tags = body<{ items: { id: string }[] }>(`/api/v1/tasks/${task.id}/tags`);
    assert.deepEqual(
      tags.items.map((tag) => tag.id),
      [tagId],
    );
    const children = body<PageBody<TreeTaskBody>>(`/api/v1/tasks/${task.id}/children`);
    assert.deepEqual(
      children.items.map((item) => [item.id, item.deleted]),
      [[child.id, true]],
    );
    const childRead = await call<TreeTaskBody>(app, 'GET', `/api/v1/tasks/${child.id}`, as(member));
    ok(childRead, 200, 'a child that went into the bin with it');
    assert.equal(childRead.body.deleted, true);
    const inBinOnItsOwn = await call<PageBody<TaskBody>>(
      app,
      'GET',
      `/api/v1/tasks/${task.id}/children?recycled=true`,
      as(member),
    );
    assert.equal(inBinOnItsOwn.body.total, 0, 'none recycled on its own');

    for (const who of [outsider, leaver]) {
      assert.deepEqual(
        statusesOf(await readAll(task.id, fileId, who)),
        taskReads(task.id, fileId).map(() => 404),
      );
    }
    assert.deepEqual(await idsIn(stages[0].id), [], 'still off the board');
  });

  it('refuses every change of a recycled task as before, reads it back unchanged, and restores it as it was', async () => {
    const { project, stages } = await board(app, owner, member);
    const { task, child, tagId, workTimeId, fileId } = await furnishedTask(
      project.id,
      stages[0].id,
    );
    ok(await recycle(task.id), 200, 'recycle');
    const changes: [string, string, unknown?][] = [
      ['PATCH', `/api/v1/tasks/${task.id}`, { name: 'Renamed' }],
      ['POST', `/api/v1/tasks/${task.id}/move`, { toStageId: stages[1].id }],
      ['POST', `/api/v1/tasks/${task.id}/done`],
      ['POST', `/api/v1/tasks/${task.id}/undone`],
      ['POST', `/api/v1/tasks/${task.id}/comments`, { content: 'Hello?' }],
      ['POST', `/api/v1/tasks/${task.id}/work-times`, { hours: 1 }],
      ['PATCH', `/api/v1/work-times/${workTimeId}`, { hours: 3 }],
      ['DELETE', `/api/v1/work-times/${workTimeId}`],
      ['POST', `/api/v1/tasks/${task.id}/members`, { memberId: owner.id }],
      ['PUT', `/api/v1/tasks/${task.id}/members`, { memberIds: [] }],
      ['DELETE', `/api/v1/tasks/${task.id}/members/${member.id}`],
      ['PUT', `/api/v1/tasks/${task.id}/tags/${tagId}`],
      ['DELETE', `/api/v1/tasks/${task.id}/tags/${tagId}`],
      ['PUT', `/api/v1/tasks/${task.id}/like`],
      ['DELETE', `/api/v1/tasks/${task.id}/like`],
      ['PUT', `/api/v1/tasks/${task.id}/star`],
      ['DELETE', `/api/v1/tasks/${task.id}/star`],
      ['POST', `/api/v1/tasks/${task.id}/children`, { name: 'Late child' }],
      ['DELETE', `/api/v1/tasks/${task.id}/version`],
      ['PATCH', `/api/v1/files/${fileId}`, { title: 'renamed' }],
      ['DELETE', `/api/v1/files/${fileId}`],
      ['POST', `/api/v1/tasks/${task.id}/recycle`],
      ['PATCH', `/api/v1/tasks/${child.id}`, { name: 'Renamed child' }],
    ];
    for (const who of [member, owner]) {
      for (const [method, path, body] of changes) {
        const answer = await call(app, method, path, { token: who.accessToken, body });
        assert.equal(answer.status, 404, `${method} ${path}`);
      }
      const upload = await uploadFile(app, who.accessToken, task.id, Buffer.from('x'), 'b.txt');
      assert.equal(upload.status, 404, 'upload');
    }
    // Read back as the detail shows it: nothing changed.
    const answers = await readAll(task.id, fileId, member);
    const totalOf = (path: string) => {
      const answer = answers[`/api/v1/tasks/${task.id}${path}`];
      ok(answer, 200, path);
      return (answer.body as PageBody<unknown>).total;
    };
    const detail = answers[`/api/v1/tasks/${task.id}`];
    ok(detail, 200, 'read');
    assert.deepEqual(
      [(detail.body as TaskBody).name, (detail.body as { liked: boolean }).liked],
      [task.name, true],
    );
    assert.deepEqual(
      ['/activity?type=comments', '/members', '/work-times', '/files', '/children'].map(totalOf),
      [1, 2, 1, 1, 1],
    );
    const tags = answers[`/api/v1/tasks/${task.id}/tags`].body as { items: { id: string }[] };
    assert.deepEqual(
      tags.items.map((tag) => tag.id),
      [tagId],
    );
    const [hours] = await sql<{ hours: number }>(
      app,
      'SELECT SUM(hours) AS hours FROM task_work_time WHERE taskId = ?',
      [decodeId(task.id, 'task')],
    );
    assert.equal(Number(hours.hours), 2, 'the entry unchanged');

    const restored = await restore(task.id);
    ok(restored, 200, 'restore');
    assert.equal(restored.body.deleted, false);
    assert.equal(restored.body.name, task.name);
    const children = await call<PageBody<TaskBody>>(
      app,
      'GET',
      `/api/v1/tasks/${task.id}/children`,
      as(member),
    );
    assert.deepEqual(
      children.body.items.map((item) => [item.id, item.deleted]),
      [[child.id, false]],
    );
  });

  it('hides a private recycled task from members who could not see it, and reads those of a recycled project as before', async () => {
    const { project, stages } = await board(app, owner, member);
    const { task: hidden, fileId } = await furnishedTask(project.id, stages[0].id);
    // The member off it: not its assignee, nor on its members.
    ok(
      await call(app, 'PATCH', `/api/v1/tasks/${hidden.id}`, {
        token: owner.accessToken,
        body: { assigneeId: null, private: true },
      }),
      200,
      'private',
    );
    ok(
      await call(app, 'DELETE', `/api/v1/tasks/${hidden.id}/members/${member.id}`, as(owner)),
      204,
      'member off the task',
    );
    ok(await recycle(hidden.id, owner), 200, 'recycle');
    assert.deepEqual(
      statusesOf(await readAll(hidden.id, fileId, member)),
      taskReads(hidden.id, fileId).map(() => 404),
    );
    assert.deepEqual(
      statusesOf(await readAll(hidden.id, fileId, owner)),
      taskReads(hidden.id, fileId).map(() => 200),
    );

    const open = await createTask(app, owner.accessToken, project.id, stages[0].id);
    ok(await recycle(open.id), 200, 'recycle');
    ok(await call(app, 'DELETE', `/api/v1/projects/${project.id}`, as(owner)), 200, 'project');
    const read = await call<TaskBody>(app, 'GET', `/api/v1/tasks/${open.id}`, as(member));
    ok(read, 200, "a recycled project's task, to its members");
    assert.equal(read.body.deleted, true);
    assert.equal((await restore(open.id)).status, 409, 'the project is in the bin');
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
    const read = await rpc<{ deleted: boolean }>('GetTask', { id: task.id }, member);
    assert.equal(read.deleted, true);
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

  it('reads a recycled task over gRPC too, to the members who saw it, and refuses its changes', async () => {
    const { project, stages } = await board(app, owner, member);
    const { task, child, tagId, fileId } = await furnishedTask(project.id, stages[0].id);
    const rpc = <T>(client: Client, method: string, request: object, who = member) =>
      unary<object, T>(client, method, request, bearer(who.accessToken));
    await rpc(tasks, 'RecycleTask', { id: task.id });

    const read = await rpc<{ deleted: boolean; childCount: number }>(tasks, 'GetTask', {
      id: task.id,
    });
    assert.deepEqual([read.deleted, read.childCount], [true, 1]);
    const activity = await rpc<{ items: { type: string }[] }>(tasks, 'ListActivity', {
      taskId: task.id,
      type: 'comments',
    });
    assert.deepEqual(
      activity.items.map((entry) => entry.type),
      ['comment'],
    );
    const members = await rpc<{ total: number }>(tasks, 'ListTaskMembers', { taskId: task.id });
    assert.equal(members.total, 2);
    const workTimes = await rpc<{ totalHours: number }>(tasks, 'ListWorkTimes', {
      taskId: task.id,
    });
    assert.equal(workTimes.totalHours, 2);
    const children = await rpc<{ items: { id: string }[] }>(tasks, 'ListChildTasks', {
      taskId: task.id,
    });
    assert.deepEqual(
      children.items.map((item) => item.id),
      [child.id],
    );
    const tags = await rpc<{ items: { id: string }[] }>(taskTags, 'ListTagsOfTask', {
      taskId: task.id,
    });
    assert.deepEqual(
      tags.items.map((tag) => tag.id),
      [tagId],
    );
    const files = await rpc<{ items: { id: string }[] }>(fileService, 'ListTaskFiles', {
      taskId: task.id,
    });
    assert.deepEqual(
      files.items.map((file) => file.id),
      [fileId],
    );

    for (const [client, method, request] of [
      [tasks, 'GetTask', { id: task.id }],
      [tasks, 'ListActivity', { taskId: task.id }],
      [tasks, 'ListWorkTimes', { taskId: task.id }],
      [fileService, 'ListTaskFiles', { taskId: task.id }],
    ] as [Client, string, object][]) {
      await assert.rejects(rpc(client, method, request, outsider), rejectsWith(status.NOT_FOUND));
    }
    for (const [method, request] of [
      ['UpdateTask', { id: task.id, name: 'Renamed' }],
      ['AddComment', { taskId: task.id, content: 'Hello?' }],
      ['AddWorkTime', { taskId: task.id, hours: 1 }],
      ['SetLiked', { id: task.id, liked: false }],
      ['CreateChildTask', { taskId: task.id, name: 'Late child' }],
    ] as [string, object][]) {
      await assert.rejects(rpc(tasks, method, request), rejectsWith(status.NOT_FOUND), method);
    }
  });
});
