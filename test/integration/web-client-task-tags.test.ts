import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, createTask } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;
type TagLink = { code: string; tag_code: string; task_code: string; tag: Data };
type List = { list: Data[]; total: number; page: number };

describe("the original web client's task tags", () => {
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

  /** A project with the member in it, two tasks, and a tag made as the tag menu sends it. */
  async function tagMenu() {
    const { project, stages } = await board(app, owner, member);
    const tasks = [
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
    ];
    const tag = await clientOk<Data>(
      app,
      'project/task_tag/save',
      { projectCode: project.id, name: '紧急', color: 'red' },
      as(member),
    );
    return { project, stages, tasks, tag };
  }

  const setTag = (taskCode: unknown, tagCode: unknown, who = member) =>
    clientOk(app, 'project/task/setTag', { taskCode, tagCode }, as(who));
  const taskToTags = (taskCode: unknown, who = member) =>
    clientOk<TagLink[]>(app, 'project/task/taskToTags', { taskCode }, { ...as(who), minItems: 0 });

  it('creates a tag from the menu, toggles it on a task, and the task detail and card show it', async () => {
    const { project, stages, tasks, tag } = await tagMenu();
    assert.deepEqual([tag.name, tag.color, tag.project_code], ['紧急', 'red', project.id]);
    const listed = await clientOk<Data[]>(
      app,
      'project/task_tag',
      { projectCode: project.id },
      as(owner),
    );
    assert.deepEqual(
      listed.map((item) => [item.code, item.name, item.color]),
      [[tag.code, '紧急', 'red']],
    );

    // The menu's click: on, as the menu's check mark reads it (tag_code)...
    await setTag(tasks[0].id, tag.code);
    const links = await taskToTags(tasks[0].id);
    assert.deepEqual(
      links.map((link) => link.tag_code),
      [tag.code],
    );
    const detail = await clientOk<{ tags: TagLink[] }>(
      app,
      'project/task/read',
      { taskCode: tasks[0].id },
      as(member),
    );
    // The detail lists `tags[].tag` (name, colour) and removes one by `tag.code`.
    assert.deepEqual(detail.tags, [
      {
        code: tag.code,
        tag_code: tag.code,
        task_code: tasks[0].id,
        tag: { code: tag.code, name: '紧急', color: 'red' },
      },
    ]);
    const cards = await clientOk<(Data & { task_tag_item_list: Data[] })[]>(
      app,
      'project/task_stages/tasks',
      { stageCode: stages[0].id },
      as(owner),
    );
    const card = cards.find((item) => item.code === tasks[0].id)!;
    assert.deepEqual(card.task_tag_item_list, [{ code: tag.code, name: '紧急', color: 'red' }]);
    const untouched = cards.find((item) => item.code === tasks[1].id)!;
    assert.deepEqual([untouched.tags, untouched.task_tag_item_list], [[], []]);
    // Through /api/v1, the same tag on the same task.
    const rest = await call<{ items: { id: string; name: string }[] }>(
      app,
      'GET',
      `/api/v1/tasks/${tasks[0].id}/tags`,
      as(owner),
    );
    assert.deepEqual(
      rest.body.items.map((item) => item.id),
      [tag.code],
    );

    // ...and off again: the same call.
    await setTag(tasks[0].id, tag.code);
    assert.deepEqual(await taskToTags(tasks[0].id), []);
  });

  it('edits and deletes a tag as the menu does; a deleted tag is off its tasks', async () => {
    const { project, tasks, tag } = await tagMenu();
    await setTag(tasks[0].id, tag.code);
    await clientOk(
      app,
      'project/task_tag/edit',
      { name: '很紧急', color: 'purple', tagCode: tag.code },
      as(owner),
    );
    const [edited] = await taskToTags(tasks[0].id);
    assert.deepEqual(edited.tag, { code: tag.code, name: '很紧急', color: 'purple' });
    await clientOk(app, 'project/task_tag/delete', { tagCode: tag.code }, as(member));
    assert.deepEqual(await taskToTags(tasks[0].id), []);
    assert.deepEqual(
      await clientOk(
        app,
        'project/task_tag',
        { projectCode: project.id },
        { ...as(member), minItems: 0 },
      ),
      [],
    );
  });

  it("lists a tag's tasks a page at a time, as the tag list's tabs read them", async () => {
    const { project, tasks, tag } = await tagMenu();
    const other = await clientOk<Data>(
      app,
      'project/task_tag/save',
      { projectCode: project.id, name: '文档', color: 'green' },
      as(owner),
    );
    await setTag(tasks[0].id, tag.code);
    await setTag(tasks[1].id, tag.code);
    await setTag(tasks[1].id, other.code);
    const page = await clientOk<List>(
      app,
      'project/task/getListByTaskTag',
      { taskTagCode: tag.code },
      as(member),
    );
    assert.deepEqual(
      [page.total, page.page, page.list.map((item) => item.code)],
      [2, 1, [tasks[1].id, tasks[0].id]],
    );
    const newest = page.list[0] as { tags: TagLink[] };
    assert.deepEqual(
      newest.tags.map((link) => [link.tag.name, link.tag.color]),
      [
        ['紧急', 'red'],
        ['文档', 'green'],
      ],
    );
    const second = await clientCall<List>(
      app,
      'project/task/getListByTaskTag',
      { taskTagCode: tag.code, page: 2, pageSize: 1 },
      as(member),
    );
    assert.deepEqual(
      second.body.data.list.map((item) => item.code),
      [tasks[0].id],
    );
  });

  it('refuses a bad name or colour naming the field, and a name taken in the project', async () => {
    const { project, tag } = await tagMenu();
    for (const [params, field] of [
      [{ projectCode: project.id, name: '', color: 'red' }, 'name'],
      [{ projectCode: project.id, name: '标'.repeat(31), color: 'red' }, 'name'],
      [{ projectCode: project.id, name: '新', color: 'pink' }, 'color'],
    ] as const) {
      const bad = await clientCall(app, 'project/task_tag/save', params, as(member));
      assertClientCode(bad, 400, JSON.stringify(params));
      assert.match(bad.body.msg, new RegExp(field));
    }
    const taken = await clientCall(
      app,
      'project/task_tag/save',
      { projectCode: project.id, name: '紧急', color: 'blue' },
      as(member),
    );
    assertClientCode(taken, 409, 'a second tag of the same name');
    const badEdit = await clientCall(
      app,
      'project/task_tag/edit',
      { name: '', color: 'red', tagCode: tag.code },
      as(member),
    );
    assertClientCode(badEdit, 400, 'an empty name');
    const listed = await clientOk<Data[]>(
      app,
      'project/task_tag',
      { projectCode: project.id },
      as(member),
    );
    assert.deepEqual(
      listed.map((item) => item.name),
      ['紧急'],
    );
  });

  it('answers 4041 to strangers, for unknown codes and for a tag of another project', async () => {
    const { project, tasks, tag } = await tagMenu();
    const elsewhere = await tagMenu();
    const routes: [string, Data][] = [
      ['project/task_tag', { projectCode: project.id }],
      ['project/task_tag/save', { projectCode: project.id, name: '外人', color: 'red' }],
      ['project/task_tag/edit', { name: '外人', color: 'red', tagCode: tag.code }],
      ['project/task_tag/delete', { tagCode: tag.code }],
      ['project/task/setTag', { taskCode: tasks[0].id, tagCode: tag.code }],
      ['project/task/taskToTags', { taskCode: tasks[0].id }],
      ['project/task/getListByTaskTag', { taskTagCode: tag.code }],
    ];
    for (const [route, params] of routes) {
      assertClientCode(await clientCall(app, route, params, as(stranger)), 4041, route);
    }
    assertClientCode(
      await clientCall(app, 'project/task_tag/delete', { tagCode: 'no-such-tag' }, as(member)),
      4041,
      'an unknown tag code',
    );
    assertClientCode(
      await clientCall(
        app,
        'project/task/setTag',
        { taskCode: tasks[0].id, tagCode: elsewhere.tag.code },
        as(owner),
      ),
      4041,
      "another project's tag",
    );
    const garbled = await clientCall(
      app,
      'project/task/setTag',
      { taskCode: tasks[0].id, tagCode: 'no-such-tag' },
      as(owner),
    );
    assertClientCode(garbled, 400, 'a tag code that is no code');
    assert.match(garbled.body.msg, /tagCode/);
    assert.deepEqual(await taskToTags(tasks[0].id), []);
    // Nothing the stranger sent changed the tag.
    const listed = await clientOk<Data[]>(
      app,
      'project/task_tag',
      { projectCode: project.id },
      as(member),
    );
    assert.deepEqual(
      listed.map((item) => item.name),
      ['紧急'],
    );
  });
});
