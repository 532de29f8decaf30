import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { chunksOf, download, patternedBytes } from '../support/files';
import { addAccount, personalOrganization } from '../support/organizations';
import { createProject, systemTemplate } from '../support/projects';
import {
  assertClientCode,
  assertReads,
  clientCall,
  clientOk,
  clientParams,
  CONTRACT,
  type Envelope,
} from '../support/web-client';

type Data = Record<string, unknown>;
type List = { list: Data[]; total: number; page: number };

describe("the original web client's board: stages, task changes, the bin, project members", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let colleague: RegisteredMember;
  let projectCode = '';
  const asOwner = () => ({ token: owner.accessToken });

  /** The project's stage names in board order, as /api/v1 answers. */
  async function restStages(): Promise<{ id: string; name: string }[]> {
    const stages = await call<{ items: { id: string; name: string }[] }>(
      app,
      'GET',
      `/api/v1/projects/${projectCode}/stages?pageSize=100`,
      { token: owner.accessToken },
    );
    assert.equal(stages.status, 200);
    return stages.body.items;
  }

  async function restTask(taskCode: string) {
    return call<{ name: string; done: boolean; priority: number; endAt: string | null }>(
      app,
      'GET',
      `/api/v1/tasks/${taskCode}`,
      { token: owner.accessToken },
    );
  }

  before(async () => {
    app = await startTestApp();
    owner = await registerMember(app);
    colleague = await registerMember(app);
    projectCode = (await createProject(app, owner.accessToken)).id;
  });
  after(() => app?.close());

  it('adds, renames, reorders and deletes stages, as /api/v1 then shows them', async () => {
    const before = (await restStages()).map((stage) => stage.id);
    const made: Data[] = [];
    for (const name of ['Todo', 'Doing', 'Done']) {
      made.push(await clientOk(app, 'project/task_stages/save', { name, projectCode }, asOwner()));
    }
    const [todo, doing, done] = made.map((stage) => String(stage.code));
    const all = await clientOk<Data[]>(
      app,
      'project/task_stages/_getAll',
      { projectCode },
      asOwner(),
    );
    assert.deepEqual(
      all.map((stage) => stage.code),
      [...before, todo, doing, done],
    );
    await clientOk(
      app,
      'project/task_stages/edit',
      { name: 'In progress', stageCode: doing },
      asOwner(),
    );
    assert.equal((await restStages()).find((stage) => stage.id === doing)!.name, 'In progress');

    // Dragged in front of Todo, then to the end again.
    await clientOk(
      app,
      'project/task_stages/sort',
      { preCode: done, nextCode: todo, projectCode },
      asOwner(),
    );
    assert.deepEqual(
      (await restStages()).map((stage) => stage.id),
      [...before, done, todo, doing],
    );
    await clientOk(
      app,
      'project/task_stages/sort',
      { preCode: done, nextCode: '', projectCode },
      asOwner(),
    );
    assert.deepEqual(
      (await restStages()).map((stage) => stage.id),
      [...before, todo, doing, done],
    );

    await clientOk(app, 'project/task_stages/delete', { code: doing }, asOwner());
    assert.deepEqual(
      (await restStages()).map((stage) => stage.id),
      [...before, todo, done],
    );
  });

  it('keeps stage changes to the owner and a stage with tasks in place', async () => {
    const added = await clientOk(
      app,
      'project/project_member/inviteMember',
      { memberCode: colleague.id, projectCode },
      asOwner(),
    );
    assert.ok(added);
    const [first] = await restStages();
    const refused = await clientCall(
      app,
      'project/task_stages/sort',
      clientParams('project/task_stages/sort', { preCode: first.id, nextCode: '', projectCode }),
      { token: colleague.accessToken },
    );
    assertClientCode(refused, 403, 'a member does not reorder the board');
    await clientOk(
      app,
      'project/task/save',
      { name: 'Keeps its stage', stage_code: first.id, project_code: projectCode, assign_to: '' },
      asOwner(),
    );
    const busy = await clientCall(app, 'project/task_stages/delete', { code: first.id }, asOwner());
    assertClientCode(busy, 409, 'a stage with tasks');
    assert.ok((await restStages()).some((stage) => stage.id === first.id));
  });

  it('marks a task done and not done, and changes the fields the detail edits one at a time', async () => {
    const [stage] = await restStages();
    const task = await clientOk<Data>(
      app,
      'project/task/save',
      { name: 'Write it', stage_code: stage.id, project_code: projectCode, assign_to: '' },
      asOwner(),
    );
    const taskCode = String(task.code);
    const doneTask = await clientOk<Data>(
      app,
      'project/task/taskDone',
      { taskCode, done: 1 },
      asOwner(),
    );
    assert.equal(doneTask.done, 1);
    assert.equal((await restTask(taskCode)).body.done, true);
    await clientOk(app, 'project/task/taskDone', { taskCode, done: 0 }, asOwner());
    assert.equal((await restTask(taskCode)).body.done, false);

    const only = { ...asOwner(), only: true };
    await clientOk(app, 'project/task/edit', { name: 'Write it well', taskCode }, only);
    await clientOk(app, 'project/task/edit', { pri: 2, taskCode }, only);
    const edited = await clientOk<Data>(
      app,
      'project/task/edit',
      { end_time: '2024-06-01 18:00', taskCode },
      only,
    );
    assert.equal(edited.end_time, '2024-06-01 18:00:00');
    let rest = await restTask(taskCode);
    assert.deepEqual(
      [rest.body.name, rest.body.priority, rest.body.endAt],
      ['Write it well', 2, '2024-06-01T10:00:00.000Z'],
    );
    await clientOk(app, 'project/task/edit', { end_time: '', taskCode }, only);
    rest = await restTask(taskCode);
    assert.equal(rest.body.endAt, null, 'an empty time clears it');

    const bad = await clientCall(
      app,
      'project/task/edit',
      { begin_time: 'tomorrow', taskCode },
      asOwner(),
    );
    assertClientCode(bad, 400, 'a time that is none');
    assert.match(bad.body.msg, /^begin_time: /);
    const stranger = await registerMember(app);
    assertClientCode(
      await clientCall(
        app,
        'project/task/edit',
        { begin_time: 'tomorrow', taskCode },
        { token: stranger.accessToken },
      ),
      4041,
      'not found before any bad field',
    );
  });

  it('recycles, restores and deletes a task for good', async () => {
    const [stage] = await restStages();
    const task = await clientOk<Data>(
      app,
      'project/task/save',
      { name: 'Throw away', stage_code: stage.id, project_code: projectCode, assign_to: '' },
      asOwner(),
    );
    const taskCode = String(task.code);
    await clientOk(app, 'project/task/recycle', { taskCode }, asOwner());
    const bin = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      `/api/v1/projects/${projectCode}/recycled-tasks`,
      { token: owner.accessToken },
    );
    assert.ok(bin.body.items.some((item) => item.id === taskCode));
    await clientOk(app, 'project/task/recovery', { taskCode }, asOwner());
    const restored = await call<{ deleted: boolean }>(app, 'GET', `/api/v1/tasks/${taskCode}`, {
      token: owner.accessToken,
    });
    assert.equal(restored.body.deleted, false);
    assertClientCode(
      await clientCall(app, 'project/task/delete', { taskCode }, asOwner()),
      409,
      'only a recycled task is deleted for good',
    );
    await clientOk(app, 'project/task/recycle', { taskCode }, asOwner());
    await clientOk(app, 'project/task/delete', { taskCode }, asOwner());
    assert.equal((await restTask(taskCode)).status, 404);
  });

  it('adds and removes project members, never the owner', async () => {
    const other = await registerMember(app);
    await clientOk(
      app,
      'project/project_member/inviteMember',
      { memberCode: other.id, projectCode },
      asOwner(),
    );
    const members = async () =>
      (
        await clientOk<List>(
          app,
          'project/project_member/index',
          { projectCode, pageSize: 100 },
          asOwner(),
        )
      ).list.map((member) => member.code);
    assert.ok((await members()).includes(other.id));
    const notified = await call<{ items: { kind: string }[] }>(
      app,
      'GET',
      '/api/v1/me/notifications',
      { token: other.accessToken },
    );
    assert.ok(notified.body.items.some((item) => item.kind === 'addedToProject'));
    await clientOk(
      app,
      'project/project_member/removeMember',
      { memberCode: other.id, projectCode },
      asOwner(),
    );
    assert.ok(!(await members()).includes(other.id));
    const rest = await call<{ items: { member: { id: string } }[] }>(
      app,
      'GET',
      `/api/v1/projects/${projectCode}/members`,
      { token: owner.accessToken },
    );
    assert.ok(rest.body.items.every((item) => item.member.id !== other.id));
    const ownerOut = await clientCall(
      app,
      'project/project_member/removeMember',
      { memberCode: owner.id, projectCode },
      asOwner(),
    );
    assertClientCode(ownerOut, 409, 'the owner stays');
  });

  it("uploads a file in chunks as the client's uploader sends them, and lists it as the task's source", async () => {
    const [stage] = await restStages();
    const task = await clientOk<Data>(
      app,
      'project/task/save',
      { name: 'With a file', stage_code: stage.id, project_code: projectCode, assign_to: '' },
      asOwner(),
    );
    const taskCode = String(task.code);
    const bytes = patternedBytes(2500);
    const organizationCode = (
      await call<{ id: string }[]>(app, 'GET', '/api/v1/organizations', {
        token: owner.accessToken,
      })
    ).body[0].id;
    const answers: Envelope<Data>[] = [];
    for (const chunk of chunksOf(bytes, 'notes 1.txt', 1024)) {
      // simple-uploader's fields, then the client's query, then the file part last.
      const values: Record<string, string | number> = {
        ...chunk.fields,
        projectCode,
        taskCode,
        projectName: 'whatever the client kept',
      };
      const data = new FormData();
      for (const name of CONTRACT.routes['project/file/uploadFiles'].params) {
        if (name !== 'file') data.append(name, String(values[name]));
      }
      data.append('file', new Blob([new Uint8Array(chunk.bytes)]), 'notes 1.txt');
      const response = await fetch(`${app.baseUrl}/project/file/uploadFiles`, {
        method: 'POST',
        headers: {
          authorization: `bearer ${owner.accessToken}`,
          organizationcode: organizationCode,
        },
        body: data,
      });
      assert.equal(response.status, 200);
      answers.push((await response.json()) as Envelope<Data>);
    }
    assert.equal(answers.length, 2, 'two chunks');
    for (const answer of answers) assert.deepEqual([answer.code, answer.msg], [200, '']);
    assert.equal(answers[0].data.url, '', 'not yet complete');
    const last = answers[1].data;
    assertReads('project/file/uploadFiles', last);
    assert.equal(last.file, 'notes 1.txt');
    const project = await call<{ name: string }>(app, 'GET', `/api/v1/projects/${projectCode}`, {
      token: owner.accessToken,
    });
    assert.equal(last.projectName, project.body.name);
    const stored = await download(app, owner.accessToken, String(last.key));
    assert.equal(stored.status, 200);
    assert.ok(stored.bytes.equals(bytes), 'the bytes, whole and in order');

    const sources = await clientOk<Data[]>(
      app,
      'project/task/taskSources',
      { taskCode },
      asOwner(),
    );
    assert.deepEqual(
      sources.map((source) => [source.code, source.title]),
      [[last.key, 'notes 1.txt']],
    );
    // Both links open the file in a browser, which sends no bearer header.
    for (const link of [String((sources[0].sourceDetail as Data).file_url), String(last.url)]) {
      assert.match(link, new RegExp(`^/api/v1/files/${String(last.key)}/content\\?.*signature=`));
      const followed = await fetch(`${app.baseUrl}${link}`);
      assert.equal(followed.status, 200, link);
      assert.ok(Buffer.from(await followed.arrayBuffer()).equals(bytes));
    }
    const bare = await fetch(`${app.baseUrl}/api/v1/files/${String(last.key)}/content`);
    assert.equal(bare.status, 401, 'without the link, the bearer header is needed');

    // Behind a proxy that serves msproject under /gateway and strips it, the links carry it.
    await reconfigure(app, { webClient: { linkBase: '/gateway' } });
    try {
      const behindProxy = await clientOk<Data[]>(
        app,
        'project/task/taskSources',
        { taskCode },
        asOwner(),
      );
      const link = String((behindProxy[0].sourceDetail as Data).file_url);
      assert.match(link, new RegExp(`^/gateway/api/v1/files/${String(last.key)}/content\\?`));
      const stripped = await fetch(`${app.baseUrl}${link.slice('/gateway'.length)}`);
      assert.equal(stripped.status, 200, 'the proxy strips /gateway and the link opens the file');
    } finally {
      await reconfigure(app, { webClient: { linkBase: '' } });
    }
    const log = await clientOk<{ list: Data[] }>(
      app,
      'project/task/taskLog',
      { taskCode, all: 1, comment: 0, pageSize: 20 },
      asOwner(),
    );
    const upload = log.list.find((entry) => entry.type === 'upload');
    assert.deepEqual(
      [upload?.remark, upload?.icon],
      ['上传了文件', 'link'],
      'the upload reads as one in the task log',
    );

    const stranger = await registerMember(app);
    const refused = await fetch(`${app.baseUrl}/project/file/uploadFiles`, {
      method: 'POST',
      headers: { authorization: `bearer ${stranger.accessToken}` },
      body: (() => {
        const data = new FormData();
        const [chunk] = chunksOf(patternedBytes(10), 'x.txt', 1024);
        for (const [name, value] of Object.entries({ ...chunk.fields, taskCode })) {
          data.append(name, String(value));
        }
        data.append('file', new Blob([new Uint8Array(chunk.bytes)]), 'x.txt');
        return data;
      })(),
    });
    assert.equal(((await refused.json()) as Envelope).code, 4041, "another's task");
    assert.equal((await restFiles(taskCode)).length, 1, 'nothing stored for the stranger');
  });

  it('documents the upload route as multipart/form-data, its fields and the file part', async () => {
    const document = (await (await fetch(`${app.baseUrl}/docs-json`)).json()) as {
      paths: Record<
        string,
        { post: { requestBody: { content: Record<string, { schema: Data }> } } }
      >;
    };
    const content = document.paths['/project/file/uploadFiles'].post.requestBody.content;
    assert.deepEqual(Object.keys(content), ['multipart/form-data']);
    const properties = content['multipart/form-data'].schema.properties as Record<string, Data>;
    for (const name of CONTRACT.routes['project/file/uploadFiles'].params) {
      assert.ok(properties[name], `documents ${name}`);
    }
    assert.equal(properties.file.format, 'binary');
    const save = document.paths['/project/task/taskSources'].post.requestBody.content;
    assert.deepEqual(Object.keys(save), ['application/x-www-form-urlencoded']);
  });

  it('saves the settings dialog unchanged: the default cover it was shown is sent back as none', async () => {
    const project = await createProject(app, owner.accessToken, { name: 'Cover echo' });
    const code = project.id;
    const shown = await clientOk<Data>(
      app,
      'project/project/read',
      { projectCode: code },
      asOwner(),
    );
    assert.match(String(shown.cover), /^data:image\/svg\+xml,/, 'a picture for no cover');
    const echo = {
      projectCode: code,
      name: shown.name,
      description: shown.description,
      cover: shown.cover,
      private: shown.private,
      prefix: shown.prefix,
      task_board_theme: shown.task_board_theme,
      open_prefix: shown.open_prefix,
      open_begin_time: shown.open_begin_time,
      open_task_private: shown.open_task_private,
      schedule: shown.schedule,
      auto_update_schedule: shown.auto_update_schedule,
    };
    const saved = await clientOk<Data>(app, 'project/project/edit', echo, asOwner());
    assert.equal(saved.cover, shown.cover);
    const rest = await call<Data>(app, 'GET', `/api/v1/projects/${code}`, {
      token: owner.accessToken,
    });
    assert.equal(rest.body.cover, null, 'stored as no cover, never the picture');
    // A cover that is set is cleared by '' and by the default picture alike.
    const picture = 'https://example.test/cover.png';
    await clientOk(app, 'project/project/edit', { ...echo, cover: picture }, asOwner());
    assert.equal(
      (await clientOk<Data>(app, 'project/project/read', { projectCode: code }, asOwner())).cover,
      picture,
    );
    await clientOk(app, 'project/project/edit', { ...echo, cover: shown.cover }, asOwner());
    const cleared = await call<Data>(app, 'GET', `/api/v1/projects/${code}`, {
      token: owner.accessToken,
    });
    assert.equal(cleared.body.cover, null);
  });

  it('keeps the project settings the client edits; the schedule follows the tasks when asked', async () => {
    const template = await systemTemplate(app, owner.accessToken);
    const project = await createProject(app, owner.accessToken, { templateId: template.id });
    const code = project.id;
    const read = () =>
      clientOk<Data>(app, 'project/project/read', { projectCode: code }, asOwner());
    const fresh = await read();
    assert.deepEqual(
      [
        fresh.private,
        fresh.prefix,
        fresh.open_prefix,
        fresh.open_begin_time,
        fresh.auto_update_schedule,
      ],
      [1, '', 0, 0, 0],
    );
    const edited = await clientOk<Data>(
      app,
      'project/project/edit',
      // Every field, as the settings dialog saves them.
      {
        projectCode: code,
        name: project.name,
        description: '',
        cover: '',
        private: 0,
        prefix: 'EP',
        task_board_theme: 'simple',
        open_prefix: 1,
        open_begin_time: 1,
        open_task_private: 0,
        schedule: 30,
        auto_update_schedule: 1,
      },
      asOwner(),
    );
    const settings = (data: Data) => [
      data.private,
      data.prefix,
      data.open_prefix,
      data.open_begin_time,
      data.auto_update_schedule,
    ];
    assert.deepEqual(settings(edited), [0, 'EP', 1, 1, 1]);
    assert.deepEqual(settings(await read()), [0, 'EP', 1, 1, 1]);
    assert.equal(edited.schedule, 0, 'no tasks yet');
    const rest = await call<Data>(app, 'GET', `/api/v1/projects/${code}`, {
      token: owner.accessToken,
    });
    assert.deepEqual(
      [rest.body.private, rest.body.prefix, rest.body.openPrefix, rest.body.openBeginTime],
      [false, 'EP', true, true],
    );

    const stages = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      `/api/v1/projects/${code}/stages`,
      { token: owner.accessToken },
    );
    const taskCodes: string[] = [];
    for (const name of ['one', 'two', 'three', 'four']) {
      const task = await clientOk<Data>(
        app,
        'project/task/save',
        { name, stage_code: stages.body.items[0].id, project_code: code, assign_to: '' },
        asOwner(),
      );
      taskCodes.push(String(task.code));
    }
    await clientOk(app, 'project/task/taskDone', { taskCode: taskCodes[0], done: 1 }, asOwner());
    assert.equal((await read()).schedule, 25, 'one of four done');
    await clientOk(app, 'project/task/recycle', { taskCode: taskCodes[3] }, asOwner());
    assert.equal((await read()).schedule, 33, 'one of three: the recycled task counts no more');
    const listed = await clientOk<List>(
      app,
      'project/project',
      { selectBy: 'my', page: 1, pageSize: 100 },
      asOwner(),
    );
    assert.equal(listed.list.find((item) => item.code === code)?.schedule, 33);

    await clientOk(
      app,
      'project/project/edit',
      { projectCode: code, auto_update_schedule: 0, prefix: '', open_prefix: 0 },
      { ...asOwner(), only: true },
    );
    const manual = await read();
    assert.deepEqual([manual.schedule, manual.prefix, manual.open_prefix], [30, '', 0]);
    for (const prefix of ['E', 'E1', 'TOOLONGX']) {
      assertClientCode(
        await clientCall(app, 'project/project/edit', { projectCode: code, prefix }, asOwner()),
        400,
        `prefix ${prefix}`,
      );
    }
    assert.equal((await read()).prefix, '', 'nothing changed');
  });

  it('keeps a comment on a private task that mentions a member who cannot see it, without telling them', async () => {
    const template = await systemTemplate(app, owner.accessToken);
    const project = await createProject(app, owner.accessToken, { templateId: template.id });
    const added = await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
      token: owner.accessToken,
      body: { memberId: colleague.id },
    });
    assert.equal(added.status, 201);
    await clientOk(
      app,
      'project/project/edit',
      { projectCode: project.id, open_task_private: 1 },
      { ...asOwner(), only: true },
    );
    const stages = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      `/api/v1/projects/${project.id}/stages`,
      { token: owner.accessToken },
    );
    const task = await clientOk<Data>(
      app,
      'project/task/save',
      {
        name: 'Hidden',
        stage_code: stages.body.items[0].id,
        project_code: project.id,
        assign_to: '',
      },
      asOwner(),
    );
    const taskCode = String(task.code);
    const hidden = await call(app, 'GET', `/api/v1/tasks/${taskCode}`, {
      token: colleague.accessToken,
    });
    assert.equal(hidden.status, 404, 'the colleague cannot see the private task');
    const comment = `@${colleague.input.name} have a look`;
    await clientOk(
      app,
      'project/task/createComment',
      { taskCode, comment, mentions: JSON.stringify([colleague.input.name]) },
      asOwner(),
    );
    const log = await clientOk<List>(
      app,
      'project/task/taskLog',
      { taskCode, all: 0, pageSize: 5, comment: 1 },
      asOwner(),
    );
    assert.deepEqual(
      log.list.map((entry) => entry.content),
      [comment],
      'the comment is kept',
    );
    const told = await call<{ items: { kind: string; taskId: string | null }[] }>(
      app,
      'GET',
      '/api/v1/me/notifications',
      { token: colleague.accessToken },
    );
    assert.deepEqual(
      told.body.items.filter((item) => item.kind === 'mentioned' && item.taskId === taskCode),
      [],
      'not told about a task hidden from them',
    );
  });

  it("offers the organization's accounts to invite, marking the project's members; no child tasks", async () => {
    const organizationCode = await personalOrganization(app, owner.accessToken);
    const outsider = await registerMember(app);
    await addAccount(app, organizationCode, colleague.id);
    await addAccount(app, organizationCode, outsider.id);
    const offered = await clientOk<Data[]>(
      app,
      'project/project_member/_listForInvite',
      { projectCode },
      { ...asOwner(), organizationCode },
    );
    const joinedOf = (id: string) => offered.find((row) => row.memberCode === id)?.joined;
    assert.deepEqual(
      [joinedOf(owner.id), joinedOf(colleague.id), joinedOf(outsider.id)],
      [true, true, false],
    );
    const searched = await clientOk<Data[]>(
      app,
      'project/project_member/searchInviteMember',
      { keyword: outsider.input.name, projectCode },
      { ...asOwner(), organizationCode },
    );
    assert.deepEqual(
      searched.map((row) => [row.memberCode, row.joined]),
      [[outsider.id, false]],
      'the search finds the one account named so, not yet a member',
    );

    const [stage] = await restStages();
    const task = await clientOk<Data>(
      app,
      'project/task/save',
      { name: 'A parent', stage_code: stage.id, project_code: projectCode, assign_to: '' },
      asOwner(),
    );
    const children = await clientOk<List>(
      app,
      'project/task',
      { pcode: task.code, pageSize: 100, deleted: 0 },
      { ...asOwner(), minItems: 0 },
    );
    assert.deepEqual([children.list, children.total], [[], 0]);
    assertClientCode(
      await clientCall(
        app,
        'project/task',
        { pcode: task.code, pageSize: 100, deleted: 0 },
        { token: outsider.accessToken },
      ),
      4041,
      'a task the caller does not see',
    );
  });

  async function restFiles(taskCode: string) {
    const files = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      `/api/v1/tasks/${taskCode}/files`,
      { token: owner.accessToken },
    );
    return files.body.items;
  }
});
