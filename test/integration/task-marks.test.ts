import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, createTask, projectGrpcClients, sql } from '../support/projects';

interface MarkedTask {
  id: string;
  likeCount: number;
  starCount: number;
  liked: boolean;
  starred: boolean;
}

describe('members like and star the tasks they see', () => {
  let app: TestApp;
  let tasks: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    ({ tasks } = projectGrpcClients(app));
    [owner, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
  });
  after(async () => {
    tasks?.close();
    await app?.close();
  });

  const mark = (method: 'PUT' | 'DELETE', what: 'like' | 'star', taskId: string, who = member) =>
    call<MarkedTask>(app, method, `/api/v1/tasks/${taskId}/${what}`, {
      token: who.accessToken,
    });
  const read = async (taskId: string, who: RegisteredMember) => {
    const answer = await call<MarkedTask>(app, 'GET', `/api/v1/tasks/${taskId}`, {
      token: who.accessToken,
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  const marksOf = (task: MarkedTask) => [task.likeCount, task.liked, task.starCount, task.starred];

  async function newTask() {
    const { project, stages } = await board(app, owner, member);
    return createTask(app, owner.accessToken, project.id, stages[0].id);
  }

  it('counts likes and stars, each member’s own once, and shows the viewer theirs', async () => {
    const task = await newTask();
    const liked = await mark('PUT', 'like', task.id);
    assert.equal(liked.status, 200, JSON.stringify(liked.body));
    assert.deepEqual(marksOf(liked.body), [1, true, 0, false]);
    // Again: nothing changes.
    assert.deepEqual(marksOf((await mark('PUT', 'like', task.id)).body), [1, true, 0, false]);
    assert.deepEqual(marksOf(await read(task.id, owner)), [1, false, 0, false]);
    assert.deepEqual(marksOf((await mark('PUT', 'like', task.id, owner)).body), [
      2,
      true,
      0,
      false,
    ]);

    assert.deepEqual(marksOf((await mark('PUT', 'star', task.id)).body), [2, true, 1, true]);
    assert.deepEqual(marksOf(await read(task.id, owner)), [2, true, 1, false]);
    // The board's list shows the viewer's marks too.
    const onBoard = await call<{ items: MarkedTask[] }>(
      app,
      'GET',
      `/api/v1/stages/${task.stageId}/tasks`,
      { token: member.accessToken },
    );
    assert.deepEqual(marksOf(onBoard.body.items.find((item) => item.id === task.id)!), [
      2,
      true,
      1,
      true,
    ]);

    assert.deepEqual(marksOf((await mark('DELETE', 'like', task.id)).body), [1, false, 1, true]);
    assert.deepEqual(marksOf((await mark('DELETE', 'like', task.id)).body), [1, false, 1, true]);
    assert.deepEqual(marksOf((await mark('DELETE', 'star', task.id)).body), [1, false, 0, false]);
  });

  it('keeps the count right when many mark one task at once', async () => {
    const task = await newTask();
    const others = [owner, member];
    const answers = await Promise.all([
      ...others.map((who) => mark('PUT', 'like', task.id, who)),
      ...others.map((who) => mark('PUT', 'like', task.id, who)),
      ...others.map((who) => mark('PUT', 'star', task.id, who)),
    ]);
    assert.ok(answers.every((answer) => answer.status === 200));
    assert.deepEqual(marksOf(await read(task.id, owner)), [2, true, 2, true]);
    const [{ likes }] = await sql<{ likes: number }>(
      app,
      'SELECT COUNT(*) AS likes FROM task_like WHERE taskId = ?',
      [decodeId(task.id, 'task')],
    );
    assert.equal(Number(likes), 2);
  });

  it('lets only those who see a task mark it', async () => {
    const task = await newTask();
    for (const what of ['like', 'star'] as const) {
      const refused = await mark('PUT', what, task.id, stranger);
      assert.equal(refused.status, 404, what);
    }
    // A private task the member neither made nor works on.
    const hidden = await newTask();
    await sql(app, 'UPDATE task SET private = 1 WHERE id = ?', [decodeId(hidden.id, 'task')]);
    assert.equal((await mark('PUT', 'star', hidden.id)).status, 404);
    assert.equal((await mark('PUT', 'like', 'not-an-id')).status, 404);
    assert.deepEqual(marksOf(await read(task.id, owner)), [0, false, 0, false]);
  });

  it('takes a task’s marks with it when it is deleted for good', async () => {
    const task = await newTask();
    await mark('PUT', 'like', task.id);
    await mark('PUT', 'star', task.id);
    const recycled = await call(app, 'POST', `/api/v1/tasks/${task.id}/recycle`, {
      token: owner.accessToken,
    });
    assert.equal(recycled.status, 200);
    const gone = await call(app, 'DELETE', `/api/v1/tasks/${task.id}`, {
      token: owner.accessToken,
    });
    assert.equal(gone.status, 204);
    const [{ left }] = await sql<{ left: number }>(
      app,
      'SELECT (SELECT COUNT(*) FROM task_like WHERE taskId = ?) + (SELECT COUNT(*) FROM task_collection WHERE taskId = ?) AS `left`',
      [decodeId(task.id, 'task'), decodeId(task.id, 'task')],
    );
    assert.equal(Number(left), 0);
  });

  it('offers the same over gRPC', async () => {
    const task = await newTask();
    const as = bearer(member.accessToken);
    const liked = await unary<object, MarkedTask>(
      tasks,
      'SetLiked',
      { id: task.id, liked: true },
      as,
    );
    assert.deepEqual(marksOf(liked), [1, true, 0, false]);
    const starred = await unary<object, MarkedTask>(
      tasks,
      'SetStarred',
      { id: task.id, starred: true },
      as,
    );
    assert.deepEqual(marksOf(starred), [1, true, 1, true]);
    const read = await unary<object, MarkedTask>(tasks, 'GetTask', { id: task.id }, as);
    assert.deepEqual(marksOf(read), [1, true, 1, true]);
    // An unset flag is false: the mark goes.
    const unliked = await unary<object, MarkedTask>(tasks, 'SetLiked', { id: task.id }, as);
    assert.deepEqual(marksOf(unliked), [0, false, 1, true]);
    await assert.rejects(
      unary(tasks, 'SetStarred', { id: task.id, starred: true }, bearer(stranger.accessToken)),
      rejectsWith(status.NOT_FOUND),
    );
    await assert.rejects(
      unary(tasks, 'SetLiked', { id: '', liked: true }, as),
      (error: { code: number }) => [status.NOT_FOUND, status.INVALID_ARGUMENT].includes(error.code),
    );
  });
});
