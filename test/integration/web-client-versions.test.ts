import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, createTask } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;
type LogData = { list: Data[]; total: number };

/** `YYYY-MM-DD HH:mm:ss`, as the client reads every time. */
const CLIENT_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe("the original web client's Versions tab", () => {
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

  /** A project with the member in it, a library made as the dialog sends it, and two tasks. */
  async function library() {
    const { project, stages } = await board(app, owner, member);
    await clientOk(
      app,
      'project/project_features/save',
      { name: 'Mobile app', description: 'The stores', projectCode: project.id },
      as(member),
    );
    const [feature] = await clientOk<Data[]>(
      app,
      'project/project_features',
      { projectCode: project.id },
      as(member),
    );
    const tasks = [
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
    ];
    return { project, feature, tasks };
  }

  async function newVersion(featureCode: unknown, name = '1.0') {
    // The create dialog formats its pickers with moment: minutes, no seconds.
    await clientOk(
      app,
      'project/project_version/save',
      {
        name,
        description: 'First release',
        startTime: '2026-05-01 09:30',
        planPublishTime: '2026-06-01 18:00',
        featuresCode: featureCode,
      },
      as(member),
    );
    const versions = await clientOk<Data[]>(
      app,
      'project/project_version',
      { projectFeaturesCode: featureCode },
      as(member),
    );
    return versions.find((version) => version.name === name)!;
  }

  const read = (versionCode: unknown, who = member) =>
    clientOk<Data>(app, 'project/project_version/read', { versionCode }, as(who));
  const versionLog = (versionCode: unknown, all?: number) =>
    clientOk<LogData>(
      app,
      'project/project_version/_getVersionLog',
      { versionCode, all, pageSize: 5 },
      as(member),
    );

  it('lists, adds, renames and deletes version libraries as the library menu does', async () => {
    const { project, feature } = await library();
    assert.deepEqual([feature.name, feature.description], ['Mobile app', 'The stores']);
    await clientOk(
      app,
      'project/project_features/edit',
      { name: 'Phones', description: '', projectCode: project.id, featuresCode: feature.code },
      as(member),
    );
    const [renamed] = await clientOk<Data[]>(
      app,
      'project/project_features',
      { projectCode: project.id },
      as(owner),
    );
    assert.deepEqual(
      [renamed.code, renamed.name, renamed.description],
      [feature.code, 'Phones', ''],
    );
    const rest = await call<{ items: { id: string; name: string }[] }>(
      app,
      'GET',
      `/api/v1/projects/${project.id}/features`,
      as(owner),
    );
    assert.deepEqual(
      rest.body.items.map((item) => [item.id, item.name]),
      [[feature.code, 'Phones']],
    );
    await clientOk(
      app,
      'project/project_features/delete',
      { featuresCode: feature.code },
      as(member),
    );
    assert.deepEqual(
      await clientOk(
        app,
        'project/project_features',
        { projectCode: project.id },
        {
          ...as(member),
          minItems: 0,
        },
      ),
      [],
    );
  });

  it('creates a version and shows it in the list and the detail, with its times and status', async () => {
    const { project, feature } = await library();
    const version = await newVersion(feature.code);
    assert.equal(version.status, 0);
    assert.equal(version.statusText, '未开始');
    assert.equal(version.schedule, 0);
    assert.equal(version.plan_publish_time, '2026-06-01 18:00:00');
    assert.equal(version.publish_time, '');
    const detail = await read(version.code);
    assert.equal(detail.featureName, 'Mobile app');
    assert.equal(detail.projectCode, project.id);
    assert.equal(detail.start_time, '2026-05-01 09:30:00');
    assert.equal(detail.description, 'First release');
    assert.match(String(detail.create_time), CLIENT_TIME);
    // Through /api/v1, the same version at the same instants.
    const rest = await call<{ name: string; startAt: string; featureId: string }>(
      app,
      'GET',
      `/api/v1/versions/${String(version.code)}`,
      as(owner),
    );
    assert.equal(rest.body.name, '1.0');
    assert.equal(rest.body.featureId, feature.code);
    const again = await clientCall(
      app,
      'project/project_version/save',
      { name: '1.0', featuresCode: feature.code },
      as(member),
    );
    assertClientCode(again, 409, 'a second version of the same name');
  });

  it('edits a version field by field as the detail panel does, each a line of its history', async () => {
    const { feature } = await library();
    const { code } = await newVersion(feature.code);
    const edit = (values: Data) =>
      clientOk(
        app,
        'project/project_version/edit',
        { ...values, versionCode: code },
        {
          ...as(member),
          only: true,
        },
      );
    await edit({ name: '1.0 final' });
    await edit({ description: 'All of it' });
    await edit({ start_time: '' });
    await edit({ plan_publish_time: '2026-07-01 10:00' });
    const detail = await read(code);
    assert.deepEqual(
      [detail.name, detail.description, detail.start_time, detail.plan_publish_time],
      ['1.0 final', 'All of it', '', '2026-07-01 10:00:00'],
    );
    await edit({ description: '' });
    // The panel shows the newest five lines, oldest first, and all of them on request.
    const log = await versionLog(code);
    assert.equal(log.total, 6);
    assert.deepEqual(
      log.list.map((line) => line.remark),
      [
        '更新了版本名 ',
        '更新了备注 ',
        '清除了开始时间 ',
        '更新计划发布时间为 07月01日 10:00',
        '清空了备注 ',
      ],
    );
    assert.equal((log.list[0].member as Data).name, member.input.name);
    assert.equal(log.list[0].content, '1.0 final');
    const all = await versionLog(code, 1);
    assert.deepEqual(
      all.list.map((line) => line.icon),
      ['plus', 'edit', 'file-text', 'calendar', 'calendar', 'file-text'],
    );
    assert.match(String(all.list[0].create_time), CLIENT_TIME);
    const bad = await clientCall(
      app,
      'project/project_version/edit',
      { start_time: 'soon', versionCode: code },
      as(member),
    );
    assertClientCode(bad, 400, 'a time that is no time');
    assert.match(bad.body.msg, /start_time/);
  });

  it('adds release content from the task picker, shows progress, and removes it', async () => {
    const { feature, tasks } = await library();
    const { code } = await newVersion(feature.code);
    const added = await clientOk<Data>(
      app,
      'project/project_version/addVersionTask',
      { taskCodeList: JSON.stringify(tasks.map((task) => task.id)), versionCode: code },
      as(member),
    );
    assert.equal(added.successTotal, 2);
    await clientOk(app, 'project/task/taskDone', { taskCode: tasks[0].id, done: 1 }, as(owner));
    const listed = await clientOk<Data[]>(
      app,
      'project/project_version/_getVersionTask',
      { versionCode: code },
      as(member),
    );
    assert.deepEqual(
      listed.map((task) => [task.code, task.done]),
      [
        [tasks[1].id, 0],
        [tasks[0].id, 1],
      ],
    );
    assert.equal(listed[0].executor, null);
    assert.equal((await read(code)).schedule, 50);
    // The same through /api/v1.
    const rest = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      `/api/v1/versions/${String(code)}/tasks`,
      as(owner),
    );
    assert.equal(rest.body.items.length, 2);

    await clientOk(
      app,
      'project/project_version/removeVersionTask',
      { taskCode: tasks[1].id },
      as(member),
    );
    assert.equal((await read(code)).schedule, 100);
    const log = await versionLog(code);
    assert.deepEqual(
      log.list.slice(-2).map((line) => [line.remark, line.icon]),
      [
        ['添加了 2 项发布内容 ', 'link'],
        ['移除了发布内容', 'disconnect'],
      ],
    );
    assert.equal(log.list.at(-1)!.content, tasks[1].name);
  });

  it('changes status from the menu and releases at the picked time', async () => {
    const { feature } = await library();
    const { code } = await newVersion(feature.code);
    await clientOk(
      app,
      'project/project_version/changeStatus',
      { versionCode: code, status: 1 },
      as(member),
    );
    assert.deepEqual([(await read(code)).status, (await read(code)).statusText], [1, '进行中']);
    await clientOk(
      app,
      'project/project_version/changeStatus',
      { versionCode: code, status: 3, publishTime: '2026-06-03 10:00' },
      as(member),
    );
    const released = await read(code);
    assert.deepEqual(
      [released.status, released.statusText, released.publish_time],
      [3, '已发布', '2026-06-03 10:00:00'],
    );
    const [listed] = await clientOk<Data[]>(
      app,
      'project/project_version',
      { projectFeaturesCode: feature.code },
      as(owner),
    );
    assert.equal(listed.publish_time, '2026-06-03 10:00:00');
    const log = await versionLog(code);
    assert.deepEqual(
      log.list.slice(-2).map((line) => line.remark),
      ['更新了状态为 进行中', '完成版本时间为 06月03日 10:00'],
    );
    const rest = await call<{ status: string; publishedAt: string }>(
      app,
      'GET',
      `/api/v1/versions/${String(code)}`,
      as(owner),
    );
    assert.equal(rest.body.status, 'released');
    assertClientCode(
      await clientCall(
        app,
        'project/project_version/changeStatus',
        { versionCode: code, status: 7 },
        as(member),
      ),
      400,
      'no such status',
    );
  });

  it('deletes a version from the detail menu; its tasks stay, free to join another', async () => {
    const { feature, tasks } = await library();
    const first = await newVersion(feature.code);
    const second = await newVersion(feature.code, '1.1');
    await clientOk(
      app,
      'project/project_version/addVersionTask',
      { taskCodeList: JSON.stringify([tasks[0].id]), versionCode: first.code },
      as(member),
    );
    await clientOk(app, 'project/project_version/delete', { versionCode: first.code }, as(member));
    assertClientCode(
      await clientCall(
        app,
        'project/project_version/read',
        { versionCode: first.code },
        as(member),
      ),
      4041,
      'a deleted version',
    );
    const moved = await clientOk<Data>(
      app,
      'project/project_version/addVersionTask',
      { taskCodeList: JSON.stringify([tasks[0].id]), versionCode: second.code },
      as(member),
    );
    assert.equal(moved.successTotal, 1);
    const task = await call(app, 'GET', `/api/v1/tasks/${tasks[0].id}`, as(owner));
    assert.equal(task.status, 200);
  });

  it('answers 4041 to strangers and for unknown codes, changing nothing', async () => {
    const { project, feature, tasks } = await library();
    const { code } = await newVersion(feature.code);
    const refused: [string, Data][] = [
      ['project/project_features', { projectCode: project.id }],
      ['project/project_version', { projectFeaturesCode: feature.code }],
      ['project/project_version/read', { versionCode: code }],
      ['project/project_version/_getVersionLog', { versionCode: code }],
      ['project/project_version/_getVersionTask', { versionCode: code }],
      ['project/project_version/edit', { versionCode: code, name: 'Mine' }],
      ['project/project_version/changeStatus', { versionCode: code, status: 1 }],
      ['project/project_version/delete', { versionCode: code }],
      ['project/project_features/delete', { featuresCode: feature.code }],
      [
        'project/project_version/addVersionTask',
        { versionCode: code, taskCodeList: JSON.stringify([tasks[0].id]) },
      ],
      ['project/project_version/removeVersionTask', { taskCode: tasks[0].id }],
    ];
    for (const [route, params] of refused) {
      assertClientCode(await clientCall(app, route, params, as(stranger)), 4041, route);
    }
    assertClientCode(
      await clientCall(app, 'project/project_version/read', { versionCode: 'nope' }, as(member)),
      4041,
      'an unknown version',
    );
    const detail = await read(code);
    assert.deepEqual([detail.name, detail.status], ['1.0', 0]);
    assert.equal((await versionLog(code)).total, 1);
  });
});
