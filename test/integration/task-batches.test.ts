import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
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

describe('task batches: assign many, recycle a stage, set the members', () => {
  let app: TestApp;
  let tasks: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let outsider: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    ({ tasks } = projectGrpcClients(app));
    [owner, member, outsider] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
  });

  after(async () => {
    tasks?.close();
    await app?.close();
  });

  const post = <T>(who: RegisteredMember, path: string, body?: unknown) =>
    call<T & ProblemBody>(app, 'POST', `/api/v1${path}`, { token: who.accessToken, body });
  const assigneeOf = async (id: string) =>
    (await call<AssignedTask>(app, 'GET', `/api/v1/tasks/${id}`, { token: owner.accessToken })).body
      .assignee?.id ?? null;
  const boardOf = async (stageId: string) =>
    (
      await call<PageBody<TaskBody>>(app, 'GET', `/api/v1/stages/${stageId}/tasks?pageSize=100`, {
        token: owner.accessToken,
      })
    ).body.items.map((task) => task.id);

  /**
   * Makes the database refuse one row's update from now on (a failure half-way through a
   * batch); the returned function lifts it.
   */
  async function failUpdatesOf(taskId: string): Promise<() => Promise<void>> {
    const id = decodeId(taskId, 'task');
    await sql(
      app,
      `CREATE TRIGGER refuse_task_${id} BEFORE UPDATE ON task FOR EACH ROW
       BEGIN IF NEW.id = ${id} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'; END IF; END`,
    );
    return async () => {
      await sql(app, `DROP TRIGGER refuse_task_${id}`);
    };
  }

  it('gives every listed task to a project member, each counted once', async () => {
    const { project, stages } = await board(app, owner, member);
    const made = [
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[1].id),
    ];
    const answer = await post<{ assigned: number }>(owner, `/projects/${project.id}/tasks/assign`, {
      taskIds: [made[0].id, made[1].id, made[0].id],
      assigneeId: member.id,
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.assigned, 2);
    for (const task of made) assert.equal(await assigneeOf(task.id), member.id);
  });

  it('assigns all or none: a failure on the last task leaves the earlier ones as they were', async () => {
    const { project, stages } = await board(app, owner, member);
    const made = [
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
    ];
    const lift = await failUpdatesOf(made[2].id);
    try {
      const answer = await post(owner, `/projects/${project.id}/tasks/assign`, {
        taskIds: made.map((task) => task.id),
        assigneeId: member.id,
      });
      assert.equal(answer.status, 500, JSON.stringify(answer.body));
    } finally {
      await lift();
    }
    for (const task of made) assert.equal(await assigneeOf(task.id), null, task.id);
  });

  it('refuses, changing nothing: a member outside the project, a task of another project, an empty list', async () => {
    const { project, stages } = await board(app, owner, member);
    const other = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const elsewhere = await createTask(
      app,
      owner.accessToken,
      other.project.id,
      other.stages[0].id,
    );
    const cases: [unknown, string][] = [
      [{ taskIds: [task.id], assigneeId: outsider.id }, 'assigneeId'],
      [{ taskIds: [task.id, elsewhere.id], assigneeId: member.id }, 'taskIds'],
      [{ taskIds: [], assigneeId: member.id }, 'taskIds'],
    ];
    for (const [body, field] of cases) {
      const answer = await post(owner, `/projects/${project.id}/tasks/assign`, body);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.ok(
        answer.body.errors?.some((error) => error.field === field),
        field,
      );
    }
    assert.equal(await assigneeOf(task.id), null);
    assert.equal(await assigneeOf(elsewhere.id), null);
    const stranger = await post(outsider, `/projects/${project.id}/tasks/assign`, {
      taskIds: [task.id],
      assigneeId: member.id,
    });
    assert.equal(stranger.status, 404);
  });

  it("recycles a stage's tasks that the caller sees, and no other stage's", async () => {
    const { project, stages } = await board(app, owner, member);
    const kept = await createTask(app, owner.accessToken, project.id, stages[1].id);
    const made = [
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
    ];
    const hidden = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const patched = await call(app, 'PATCH', `/api/v1/tasks/${hidden.id}`, {
      token: owner.accessToken,
      body: { private: true },
    });
    assert.equal(patched.status, 200);

    const answer = await post<{ recycled: number }>(
      member,
      `/stages/${stages[0].id}/recycle-tasks`,
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.recycled, 2);
    assert.deepEqual(await boardOf(stages[0].id), [hidden.id], 'a task hidden from them stays');
    assert.deepEqual(await boardOf(stages[1].id), [kept.id]);
    for (const task of made) {
      const read = await call<TaskBody>(app, 'GET', `/api/v1/tasks/${task.id}`, {
        token: owner.accessToken,
      });
      assert.deepEqual([read.status, read.body.deleted], [200, true], 'off the board, in the bin');
    }
  });

  it('recycles all or none: a failure on the last task leaves the whole stage on the board', async () => {
    const { project, stages } = await board(app, owner, member);
    const made = [
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
    ];
    const lift = await failUpdatesOf(made[2].id);
    try {
      const answer = await post(owner, `/stages/${stages[0].id}/recycle-tasks`);
      assert.equal(answer.status, 500, JSON.stringify(answer.body));
    } finally {
      await lift();
    }
    assert.deepEqual(
      await boardOf(stages[0].id),
      made.map((task) => task.id),
    );
    const stranger = await post(outsider, `/stages/${stages[0].id}/recycle-tasks`);
    assert.equal(stranger.status, 404);
  });

  it('offers the same over gRPC: AssignTasks and RecycleStageTasks', async () => {
    const { project, stages } = await board(app, owner, member);
    const made = [
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
    ];
    const rpc = <T>(method: string, request: object, who = owner) =>
      unary<object, T>(tasks, method, request, bearer(who.accessToken));
    const assigned = await rpc<{ assigned: number }>('AssignTasks', {
      projectId: project.id,
      taskIds: made.map((task) => task.id),
      assigneeId: member.id,
    });
    assert.equal(assigned.assigned, 2);
    for (const task of made) assert.equal(await assigneeOf(task.id), member.id);
    await assert.rejects(
      rpc('AssignTasks', { projectId: project.id, taskIds: [], assigneeId: member.id }),
      rejectsWith(status.INVALID_ARGUMENT, 'taskIds'),
    );
    await assert.rejects(
      rpc('RecycleStageTasks', { id: stages[0].id }, outsider),
      rejectsWith(status.NOT_FOUND),
    );
    const recycled = await rpc<{ recycled: number }>('RecycleStageTasks', { id: stages[0].id });
    assert.equal(recycled.recycled, 2);
    assert.deepEqual(await boardOf(stages[0].id), []);
  });

  type MemberRow = { member: { id: string }; isOwner: boolean; isExecutor: boolean };
  const put = (who: RegisteredMember, taskId: string, memberIds: string[]) =>
    call<PageBody<MemberRow> & ProblemBody>(app, 'PUT', `/api/v1/tasks/${taskId}/members`, {
      token: who.accessToken,
      body: { memberIds },
    });
  const membersOf = async (taskId: string) =>
    (
      await call<PageBody<MemberRow>>(app, 'GET', `/api/v1/tasks/${taskId}/members?pageSize=100`, {
        token: owner.accessToken,
      })
    ).body.items
      .map((row) => row.member.id)
      .sort();

  it("makes a task's members exactly the list, its creator staying, and answers the new list", async () => {
    const third = await registerMember(app);
    const { project, stages } = await board(app, owner, member);
    const joined = await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
      token: owner.accessToken,
      body: { memberId: third.id },
    });
    assert.equal(joined.status, 201);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);

    const first = await put(member, task.id, [member.id, third.id]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(
      first.body.items.map((row) => row.member.id).sort(),
      [owner.id, member.id, third.id].sort(),
    );
    const second = await put(owner, task.id, [third.id]);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.deepEqual(await membersOf(task.id), [owner.id, third.id].sort(), 'the creator stays');
  });

  it('takes the executor off with the task unassigned', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    assert.equal(await assigneeOf(task.id), member.id);
    assert.equal((await put(owner, task.id, [])).status, 200);
    assert.equal(await assigneeOf(task.id), null);
    assert.deepEqual(await membersOf(task.id), [owner.id]);
  });

  it('refuses a member outside the project, naming the field, and changes nothing; a stranger finds no task', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const refused = await put(owner, task.id, [member.id, outsider.id]);
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.ok(refused.body.errors?.some((error) => error.field === 'memberIds'));
    assert.deepEqual(await membersOf(task.id), [owner.id]);
    assert.equal((await put(outsider, task.id, [outsider.id])).status, 404);
  });

  it('offers the same over gRPC: SetTaskMembers', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const rpc = (request: object, who = owner) =>
      unary<object, PageBody<MemberRow>>(tasks, 'SetTaskMembers', request, bearer(who.accessToken));
    const answer = await rpc({ taskId: task.id, memberIds: [member.id] });
    assert.deepEqual(answer.items.map((row) => row.member.id).sort(), [owner.id, member.id].sort());
    await assert.rejects(
      rpc({ taskId: task.id, memberIds: [outsider.id] }),
      rejectsWith(status.INVALID_ARGUMENT, 'memberIds'),
    );
    await assert.rejects(
      rpc({ taskId: task.id, memberIds: [] }, outsider),
      rejectsWith(status.NOT_FOUND),
    );
    assert.deepEqual((await rpc({ taskId: task.id, memberIds: [] })).items.length, 1);
  });
});
