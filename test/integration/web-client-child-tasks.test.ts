import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { readTask } from '../support/child-tasks';
import { uploadFile } from '../support/files';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, type StageBody } from '../support/projects';
import { assertClientCode, clientCall, clientOk, clientParams } from '../support/web-client';

type Data = Record<string, unknown>;
type List = { list: Data[]; total: number; page: number };

describe("the original web client's child tasks, execution status and estimated hours", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let projectCode = '';
  let stages: StageBody[] = [];
  const asOwner = () => ({ token: owner.accessToken });
  const only = { token: '', only: true };

  before(async () => {
    app = await startTestApp();
    [owner, member] = await Promise.all([registerMember(app), registerMember(app)]);
    const made = await board(app, owner, member);
    projectCode = made.project.id;
    stages = made.stages;
    only.token = owner.accessToken;
  });
  after(() => app?.close());

  /** A task on the board, as the board's add-task form makes it. */
  const boardTask = (name: string) =>
    clientOk<Data>(
      app,
      'project/task/save',
      { name, stage_code: stages[0].id, project_code: projectCode, assign_to: owner.id },
      asOwner(),
    );

  /** A child task, as the task detail's child-task form sends it. */
  const childTask = (pcode: unknown, name: string, assignTo?: string) =>
    clientOk<Data>(
      app,
      'project/task/save',
      assignTo ? { pcode, name, assign_to: assignTo } : { pcode, name },
      only,
    );

  const childList = (pcode: unknown, minItems = 1) =>
    clientOk<List>(
      app,
      'project/task',
      { pcode, pageSize: 100, deleted: 0 },
      { ...asOwner(), minItems },
    );

  it('task/save with pcode adds a child task that project/task lists and the board counts', async () => {
    const parent = await boardTask('Ship the release');
    const child = await childTask(parent.code, 'Write the notes', member.id);
    assert.equal(child.pcode, parent.code);
    assert.equal(child.stage_code, stages[0].id);
    assert.deepEqual(child.childCount, [0, 0]);
    assert.equal(
      (await readTask(app, owner.accessToken, String(child.code))).parentId,
      parent.code,
    );

    const children = await childList(parent.code);
    assert.deepEqual([children.total, children.list.map((task) => task.code)], [1, [child.code]]);
    assert.deepEqual(children.list[0].executor, {
      ...(children.list[0].executor as Data),
      code: member.id,
    });
    assert.deepEqual([children.list[0].parentDone, children.list[0].hasUnDone], [0, 0]);

    const column = await clientOk<Data[]>(
      app,
      'project/task_stages/tasks',
      { stageCode: stages[0].id },
      asOwner(),
    );
    assert.deepEqual(
      column.map((task) => task.code),
      [parent.code],
      'child tasks are not on the board',
    );
    assert.deepEqual([column[0].childCount, column[0].hasUnDone], [[1, 0], 1]);

    const detail = await clientOk<Data>(
      app,
      'project/task/read',
      { taskCode: child.code },
      asOwner(),
    );
    assert.deepEqual(detail.parentTask, { code: parent.code, name: 'Ship the release' });
    assert.deepEqual(detail.parentTasks, [{ code: parent.code, name: 'Ship the release' }]);
    const parentDetail = await clientOk<Data>(
      app,
      'project/task/read',
      { taskCode: parent.code },
      asOwner(),
    );
    assert.deepEqual([parentDetail.childCount, parentDetail.hasUnDone], [[1, 0], 1]);
    assert.equal(parentDetail.parentTask, null);

    const log = await clientOk<List>(
      app,
      'project/task/taskLog',
      { taskCode: parent.code, all: 1, pageSize: 5, comment: 0 },
      asOwner(),
    );
    assert.ok(
      log.list.some((entry) => entry.remark === '添加了子任务' && entry.icon === 'plus'),
      "the parent's log shows the child task added",
    );
  });

  it('keeps a parent with undone child tasks open and a done parent’s children done', async () => {
    const parent = await boardTask('Parent');
    const child = await childTask(parent.code, 'Child');

    const early = await clientCall(
      app,
      'project/task/taskDone',
      { taskCode: parent.code, done: 1 },
      asOwner(),
    );
    assertClientCode(early, 409, 'a parent with an undone child');
    assert.match(early.body.msg, /child tasks not done/);

    await clientOk(app, 'project/task/taskDone', { taskCode: child.code, done: 1 }, asOwner());
    const done = await clientOk<Data>(
      app,
      'project/task/taskDone',
      { taskCode: parent.code, done: 1 },
      asOwner(),
    );
    assert.deepEqual([done.done, done.childCount, done.hasUnDone], [1, [1, 1], 0]);
    const children = await childList(parent.code);
    assert.equal(children.list[0].parentDone, 1);

    assertClientCode(
      await clientCall(app, 'project/task/taskDone', { taskCode: child.code, done: 0 }, asOwner()),
      409,
      'reopening a child of a done task',
    );
    assertClientCode(
      await clientCall(app, 'project/task/save', { pcode: parent.code, name: 'Late' }, asOwner()),
      409,
      'a child under a done task',
    );
  });

  it('answers 4041 for a parent the caller cannot see and 400 for a project that is not its parent’s', async () => {
    const parent = await boardTask('Somebody else’s');
    const stranger = await registerMember(app);
    assertClientCode(
      await clientCall(
        app,
        'project/task/save',
        { pcode: parent.code, name: 'Sneaky' },
        { token: stranger.accessToken },
      ),
      4041,
      'a task of a project the caller is not in',
    );
    assertClientCode(
      await clientCall(
        app,
        'project/task',
        { pcode: parent.code },
        { token: stranger.accessToken },
      ),
      4041,
      'children of a task the caller cannot see',
    );
    const elsewhere = await board(app, owner, member);
    const mismatch = await clientCall(
      app,
      'project/task/save',
      { pcode: parent.code, name: 'Mismatch', project_code: elsewhere.project.id },
      asOwner(),
    );
    assertClientCode(mismatch, 400, 'another project beside the parent');
    assert.match(mismatch.body.msg, /^project_code: /);
    assert.equal((await childList(parent.code, 0)).total, 0);
  });

  it("project/task with projectCode and deleted 1 lists the board's recycle bin, newest first", async () => {
    const kept = await boardTask('Stays on the board');
    const first = await boardTask('Binned first');
    const second = await boardTask('Binned second');
    for (const task of [first, second]) {
      await clientOk(app, 'project/task/recycle', { taskCode: task.code }, asOwner());
    }
    // As the board's 回收站 drawer asks for its task tab.
    const bin = await clientOk<List>(
      app,
      'project/task',
      { pageSize: 10, deleted: 1, projectCode },
      asOwner(),
    );
    const names = bin.list.map((task) => task.name);
    assert.deepEqual(names.slice(0, 2), ['Binned second', 'Binned first']);
    assert.equal(names.includes(kept.name), false, 'a task on the board is not in the bin');
    assert.equal(bin.total, bin.list.length);
    assert.ok(bin.list.every((task) => task.deleted === 1 && task.deleted_time !== ''));
    // Only a project's member sees its bin; without a parent only the bin is listed.
    assertClientCode(
      await clientCall(
        app,
        'project/task',
        { pageSize: 10, deleted: 1, projectCode },
        { token: member.accessToken },
      ),
      200,
      'a member of the project',
    );
    const stranger = await registerMember(app);
    assertClientCode(
      await clientCall(
        app,
        'project/task',
        { pageSize: 10, deleted: 1, projectCode },
        { token: stranger.accessToken },
      ),
      4041,
      "another project's bin",
    );
    const boardList = await clientCall(
      app,
      'project/task',
      { pageSize: 10, deleted: 0, projectCode },
      asOwner(),
    );
    assertClientCode(boardList, 400, 'the board is not listed here');
    assert.match(boardList.body.msg, /^pcode: /);
  });

  it('task/edit keeps status (execution state) and work_time (estimated hours)', async () => {
    const task = await boardTask('Estimate me');
    const edited = await clientOk<Data>(
      app,
      'project/task/edit',
      { status: 2, work_time: '12.5', taskCode: task.code },
      only,
    );
    assert.deepEqual(
      [edited.status, edited.statusText, edited.work_time, edited.done],
      [2, '进行中', 12.5, 0],
    );
    const rest = await readTask(app, owner.accessToken, String(task.code));
    assert.deepEqual([rest.executionStatus, rest.estimatedHours], ['inProgress', 12.5]);

    for (const [values, field] of [
      [{ work_time: 'lots' }, 'work_time'],
      [{ work_time: '10000' }, 'work_time'],
      [{ work_time: '1.255' }, 'work_time'],
      [{ status: 5 }, 'status'],
      [{ status: 'x' }, 'status'],
    ] as const) {
      const refused = await clientCall(
        app,
        'project/task/edit',
        { ...values, taskCode: task.code },
        asOwner(),
      );
      assertClientCode(refused, 400, JSON.stringify(values));
      assert.match(refused.body.msg, new RegExp(`^${field}: `));
    }
    const read = await clientOk<Data>(app, 'project/task/read', { taskCode: task.code }, asOwner());
    assert.deepEqual([read.status, read.statusText, read.work_time], [2, '进行中', 12.5]);

    const cleared = await clientOk<Data>(
      app,
      'project/task/edit',
      { status: 4, work_time: '0', taskCode: task.code },
      only,
    );
    assert.deepEqual([cleared.status, cleared.statusText, cleared.work_time], [4, '测试中', 0]);
    assert.equal((await readTask(app, owner.accessToken, String(task.code))).estimatedHours, null);
  });

  it('a task recycled from its detail reads back read-only over the detail’s calls (deleted 1), to the members who saw it; its changes stay 4041', async () => {
    const task = await boardTask('Read in the bin');
    const taskCode = task.code;
    const child = await childTask(taskCode, 'Went along');
    const asMember = { token: member.accessToken };
    await clientOk(
      app,
      'project/task/createComment',
      { taskCode, comment: 'Before the bin', mentions: '[]' },
      asMember,
    );
    await clientOk(
      app,
      'project/task/saveTaskWorkTime',
      { beginTime: '2024-05-01 09:30', num: 1.5, content: 'worked', taskCode },
      asMember,
    );
    const tag = await call<{ id: string }>(
      app,
      'POST',
      `/api/v1/projects/${projectCode}/task-tags`,
      {
        ...asOwner(),
        body: { name: 'Binned' },
      },
    );
    await clientOk(app, 'project/task/setTag', { taskCode, tagCode: tag.body.id }, asOwner());
    const file = await uploadFile(
      app,
      owner.accessToken,
      String(taskCode),
      Buffer.from('n'),
      'n.md',
    );
    assert.equal(file.status, 201);
    // As the detail's "move to the recycle bin" sends it, then reads the task again.
    await clientOk(app, 'project/task/recycle', { taskCode }, asMember);

    const detail = await clientOk<Data>(app, 'project/task/read', { taskCode }, asMember);
    assert.deepEqual([detail.name, detail.deleted], ['Read in the bin', 1]);
    assert.notEqual(detail.deleted_time, '');
    const log = await clientOk<List>(
      app,
      'project/task/taskLog',
      { taskCode, all: 0, pageSize: 5, comment: 1 },
      asMember,
    );
    assert.deepEqual(
      log.list.map((line) => line.content),
      ['Before the bin'],
    );
    const members = await clientOk<List>(
      app,
      'project/task_member',
      { taskCode, pageSize: 100 },
      asMember,
    );
    assert.equal(members.list[0].code, owner.id);
    const times = await clientOk<Data[]>(
      app,
      'project/task/_taskWorkTimeList',
      { taskCode },
      asMember,
    );
    assert.deepEqual(
      times.map((entry) => entry.num),
      [1.5],
    );
    const sources = await clientOk<Data[]>(app, 'project/task/taskSources', { taskCode }, asMember);
    assert.deepEqual(
      sources.map((source) => source.code),
      [file.body.id],
    );
    const tags = await clientOk<Data[]>(app, 'project/task/taskToTags', { taskCode }, asMember);
    assert.deepEqual(
      tags.map((link) => link.tag_code),
      [tag.body.id],
    );
    const children = await clientOk<List>(
      app,
      'project/task',
      { pcode: taskCode, pageSize: 100, deleted: 0 },
      asMember,
    );
    assert.deepEqual(
      children.list.map((item) => [item.code, item.deleted]),
      [[child.code, 1]],
    );
    const childDetail = await clientOk<Data>(
      app,
      'project/task/read',
      { taskCode: child.code },
      asMember,
    );
    assert.equal(childDetail.deleted, 1);

    // A stage holding only recycled tasks may be deleted: the task then names no stage.
    const shortLived = await call<{ id: string }>(
      app,
      'POST',
      `/api/v1/projects/${projectCode}/stages`,
      { ...asOwner(), body: { name: 'Short-lived' } },
    );
    const orphan = await clientOk<Data>(
      app,
      'project/task/save',
      {
        name: 'Outlives its stage',
        stage_code: shortLived.body.id,
        project_code: projectCode,
        assign_to: owner.id,
      },
      asOwner(),
    );
    await clientOk(app, 'project/task/recycle', { taskCode: orphan.code }, asOwner());
    assert.equal(
      (await call(app, 'DELETE', `/api/v1/stages/${shortLived.body.id}`, asOwner())).status,
      204,
    );
    const orphanRead = await clientOk<Data>(
      app,
      'project/task/read',
      { taskCode: orphan.code },
      asMember,
    );
    assert.deepEqual([orphanRead.deleted, orphanRead.stageName], [1, '']);

    const stranger = await registerMember(app);
    for (const [route, values] of [
      ['project/task/read', { taskCode }],
      ['project/task/taskLog', { taskCode, all: 0, pageSize: 5, comment: 0 }],
      ['project/task_member', { taskCode, pageSize: 100 }],
      ['project/task/_taskWorkTimeList', { taskCode }],
      ['project/task/taskSources', { taskCode }],
      ['project/task', { pcode: taskCode, pageSize: 100, deleted: 0 }],
    ] as [string, Data][]) {
      assertClientCode(
        await clientCall(app, route, clientParams(route, values), { token: stranger.accessToken }),
        4041,
        `${route} to a stranger`,
      );
    }
    const hidden = await boardTask('Private in the bin');
    await clientOk(
      app,
      'project/task/setPrivate',
      { taskCode: hidden.code, private: 1 },
      asOwner(),
    );
    await clientOk(app, 'project/task/recycle', { taskCode: hidden.code }, asOwner());
    assertClientCode(
      await clientCall(app, 'project/task/read', { taskCode: hidden.code }, asMember),
      4041,
      'a private task the member could not see',
    );
    assert.equal(
      (await clientOk<Data>(app, 'project/task/read', { taskCode: hidden.code }, asOwner()))
        .deleted,
      1,
    );

    for (const [route, values] of [
      ['project/task/edit', { name: 'Renamed', taskCode }],
      ['project/task/edit', { taskCode }],
      ['project/task/createComment', { taskCode, comment: 'Hello?', mentions: '[]' }],
      ['project/task/saveTaskWorkTime', { num: 1, taskCode }],
      ['project/task/taskDone', { taskCode, done: 1 }],
      ['project/task/like', { like: 1, taskCode }],
      ['project/task/star', { star: 1, taskCode }],
      ['project/task/setTag', { taskCode, tagCode: tag.body.id }],
      ['project/task/save', { name: 'Late child', pcode: taskCode }],
      ['project/task/assignTask', { taskCode, executorCode: member.id }],
      ['project/task/recycle', { taskCode }],
    ] as [string, Data][]) {
      assertClientCode(
        await clientCall(app, route, clientParams(route, values, true), asMember),
        4041,
        `${route} ${JSON.stringify(values)}`,
      );
    }
    assert.equal(
      (await clientOk<Data>(app, 'project/task/read', { taskCode }, asMember)).name,
      'Read in the bin',
      'nothing changed',
    );
    await clientOk(app, 'project/task/recovery', { taskCode }, asOwner());
    const back = await clientOk<Data>(app, 'project/task/read', { taskCode }, asMember);
    assert.equal(back.deleted, 0);
  });
});
