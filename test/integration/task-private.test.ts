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
  type ProblemBody,
  type TaskBody,
} from '../support/projects';

type PrivateTask = TaskBody & { private: boolean };

describe('private tasks: changing the flag', () => {
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

  const patch = (who: RegisteredMember, id: string, body: unknown) =>
    call<PrivateTask & ProblemBody>(app, 'PATCH', `/api/v1/tasks/${id}`, {
      token: who.accessToken,
      body,
    });
  const read = (who: RegisteredMember, id: string) =>
    call<PrivateTask>(app, 'GET', `/api/v1/tasks/${id}`, { token: who.accessToken });

  it('hides a task made private from project members who are not on it, and shows it again when opened', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);

    const hidden = await patch(owner, task.id, { private: true });
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    assert.equal(hidden.body.private, true);
    assert.equal((await read(member, task.id)).status, 404, 'not on it: not found');
    const column = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      `/api/v1/stages/${stages[0].id}/tasks`,
      { token: member.accessToken },
    );
    assert.equal(
      column.body.items.some((item) => item.id === task.id),
      false,
      'off their board',
    );

    const opened = await patch(owner, task.id, { private: false });
    assert.equal(opened.body.private, false);
    assert.equal((await read(member, task.id)).status, 200);
  });

  it('lets only those on the task change the flag: a project member who is not is refused, nothing changed', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const refused = await patch(member, task.id, { private: true });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal((await read(owner, task.id)).body.private, false);

    // A task member may: they keep seeing it.
    const added = await call(app, 'POST', `/api/v1/tasks/${task.id}/members`, {
      token: owner.accessToken,
      body: { memberId: member.id },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const made = await patch(member, task.id, { private: true });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.equal((await read(member, task.id)).body.private, true);
  });

  it('refuses a flag that is not a boolean, naming the field', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const answer = await patch(owner, task.id, { private: 'yes' });
    assert.equal(answer.status, 400);
    assert.ok(
      answer.body.errors?.some((error) => error.field === 'private'),
      JSON.stringify(answer.body),
    );
    assert.equal((await read(owner, task.id)).body.private, false);
  });

  it('offers the same over gRPC: UpdateTask with private', async () => {
    const { project, stages } = await board(app, owner, member);
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const rpc = (request: object, who: RegisteredMember) =>
      unary<object, { private: boolean }>(tasks, 'UpdateTask', request, bearer(who.accessToken));
    await assert.rejects(
      rpc({ id: task.id, private: true }, member),
      rejectsWith(status.PERMISSION_DENIED),
    );
    assert.equal((await rpc({ id: task.id, private: true }, owner)).private, true);
    assert.equal((await read(member, task.id)).status, 404);
    assert.equal((await rpc({ id: task.id, private: false }, owner)).private, false);
  });
});
