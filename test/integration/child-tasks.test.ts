import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
import { childrenOf, createChildTask, readTask, type TreeTaskBody } from '../support/child-tasks';
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
} from '../support/projects';

describe('child tasks, execution status and estimated hours', () => {
  let app: TestApp;
  let tasks: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    ({ tasks } = projectGrpcClients(app));
    [owner, member] = await Promise.all([registerMember(app), registerMember(app)]);
  });

  after(async () => {
    tasks?.close();
    await app?.close();
  });

  const as = (who: RegisteredMember) => ({ token: who.accessToken });
  const post = (path: string, who = owner, body?: unknown) =>
    call<TreeTaskBody & ProblemBody>(app, 'POST', `/api/v1${path}`, { ...as(who), body });
  const stageTasks = async (stageId: string) =>
    (await call<PageBody<TreeTaskBody>>(app, 'GET', `/api/v1/stages/${stageId}/tasks`, as(owner)))
      .body.items;

  it("adds a child task in its parent's project and stage, off the board, counted on its parent", async () => {
    const { project, stages } = await board(app, owner, member);
    const parent = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const child = await createChildTask(app, owner.accessToken, parent.id, {
      name: 'Write the tests',
      assigneeId: member.id,
    });
    const grandchild = await createChildTask(app, member.accessToken, child.id);

    assert.equal(child.parentId, parent.id);
    assert.equal(child.stageId, stages[0].id);
    assert.equal(child.number, parent.number + 1, 'numbered in the project as any task');
    assert.deepEqual(child.ancestors, [{ id: parent.id, name: parent.name }]);
    assert.deepEqual(
      grandchild.ancestors.map((ancestor) => ancestor.id),
      [parent.id, child.id],
      'root first, the parent last',
    );
    assert.deepEqual(
      (await stageTasks(stages[0].id)).map((task) => task.id),
      [parent.id],
      'child tasks are not on the board',
    );
    const onBoard = await readTask(app, owner.accessToken, parent.id);
    assert.deepEqual(
      [onBoard.parentId, onBoard.childCount, onBoard.doneChildCount, onBoard.hasUndoneChildren],
      [null, 1, 0, true],
    );
    const listed = await childrenOf(app, member.accessToken, parent.id);
    assert.deepEqual(
      [listed.total, listed.items.map((task) => task.id)],
      [1, [child.id]],
      'only its own children',
    );
    assert.equal(listed.items[0].childCount, 1);

    // A later board task takes its place after the parent: child tasks hold no place.
    const next = await createTask(app, owner.accessToken, project.id, stages[0].id);
    assert.equal(next.sort, parent.sort + 65536);

    const activity = await call<{ items: { type: string; content: string }[] }>(
      app,
      'GET',
      `/api/v1/tasks/${parent.id}/activity`,
      as(owner),
    );
    assert.ok(
      activity.body.items.some(
        (entry) => entry.type === 'createChild' && entry.content.includes(`#${child.number}`),
      ),
    );
  });

  it('keeps a task with undone child tasks open and the children of a done task done', async () => {
    const { project, stages } = await board(app, owner, member);
    const parent = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const child = await createChildTask(app, owner.accessToken, parent.id);

    const early = await post(`/tasks/${parent.id}/done`);
    assert.deepEqual([early.status, early.body.code], [409, 'children_not_done']);
    assert.equal((await readTask(app, owner.accessToken, parent.id)).done, false);

    assert.equal((await post(`/tasks/${child.id}/done`, member)).status, 200);
    assert.equal((await post(`/tasks/${parent.id}/done`)).status, 200);
    const doneChild = await readTask(app, member.accessToken, child.id);
    assert.deepEqual([doneChild.done, doneChild.parentDone], [true, true]);
    const parentView = await readTask(app, owner.accessToken, parent.id);
    assert.deepEqual(
      [parentView.childCount, parentView.doneChildCount, parentView.hasUndoneChildren],
      [1, 1, false],
    );

    const reopen = await post(`/tasks/${child.id}/undone`, member);
    assert.deepEqual([reopen.status, reopen.body.code], [409, 'parent_done']);
    const another = await post(`/tasks/${parent.id}/children`, owner, { name: 'Too late' });
    assert.deepEqual([another.status, another.body.code], [409, 'parent_done']);
    assert.equal((await childrenOf(app, owner.accessToken, parent.id)).total, 1);

    assert.equal((await post(`/tasks/${parent.id}/undone`)).status, 200);
    assert.equal((await post(`/tasks/${child.id}/undone`, member)).status, 200);
  });

  it('never leaves a done task with an undone child when both change at once', async () => {
    const { project, stages } = await board(app, owner, member);
    for (let round = 0; round < 6; round++) {
      const parent = await createTask(app, owner.accessToken, project.id, stages[0].id);
      const child = await createChildTask(app, owner.accessToken, parent.id);
      assert.equal((await post(`/tasks/${child.id}/done`)).status, 200);
      const [finish, reopen] = await Promise.all([
        post(`/tasks/${parent.id}/done`),
        post(`/tasks/${child.id}/undone`, member),
      ]);
      assert.deepEqual(
        [finish.status, reopen.status].sort(),
        [200, 409],
        'one of them waits for the other and is refused',
      );
      const [parentNow, childNow] = await Promise.all([
        readTask(app, owner.accessToken, parent.id),
        readTask(app, owner.accessToken, child.id),
      ]);
      assert.ok(!(parentNow.done && !childNow.done), `round ${round}`);
    }
  });

  it('goes at most five levels deep', async () => {
    const { project, stages } = await board(app, owner, member);
    const top = await createTask(app, owner.accessToken, project.id, stages[0].id);
    let deepest = await createChildTask(app, owner.accessToken, top.id);
    for (let level = 3; level <= 5; level++) {
      deepest = await createChildTask(app, owner.accessToken, deepest.id);
    }
    assert.equal(deepest.ancestors.length, 4);
    const refused = await post(`/tasks/${deepest.id}/children`, owner, { name: 'Level six' });
    assert.deepEqual([refused.status, refused.body.code], [409, 'too_deep']);
  });

  it('shows private child tasks only to those on them, and hides the names of private ancestors', async () => {
    const { project, stages } = await board(app, owner, member);
    const setPrivate = (openTaskPrivate: boolean) =>
      call(app, 'PATCH', `/api/v1/projects/${project.id}`, {
        ...as(owner),
        body: { openTaskPrivate },
      });
    const open = await createTask(app, owner.accessToken, project.id, stages[0].id);
    await setPrivate(true);
    const secretChild = await createChildTask(app, owner.accessToken, open.id);
    const secretParent = await createTask(app, owner.accessToken, project.id, stages[0].id);
    await setPrivate(false);
    const openChild = await createChildTask(app, owner.accessToken, secretParent.id);

    const seen = await readTask(app, member.accessToken, open.id);
    assert.deepEqual(
      [seen.childCount, seen.hasUndoneChildren],
      [1, true],
      'private children count: they keep the task open',
    );
    assert.equal((await childrenOf(app, member.accessToken, open.id)).total, 0);
    assert.equal((await childrenOf(app, owner.accessToken, open.id)).total, 1);
    const hidden = await call(app, 'GET', `/api/v1/tasks/${secretChild.id}`, as(member));
    assert.equal(hidden.status, 404);

    const child = await readTask(app, member.accessToken, openChild.id);
    assert.deepEqual(child.ancestors, [{ id: secretParent.id, name: null }]);
    for (const id of [openChild.id, secretParent.id]) {
      assert.equal((await post(`/tasks/${id}/done`)).status, 200);
    }
    assert.equal((await readTask(app, owner.accessToken, openChild.id)).parentDone, true);
    assert.equal(
      (await readTask(app, member.accessToken, openChild.id)).parentDone,
      false,
      'whether a hidden parent is done is hidden as its name is',
    );
    const missing = await call(app, 'GET', `/api/v1/tasks/${secretParent.id}/children`, as(member));
    assert.equal(
      missing.status,
      404,
      "the children of a task one cannot see are not one's to list",
    );
  });

  it('moves child tasks with their parent and never onto the board', async () => {
    const { project, stages } = await board(app, owner, member);
    const parent = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const child = await createChildTask(app, owner.accessToken, parent.id);
    const grandchild = await createChildTask(app, owner.accessToken, child.id);

    const moved = await post(`/tasks/${parent.id}/move`, owner, { toStageId: stages[1].id });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    for (const task of [child, grandchild]) {
      assert.equal((await readTask(app, owner.accessToken, task.id)).stageId, stages[1].id);
    }
    const childMove = await post(`/tasks/${child.id}/move`, owner, { toStageId: stages[0].id });
    assert.deepEqual([childMove.status, childMove.body.code], [409, 'child_task']);
    const other = await createTask(app, owner.accessToken, project.id, stages[1].id);
    const inFront = await post(`/tasks/${other.id}/move`, owner, {
      toStageId: stages[1].id,
      beforeTaskId: child.id,
    });
    assert.equal(inFront.status, 400);
    assert.equal(inFront.body.errors?.[0].field, 'beforeTaskId');
    assert.deepEqual(
      (await stageTasks(stages[1].id)).map((task) => task.id),
      [parent.id, other.id],
    );
  });

  it('recycles, restores and deletes a task together with its child tasks', async () => {
    const { project, stages } = await board(app, owner, member);
    const parent = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const kept = await createChildTask(app, owner.accessToken, parent.id);
    const below = await createChildTask(app, owner.accessToken, kept.id);
    const alone = await createChildTask(app, owner.accessToken, parent.id);

    assert.equal((await post(`/tasks/${alone.id}/recycle`, member)).status, 200);
    assert.deepEqual(
      (await childrenOf(app, owner.accessToken, parent.id)).items.map((task) => task.id),
      [kept.id],
    );
    assert.deepEqual(
      (await childrenOf(app, owner.accessToken, parent.id, '?recycled=true')).items.map(
        (task) => task.id,
      ),
      [alone.id],
    );
    assert.equal((await post(`/tasks/${parent.id}/recycle`, member)).status, 200);
    for (const task of [kept, below]) {
      assert.equal((await readTask(app, owner.accessToken, task.id)).deleted, true);
    }
    const bin = await call<PageBody<TreeTaskBody>>(
      app,
      'GET',
      `/api/v1/projects/${project.id}/recycled-tasks`,
      as(owner),
    );
    assert.deepEqual(
      bin.body.items.map((task) => task.id).sort(),
      [parent.id, alone.id].sort(),
      'children recycled with their parent come back with it, not on their own',
    );
    const orphan = await post(`/tasks/${alone.id}/restore`);
    assert.deepEqual([orphan.status, orphan.body.code], [409, 'parent_recycled']);

    assert.equal((await post(`/tasks/${parent.id}/restore`)).status, 200);
    assert.equal((await readTask(app, owner.accessToken, below.id)).deleted, false);
    assert.deepEqual(
      (await childrenOf(app, owner.accessToken, parent.id)).items.map((task) => task.id),
      [kept.id],
      'the one recycled on its own stays in the bin',
    );

    assert.equal((await post(`/tasks/${parent.id}/recycle`)).status, 200);
    const deleted = await call(app, 'DELETE', `/api/v1/tasks/${parent.id}`, as(owner));
    assert.equal(deleted.status, 204);
    const ids = [parent, kept, below, alone].map((task) => decodeId(task.id, 'task'));
    const left = await sql<{ count: number }>(
      app,
      'SELECT COUNT(*) AS count FROM task WHERE id IN (?)',
      [ids],
    );
    assert.equal(Number(left[0].count), 0, 'the whole subtree is gone');
    const entries = await sql<{ content: string }>(
      app,
      "SELECT content FROM project_activity WHERE projectId = ? AND type = 'delete'",
      [decodeId(project.id, 'project')],
    );
    assert.deepEqual(
      entries.map((entry) => entry.content),
      [`deleted the task #${parent.number} with its 3 child tasks for good`],
    );
  });

  it('keeps the execution status and the estimated hours; a bad one is a 400 naming the field', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const patch = (body: unknown) =>
      call<TreeTaskBody & ProblemBody>(app, 'PATCH', `/api/v1/tasks/${task.id}`, {
        ...as(member),
        body,
      });
    const fresh = await readTask(app, owner.accessToken, task.id);
    assert.deepEqual([fresh.executionStatus, fresh.estimatedHours], ['notStarted', null]);

    const changed = await patch({ executionStatus: 'inProgress', estimatedHours: 12.5 });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(
      [changed.body.executionStatus, changed.body.estimatedHours],
      ['inProgress', 12.5],
    );
    assert.equal(changed.body.done, false, 'the execution state is apart from done');

    for (const [body, field] of [
      [{ estimatedHours: 0 }, 'estimatedHours'],
      [{ estimatedHours: -1 }, 'estimatedHours'],
      [{ estimatedHours: 10000 }, 'estimatedHours'],
      [{ estimatedHours: 1.255 }, 'estimatedHours'],
      [{ executionStatus: 'blocked' }, 'executionStatus'],
      [{ executionStatus: 2 }, 'executionStatus'],
    ] as const) {
      const refused = await patch(body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.errors?.[0].field, field);
    }
    const kept = await readTask(app, owner.accessToken, task.id);
    assert.deepEqual([kept.executionStatus, kept.estimatedHours], ['inProgress', 12.5]);

    const top = await patch({ estimatedHours: 9999.99, executionStatus: 'testing' });
    assert.deepEqual([top.body.executionStatus, top.body.estimatedHours], ['testing', 9999.99]);
    const cleared = await patch({ estimatedHours: null });
    assert.equal(cleared.body.estimatedHours, null);
  });

  it('offers the same over gRPC: CreateChildTask, ListChildTasks, UpdateTask, SetDone, MoveTask', async () => {
    const { project, stages } = await board(app, owner, member);
    const rpc = <T>(method: string, request: object, who = owner) =>
      unary<object, T>(tasks, method, request, bearer(who.accessToken));
    type Wire = {
      id: string;
      parentId: string;
      ancestors: { id: string; name: string }[];
      childCount: number;
      done_childCount: number;
      hasUndoneChildren: boolean;
      parentDone: boolean;
      executionStatus: string;
      estimatedHours: number;
    };
    const parent = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const child = await rpc<Wire>(
      'CreateChildTask',
      { taskId: parent.id, name: 'Over gRPC', assigneeId: member.id },
      member,
    );
    assert.equal(child.parentId, parent.id);
    assert.deepEqual(child.ancestors, [{ id: parent.id, name: parent.name }]);

    const listed = await rpc<{ items: Wire[]; total: number }>('ListChildTasks', {
      taskId: parent.id,
      pageSize: 10,
    });
    assert.deepEqual([listed.total, listed.items.map((task) => task.id)], [1, [child.id]]);
    const read = await rpc<Wire>('GetTask', { id: parent.id });
    assert.deepEqual([read.childCount, read.hasUndoneChildren], [1, true]);

    await assert.rejects(
      rpc('SetDone', { id: parent.id, done: true }),
      rejectsWith(status.FAILED_PRECONDITION, undefined, 'children_not_done'),
    );
    await assert.rejects(
      rpc('MoveTask', { id: child.id, toStageId: stages[1].id }),
      rejectsWith(status.FAILED_PRECONDITION, undefined, 'child_task'),
    );
    await assert.rejects(
      rpc('CreateChildTask', { taskId: parent.id, name: '' }),
      rejectsWith(status.INVALID_ARGUMENT, 'name'),
    );
    await assert.rejects(
      rpc('ListChildTasks', { taskId: parent.id }, await registerMember(app)),
      rejectsWith(status.NOT_FOUND),
    );

    const updated = await rpc<Wire>('UpdateTask', {
      id: child.id,
      executionStatus: 'suspended',
      estimatedHours: 3.25,
    });
    assert.deepEqual([updated.executionStatus, updated.estimatedHours], ['suspended', 3.25]);
    await assert.rejects(
      rpc('UpdateTask', { id: child.id, estimatedHours: 1.001 }),
      rejectsWith(status.INVALID_ARGUMENT, 'estimatedHours'),
    );
    await assert.rejects(
      rpc('UpdateTask', { id: child.id, executionStatus: 'later' }),
      rejectsWith(status.INVALID_ARGUMENT, 'executionStatus'),
    );
    const cleared = await rpc<Wire>('UpdateTask', { id: child.id, estimatedHours: 0 });
    assert.equal(cleared.estimatedHours, 0, '0 clears it over gRPC');
    assert.equal((await readTask(app, owner.accessToken, child.id)).estimatedHours, null);

    await rpc('SetDone', { id: child.id, done: true });
    await rpc('SetDone', { id: parent.id, done: true });
    await assert.rejects(
      rpc('SetDone', { id: child.id, done: false }),
      rejectsWith(status.FAILED_PRECONDITION, undefined, 'parent_done'),
    );
    assert.equal((await rpc<Wire>('GetTask', { id: child.id })).parentDone, true);
  });
});
