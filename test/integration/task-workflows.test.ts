import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, grpcClient, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  board,
  createTask,
  type PageBody,
  type ProblemBody,
  type StageBody,
  type TaskBody,
} from '../support/projects';

interface WorkflowBody {
  id: string;
  projectId: string;
  name: string;
  trigger: { stageId: string; event: string; memberId: string | null };
  actions: { type: string; stageId: string | null; memberId: string | null }[];
}

interface TaskState extends TaskBody {
  done: boolean;
  assignee: { id: string } | null;
}

interface Entry {
  type: string;
  content: string;
  member: { id: string };
  toMember: { id: string } | null;
}

describe('task workflows: a project’s rules applied to its tasks as they change', () => {
  let app: TestApp;
  let workflows: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    workflows = grpcClient(
      app.grpcAddress,
      'project/v1/project.proto',
      'msproject.project.v1.TaskWorkflowService',
    );
    [owner, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
  });
  after(async () => {
    workflows?.close();
    await app?.close();
  });

  const as = (who: RegisteredMember) => ({ token: who.accessToken });

  async function newBoard(): Promise<{ projectId: string; stages: StageBody[] }> {
    const { project, stages } = await board(app, owner, member);
    assert.ok(stages.length >= 3, 'the template has three stages');
    return { projectId: project.id, stages };
  }

  async function addWorkflow(projectId: string, body: Record<string, unknown>) {
    const created = await call<WorkflowBody>(
      app,
      'POST',
      `/api/v1/projects/${projectId}/task-workflows`,
      { ...as(owner), body: { name: 'Rule', ...body } },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  }

  async function listed(projectId: string, who = member) {
    const answer = await call<{ items: WorkflowBody[] }>(
      app,
      'GET',
      `/api/v1/projects/${projectId}/task-workflows`,
      as(who),
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.items;
  }

  async function read(taskId: string) {
    const answer = await call<TaskState>(app, 'GET', `/api/v1/tasks/${taskId}`, as(owner));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  }

  async function entries(taskId: string) {
    const answer = await call<PageBody<Entry>>(
      app,
      'GET',
      `/api/v1/tasks/${taskId}/activity?pageSize=100`,
      as(owner),
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.items.map((entry) => entry.type).sort();
  }

  async function write(who: RegisteredMember, method: string, path: string, body?: unknown) {
    const answer = await call<TaskState>(app, method, path, { ...as(who), body });
    assert.ok(answer.status < 300, `${method} ${path}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  it('lets the owner add, change and delete workflows, and every member read them', async () => {
    const { projectId, stages } = await newBoard();
    const created = await addWorkflow(projectId, {
      name: '  Into review  ',
      trigger: { stageId: stages[0].id, event: 'assigned', memberId: member.id },
      actions: [{ type: 'move', stageId: stages[1].id }, { type: 'done' }],
    });
    assert.equal(created.name, 'Into review');
    assert.deepEqual(created.trigger, {
      stageId: stages[0].id,
      event: 'assigned',
      memberId: member.id,
    });
    assert.deepEqual(created.actions, [
      { type: 'move', stageId: stages[1].id, memberId: null },
      { type: 'done', stageId: null, memberId: null },
    ]);
    assert.deepEqual(
      (await listed(projectId)).map((workflow) => workflow.id),
      [created.id],
    );
    const got = await call<WorkflowBody>(
      app,
      'GET',
      `/api/v1/task-workflows/${created.id}`,
      as(member),
    );
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, created);

    const changed = await call<WorkflowBody>(app, 'PATCH', `/api/v1/task-workflows/${created.id}`, {
      ...as(owner),
      body: { name: 'Handed over', actions: [{ type: 'assign', memberId: owner.id }] },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.name, 'Handed over');
    assert.deepEqual(changed.body.trigger, created.trigger);
    assert.deepEqual(changed.body.actions, [{ type: 'assign', stageId: null, memberId: owner.id }]);

    const deleted = await call(app, 'DELETE', `/api/v1/task-workflows/${created.id}`, as(owner));
    assert.equal(deleted.status, 204);
    assert.deepEqual(await listed(projectId), []);
    const gone = await call(app, 'GET', `/api/v1/task-workflows/${created.id}`, as(owner));
    assert.equal(gone.status, 404);
  });

  it('refuses members who do not own the project, and hides workflows from strangers', async () => {
    const { projectId, stages } = await newBoard();
    const body = {
      name: 'Rule',
      trigger: { stageId: stages[0].id, event: 'done' },
      actions: [{ type: 'move', stageId: stages[2].id }],
    };
    const byMember = await call(app, 'POST', `/api/v1/projects/${projectId}/task-workflows`, {
      ...as(member),
      body,
    });
    assert.equal(byMember.status, 403);
    const workflow = await addWorkflow(projectId, body);
    const path = `/api/v1/task-workflows/${workflow.id}`;
    assert.equal(
      (await call(app, 'PATCH', path, { ...as(member), body: { name: 'x' } })).status,
      403,
    );
    assert.equal((await call(app, 'DELETE', path, as(member))).status, 403);
    assert.equal((await call(app, 'GET', path, as(stranger))).status, 404);
    assert.equal((await call(app, 'DELETE', path, as(stranger))).status, 404);
    const list = await call(
      app,
      'GET',
      `/api/v1/projects/${projectId}/task-workflows`,
      as(stranger),
    );
    assert.equal(list.status, 404);
    assert.equal((await listed(projectId))[0].name, 'Rule');
  });

  it('answers 400 naming the field for a bad workflow, and keeps nothing', async () => {
    const { projectId, stages } = await newBoard();
    const other = await newBoard();
    const cases: [Record<string, unknown>, string][] = [
      [{ trigger: { stageId: other.stages[0].id, event: 'enter' } }, 'trigger.stageId'],
      [{ trigger: { stageId: stages[0].id, event: 'assigned' } }, 'trigger.memberId'],
      [{ trigger: { stageId: stages[0].id, event: 'moved' } }, 'trigger.event'],
      [{ actions: [{ type: 'assign', memberId: stranger.id }] }, 'actions.0.memberId'],
      [{ actions: [{ type: 'move' }] }, 'actions.0.stageId'],
      [{ actions: [{ type: 'done' }, { type: 'undone' }] }, 'actions'],
      [{ actions: [] }, 'actions'],
      [{ name: '   ' }, 'name'],
    ];
    for (const [change, field] of cases) {
      const answer = await call<ProblemBody>(
        app,
        'POST',
        `/api/v1/projects/${projectId}/task-workflows`,
        {
          ...as(owner),
          body: {
            name: 'Rule',
            trigger: { stageId: stages[0].id, event: 'enter' },
            actions: [{ type: 'move', stageId: stages[1].id }],
            ...change,
          },
        },
      );
      assert.equal(answer.status, 400, `${field}: ${JSON.stringify(answer.body)}`);
      assert.ok(
        answer.body.errors?.some((error) => error.field === field),
        `${field}: ${JSON.stringify(answer.body.errors)}`,
      );
    }
    assert.deepEqual(await listed(projectId), []);
  });

  it('moves a task into a stage, and the stage’s workflow assigns it and marks it done', async () => {
    const { projectId, stages } = await newBoard();
    await addWorkflow(projectId, {
      trigger: { stageId: stages[1].id, event: 'enter' },
      actions: [{ type: 'assign', memberId: member.id }, { type: 'done' }],
    });
    const task = await createTask(app, owner.accessToken, projectId, stages[0].id);
    assert.equal((await read(task.id)).assignee, null, 'the workflow is of another stage');
    const moved = await write(owner, 'POST', `/api/v1/tasks/${task.id}/move`, {
      toStageId: stages[1].id,
    });
    assert.equal(moved.stageId, stages[1].id);
    assert.equal(moved.assignee?.id, member.id);
    assert.equal(moved.done, true);
    // In the task's log as any other change, written as the mover's.
    assert.deepEqual(await entries(task.id), ['assign', 'create', 'done', 'move']);
    // On the new assignee's list of tasks, with the right total.
    const mine = await call<PageBody<TaskBody>>(
      app,
      'GET',
      '/api/v1/tasks?view=assigned&pageSize=100',
      as(member),
    );
    assert.ok(mine.body.items.some((item) => item.id === task.id));
    assert.equal(mine.body.items.length, mine.body.total);
  });

  it('moves a task marked done to the workflow’s stage, at its end', async () => {
    const { projectId, stages } = await newBoard();
    await addWorkflow(projectId, {
      trigger: { stageId: stages[0].id, event: 'done' },
      actions: [{ type: 'move', stageId: stages[2].id }],
    });
    const waiting = await createTask(app, owner.accessToken, projectId, stages[2].id);
    const task = await createTask(app, owner.accessToken, projectId, stages[0].id);
    const done = await write(member, 'POST', `/api/v1/tasks/${task.id}/done`);
    assert.equal(done.stageId, stages[2].id);
    assert.ok(done.sort > (await read(waiting.id)).sort, 'at the end of the stage');
    const log = await call<PageBody<Entry>>(
      app,
      'GET',
      `/api/v1/tasks/${task.id}/activity`,
      as(owner),
    );
    const move = log.body.items.find((entry) => entry.type === 'move');
    assert.equal(move?.content, `moved the task from ${stages[0].name} to ${stages[2].name}`);
    assert.equal(move?.member.id, member.id);
    // Reopened, it stays: the workflow is of `done`.
    const reopened = await write(member, 'POST', `/api/v1/tasks/${task.id}/undone`);
    assert.equal(reopened.stageId, stages[2].id);
  });

  it('fires on the task given to the workflow’s member only, and on a new task', async () => {
    const { projectId, stages } = await newBoard();
    await addWorkflow(projectId, {
      trigger: { stageId: stages[0].id, event: 'assigned', memberId: member.id },
      actions: [{ type: 'move', stageId: stages[1].id }],
    });
    const task = await createTask(app, owner.accessToken, projectId, stages[0].id);
    const toOwner = await write(owner, 'PATCH', `/api/v1/tasks/${task.id}`, {
      assigneeId: owner.id,
    });
    assert.equal(toOwner.stageId, stages[0].id);
    const toMember = await write(owner, 'PATCH', `/api/v1/tasks/${task.id}`, {
      assigneeId: member.id,
    });
    assert.equal(toMember.stageId, stages[1].id);
    // Created in the stage already given to the member: it moves too.
    const assigned = await createTask(app, owner.accessToken, projectId, stages[0].id, {
      assigneeId: member.id,
    });
    assert.equal((await read(assigned.id)).stageId, stages[1].id);
  });

  it('sets off no workflow by what a workflow does, nor by child tasks; a deleted one is gone', async () => {
    const { projectId, stages } = await newBoard();
    const first = await addWorkflow(projectId, {
      trigger: { stageId: stages[0].id, event: 'done' },
      actions: [{ type: 'move', stageId: stages[1].id }],
    });
    await addWorkflow(projectId, {
      trigger: { stageId: stages[1].id, event: 'enter' },
      actions: [{ type: 'assign', memberId: member.id }],
    });
    const task = await createTask(app, owner.accessToken, projectId, stages[0].id);
    const done = await write(owner, 'POST', `/api/v1/tasks/${task.id}/done`);
    assert.equal(done.stageId, stages[1].id);
    assert.equal(done.assignee, null, 'the move of a workflow is no trigger');

    const parent = await createTask(app, owner.accessToken, projectId, stages[0].id);
    const child = await write(owner, 'POST', `/api/v1/tasks/${parent.id}/children`, {
      name: 'Child',
    });
    const childDone = await write(owner, 'POST', `/api/v1/tasks/${child.id}/done`);
    assert.equal(childDone.stageId, stages[0].id, 'a child task sets off nothing');

    await call(app, 'DELETE', `/api/v1/task-workflows/${first.id}`, as(owner));
    const later = await createTask(app, owner.accessToken, projectId, stages[0].id);
    assert.equal(
      (await write(owner, 'POST', `/api/v1/tasks/${later.id}/done`)).stageId,
      stages[0].id,
    );
  });

  it('offers the same over gRPC', async () => {
    const { projectId, stages } = await newBoard();
    const asOwner = bearer(owner.accessToken);
    const created = await unary<object, WorkflowBody>(
      workflows,
      'CreateTaskWorkflow',
      {
        projectId,
        name: 'Over gRPC',
        trigger: { stageId: stages[1].id, event: 'enter' },
        actions: [{ type: 'assign', memberId: member.id }],
      },
      asOwner,
    );
    assert.equal(created.name, 'Over gRPC');
    assert.deepEqual(
      created.actions.map(({ type, memberId }) => ({ type, memberId })),
      [{ type: 'assign', memberId: member.id }],
    );
    const list = await unary<object, { items: WorkflowBody[] }>(
      workflows,
      'ListTaskWorkflows',
      { projectId },
      bearer(member.accessToken),
    );
    assert.deepEqual(
      list.items.map((item) => item.id),
      [created.id],
    );
    const task = await createTask(app, owner.accessToken, projectId, stages[0].id);
    await write(owner, 'POST', `/api/v1/tasks/${task.id}/move`, { toStageId: stages[1].id });
    assert.equal((await read(task.id)).assignee?.id, member.id);

    const updated = await unary<object, WorkflowBody>(
      workflows,
      'UpdateTaskWorkflow',
      { id: created.id, name: 'Renamed' },
      asOwner,
    );
    assert.equal(updated.name, 'Renamed');
    assert.equal(updated.actions.length, 1, 'unset actions are left as they are');
    const got = await unary<object, WorkflowBody>(
      workflows,
      'GetTaskWorkflow',
      { id: created.id },
      bearer(member.accessToken),
    );
    assert.equal(got.name, 'Renamed');
    await assert.rejects(
      unary(workflows, 'DeleteTaskWorkflow', { id: created.id }, bearer(member.accessToken)),
      rejectsWith(status.PERMISSION_DENIED),
    );
    await assert.rejects(
      unary(
        workflows,
        'CreateTaskWorkflow',
        { projectId, name: 'No actions', trigger: { stageId: stages[0].id, event: 'enter' } },
        asOwner,
      ),
      rejectsWith(status.INVALID_ARGUMENT, 'actions'),
    );
    await assert.rejects(
      unary(workflows, 'GetTaskWorkflow', { id: created.id }, bearer(stranger.accessToken)),
      rejectsWith(status.NOT_FOUND),
    );
    await unary(workflows, 'DeleteTaskWorkflow', { id: created.id }, asOwner);
    const after = await unary<object, { items?: WorkflowBody[] }>(
      workflows,
      'ListTaskWorkflows',
      { projectId },
      asOwner,
    );
    assert.deepEqual(after.items ?? [], []);
  });
});
