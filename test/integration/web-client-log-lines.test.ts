import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACTIVITY_TYPES } from '@/modules/project/entities';
import { startTestApp, type TestApp } from '../support/app';
import { createChildTask } from '../support/child-tasks';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, createTask } from '../support/projects';
import { clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;
type List = { list: Data[]; total: number; page: number };

/** A word of the English sentences the domain records (three Latin letters or more). */
const ENGLISH = /[A-Za-z]{3,}/;

describe("the original web client's task log lines", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    [owner, member] = await Promise.all([registerMember(app), registerMember(app)]);
  });
  after(() => app?.close());

  const rest = async (method: string, path: string, body?: unknown) => {
    const answer = await call(app, method, `/api/v1${path}`, { token: owner.accessToken, body });
    assert.ok(answer.status < 300, `${method} ${path}: ${JSON.stringify(answer.body)}`);
    return answer.body as Data;
  };

  it('shows every kind of entry as a Chinese line, with what members wrote escaped', async () => {
    const { project, stages } = await board(app, owner, member);
    const name = '<img src=x onerror=alert(1)>设计';
    const task = await createTask(app, owner.accessToken, project.id, stages[0].id, { name });
    await rest('PATCH', `/tasks/${task.id}`, { assigneeId: member.id });
    await rest('PATCH', `/tasks/${task.id}`, { assigneeId: null });
    await rest('POST', `/tasks/${task.id}/move`, { toStageId: stages[1].id });
    await rest('POST', `/tasks/${task.id}/work-times`, { hours: 1.5 });
    await rest('POST', `/tasks/${task.id}/done`);
    await rest('POST', `/tasks/${task.id}/undone`);
    const child = await createChildTask(app, owner.accessToken, task.id);
    await rest('POST', `/tasks/${task.id}/comments`, { content: '看 <b>这里</b> & "那里"' });
    await rest('POST', `/tasks/${task.id}/recycle`);
    await rest('POST', `/tasks/${task.id}/restore`);
    await rest('POST', `/tasks/${child.id}/recycle`);
    await rest('DELETE', `/tasks/${child.id}`);
    const upload = new FormData();
    upload.append('file', new Blob([Buffer.from('hello')]), '笔记.md');
    const uploaded = await fetch(`${app.baseUrl}/api/v1/tasks/${task.id}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: upload,
    });
    assert.ok(uploaded.status < 300, await uploaded.text());

    const auth = { token: owner.accessToken };
    const log = await clientOk<List>(
      app,
      'project/task/taskLog',
      { taskCode: task.id, all: 1, comment: 0, pageSize: 50 },
      auth,
    );
    // The Overview's call (outside the contract's home page call): a page of one project's.
    const overviewAnswer = await clientCall<List>(
      app,
      'project/project/getLogBySelfProject',
      { projectCode: project.id, pageSize: 100 },
      auth,
    );
    assert.equal(overviewAnswer.body.code, 200, JSON.stringify(overviewAnswer.body));
    const overview = overviewAnswer.body.data;
    const lines = [...log.list, ...overview.list];
    const byType = new Map(lines.map((line) => [String(line.type), line]));
    const missing = ACTIVITY_TYPES.filter((type) => type !== 'update' && !byType.has(type));
    assert.deepEqual(missing, [], 'every kind the domain records was made');

    for (const line of log.list) {
      const shown = `${String(line.remark)} ${String(line.content)}`;
      assert.doesNotMatch(shown, /</, `${String(line.type)}: HTML in it is escaped`);
      if (line.is_comment === 0) {
        assert.doesNotMatch(
          // Without the names it quotes (a stage's, a member's, the task's).
          shown
            .replace(/「[^」]*」/g, '')
            .replace(member.input.name, '')
            .replace(/&#\d+;|img src=x onerror=alert\(1\)/g, ''),
          ENGLISH,
          `${String(line.type)}: a Chinese line (${shown})`,
        );
      }
    }
    const line = (type: string, where: Data[] = log.list) =>
      where.find((entry) => entry.type === type);
    assert.deepEqual(
      [line('create')?.remark, line('create')?.content],
      ['创建了任务', '&#60;img src=x onerror=alert(1)&#62;设计'],
    );
    assert.equal(line('move')?.content, `从「${stages[0].name}」移动到「${stages[1].name}」`);
    const assigns = log.list.filter((entry) => entry.type === 'assign');
    assert.deepEqual(
      assigns.map((entry) => [entry.remark, entry.content]).sort(),
      [
        ['指派了任务', `指派给 ${member.input.name}`],
        ['移除了执行者', ''],
      ].sort(),
    );
    assert.equal(line('workTime')?.content, '1.5 小时');
    assert.equal(line('restore')?.content, `恢复到「${stages[1].name}」`);
    assert.equal(line('createChild')?.content, `#${child.number}`);
    assert.equal(line('upload')?.content, '笔记.md');
    assert.deepEqual(
      [line('comment')?.remark, line('comment')?.content],
      ['发表了评论', '看 &#60;b&#62;这里&#60;/b&#62; &#38; &#34;那里&#34;'],
      'the task detail shows a comment as HTML: escaped',
    );
    assert.deepEqual(
      [line('delete', overview.list)?.remark, line('delete', overview.list)?.content],
      ['彻底删除了任务', `#${child.number}`],
    );
    assert.equal(
      line('comment', overview.list)?.content,
      '看 <b>这里</b> & "那里"',
      'the Overview shows a comment as text: as written',
    );
  });

  it('shows no done parent for a child whose private parent the viewer cannot see', async () => {
    const { project, stages } = await board(app, owner, member);
    await rest('PATCH', `/projects/${project.id}`, { openTaskPrivate: true });
    const secret = await createTask(app, owner.accessToken, project.id, stages[0].id);
    await rest('PATCH', `/projects/${project.id}`, { openTaskPrivate: false });
    const child = await createChildTask(app, owner.accessToken, secret.id);
    await rest('POST', `/tasks/${child.id}/done`);
    await rest('POST', `/tasks/${secret.id}/done`);
    const read = (who: RegisteredMember) =>
      clientOk<Data>(app, 'project/task/read', { taskCode: child.id }, { token: who.accessToken });
    assert.equal((await read(owner)).parentDone, 1);
    const seen = await read(member);
    assert.deepEqual(
      [seen.parentDone, (seen.parentTask as Data | null)?.name],
      [0, ''],
      'hidden as its name is',
    );
  });
});
