import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, createTask } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;

describe("the original web client's like and star on the task detail", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    [owner, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
  });
  after(() => app?.close());

  const as = (who: RegisteredMember) => ({ token: who.accessToken });
  const detail = (taskCode: string, who: RegisteredMember) =>
    clientOk<Data>(app, 'project/task/read', { taskCode }, as(who));
  const marks = (task: Data) => [task.like, task.liked, task.star, task.stared];

  async function newTask() {
    const { project, stages } = await board(app, owner, member);
    return createTask(app, owner.accessToken, project.id, stages[0].id);
  }

  it('likes and unlikes, stars and unstars, as the task detail sends them', async () => {
    const task = await newTask();
    // like(!task.liked) sends Number(true); the star menu sends the flipped stared.
    await clientOk(app, 'project/task/like', { like: 1, taskCode: task.id }, as(member));
    assert.deepEqual(marks(await detail(task.id, member)), [1, 1, 0, 0]);
    assert.deepEqual(marks(await detail(task.id, owner)), [1, 0, 0, 0]);
    const starred = await clientOk<Data>(
      app,
      'project/task/star',
      { star: 1, taskCode: task.id },
      as(member),
    );
    assert.deepEqual(marks(starred), [1, 1, 1, 1]);
    await clientOk(app, 'project/task/like', { like: 0, taskCode: task.id }, as(member));
    await clientOk(app, 'project/task/star', { star: 0, taskCode: task.id }, as(member));
    assert.deepEqual(marks(await detail(task.id, member)), [0, 0, 0, 0]);
    // The same marks through /api/v1.
    await clientOk(app, 'project/task/star', { star: 1, taskCode: task.id }, as(owner));
    const rest = await call<{ starCount: number; starred: boolean }>(
      app,
      'GET',
      `/api/v1/tasks/${task.id}`,
      as(owner),
    );
    assert.deepEqual([rest.body.starCount, rest.body.starred], [1, true]);
  });

  it('refuses strangers and bad forms, changing nothing', async () => {
    const task = await newTask();
    assertClientCode(
      await clientCall(app, 'project/task/like', { like: 1, taskCode: task.id }, as(stranger)),
      4041,
      'a stranger likes',
    );
    assertClientCode(
      await clientCall(app, 'project/task/star', { star: 1, taskCode: 'nope' }, as(member)),
      4041,
      'an unknown task',
    );
    const bad = await clientCall(
      app,
      'project/task/like',
      { like: 'maybe', taskCode: task.id },
      as(member),
    );
    assertClientCode(bad, 400, 'like is not a flag');
    assert.match(bad.body.msg, /like/);
    assert.deepEqual(marks(await detail(task.id, owner)), [0, 0, 0, 0]);
  });
});
