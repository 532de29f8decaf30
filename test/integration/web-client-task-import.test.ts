import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { decodeId, encodeId } from '@/common/public-id';
import { DOWNLOAD_PASS_COOKIE, DOWNLOAD_PASS_PURPOSE } from '@/modules/user/auth/download-passes';
import { SignedLinks } from '@/modules/user/auth/signed-links';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, projectGrpcClients, sql, type StageBody } from '../support/projects';
import { filledSheet, sheetRows, TASK_HEADERS, uploadForm } from '../support/spreadsheets';
import { clientCall, clientLogIn, cookiePair } from '../support/web-client';

type Envelope = { code: number; msg: string; data: unknown };

interface TaskRow {
  name: string;
  priority: number;
  description: string | null;
  parentName: string | null;
  stageId: number;
  assigneeId: number | null;
  path: string;
  parentId: number | null;
}

describe("the original web client's task import from a spreadsheet", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;

  before(async () => {
    // Behind a trusted proxy, so that X-Forwarded-Proto can say a request came over https.
    app = await startTestApp({ config: { server: { trustProxy: true } } });
    [owner, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
  });
  after(() => app?.close());

  /** POST project/task/uploadFile as the board's uploader sends it: projectCode, then the file. */
  async function importSheet(projectCode: string, bytes: Buffer, who = owner): Promise<Envelope> {
    const response = await fetch(`${app.baseUrl}/project/task/uploadFile`, {
      method: 'POST',
      headers: { authorization: `bearer ${who.accessToken}` },
      body: uploadForm({ projectCode }, bytes),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as Envelope;
  }

  async function tasksOf(projectId: string): Promise<TaskRow[]> {
    return sql<TaskRow>(
      app,
      `SELECT t.name, t.priority, t.description, p.name AS parentName, t.stageId, t.assigneeId,
              t.path, t.parentId
         FROM task t LEFT JOIN task p ON p.id = t.parentId
        WHERE t.projectId = ? ORDER BY t.id`,
      [decodeId(projectId, 'project')],
    );
  }

  async function newBoard(): Promise<{ projectId: string; stages: StageBody[] }> {
    const { project, stages } = await board(app, owner, member);
    return { projectId: project.id, stages };
  }

  it('downloads the template with the bearer header: the notes, then the columns', async () => {
    const response = await fetch(`${app.baseUrl}/project/task/_downloadTemplate`, {
      headers: { authorization: `bearer ${owner.accessToken}` },
    });
    assert.equal(response.status, 200);
    assert.equal(
      response.headers.get('content-type'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    assert.match(
      response.headers.get('content-disposition') ?? '',
      /^attachment; .*filename\*=UTF-8''/,
    );
    const rows = await sheetRows(Buffer.from(await response.arrayBuffer()));
    assert.deepEqual(rows[1], TASK_HEADERS);
    const anonymous = await fetch(`${app.baseUrl}/project/task/_downloadTemplate`);
    assert.equal(anonymous.status, 401);
  });

  /** GET the task template with only `cookie`, as the page's plain link sends it. */
  const downloadWith = (cookie: string) =>
    fetch(`${app.baseUrl}/project/task/_downloadTemplate`, { headers: { cookie } });

  it("downloads the template with only the download-pass cookie the client's login sets", async () => {
    const { setCookie } = await clientLogIn(app, member.input);
    const line = setCookie.find((cookie) => cookie.startsWith(`${DOWNLOAD_PASS_COOKIE}=`)) ?? '';
    const attributes = line.split(';').map((part) => part.trim());
    for (const expected of ['Path=/', 'HttpOnly', 'SameSite=Lax']) {
      assert.ok(attributes.includes(expected), `${expected} in ${attributes.slice(1).join('; ')}`);
    }
    assert.ok(!attributes.includes('Secure'), 'not Secure over plain http');
    const maxAge = Number(attributes.find((part) => part.startsWith('Max-Age='))?.slice(8));
    const accessExp = (app.center.config.jwt as { accessExp: number }).accessExp;
    assert.ok(maxAge > accessExp - 60 && maxAge <= accessExp, `Max-Age ${maxAge}`);
    const pass = cookiePair(setCookie, DOWNLOAD_PASS_COOKIE);
    const response = await downloadWith(`theme=dark; ${pass}`);
    assert.equal(response.status, 200);
    assert.equal(
      response.headers.get('content-type'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    assert.deepEqual((await sheetRows(Buffer.from(await response.arrayBuffer())))[1], TASK_HEADERS);
    assert.equal((await downloadWith('theme=dark')).status, 401);
    assert.ok(!app.logs.text.includes(pass.split('signature=')[1]), 'the pass reached the log');
  });

  it('marks the download pass Secure when the request came over https', async () => {
    const { setCookie } = await clientLogIn(app, member.input, { 'x-forwarded-proto': 'https' });
    const line = setCookie.find((cookie) => cookie.startsWith(`${DOWNLOAD_PASS_COOKIE}=`)) ?? '';
    assert.ok(
      line.split(';').some((part) => part.trim() === 'Secure'),
      line.split('=')[0],
    );
  });

  it('authenticates nothing but the downloads with the download pass', async () => {
    const { setCookie } = await clientLogIn(app, member.input);
    const cookie = cookiePair(setCookie, DOWNLOAD_PASS_COOKIE);
    const menu = await clientCall(app, 'project/index', {}, { headers: { cookie } });
    assert.deepEqual([menu.status, menu.body.code], [200, 401]);
    const me = await fetch(`${app.baseUrl}/api/v1/me`, { headers: { cookie } });
    assert.equal(me.status, 401);
  });

  it('refuses a tampered, expired or logged-out download pass, and renews it with the token', async () => {
    const { tokens, setCookie } = await clientLogIn(app, member.input);
    const pass = cookiePair(setCookie, DOWNLOAD_PASS_COOKIE);
    const fields = new URLSearchParams(pass.slice(DOWNLOAD_PASS_COOKIE.length + 1));
    const tampered = new URLSearchParams(fields);
    tampered.set('expires', String(Number(fields.get('expires')) + 3600));
    assert.equal((await downloadWith(`${DOWNLOAD_PASS_COOKIE}=${tampered}`)).status, 401);
    const past = app.app
      .get(SignedLinks)
      .signUntil(
        DOWNLOAD_PASS_PURPOSE,
        fields.get('session')!,
        decodeId(member.id, 'member'),
        Math.floor(Date.now() / 1000) - 1,
      );
    const expired = `${DOWNLOAD_PASS_COOKIE}=session=${fields.get('session')}&${past.query}`;
    assert.equal((await downloadWith(expired)).status, 401);

    const renewed = await clientCall(app, 'index/index/refreshAccessToken', {
      refreshToken: tokens.refreshToken,
    });
    assert.equal(renewed.body.code, 200);
    const renewedPass = cookiePair(renewed.headers.getSetCookie(), DOWNLOAD_PASS_COOKIE);
    assert.equal((await downloadWith(renewedPass)).status, 200);

    const out = await clientCall(app, 'project/login/_out', {}, { token: tokens.accessToken });
    assert.equal(out.body.code, 200);
    assert.equal(
      cookiePair(out.headers.getSetCookie(), DOWNLOAD_PASS_COOKIE),
      `${DOWNLOAD_PASS_COOKIE}=`,
    );
    assert.ok(out.headers.getSetCookie()[0].includes('Max-Age=0'));
    assert.equal((await downloadWith(pass)).status, 401);
    assert.equal((await downloadWith(renewedPass)).status, 401);
  });

  it('creates a task per row: stage, assignee by name or account, dates, priority, child tasks', async () => {
    const { projectId, stages } = await newBoard();
    const sheet = await filledSheet(TASK_HEADERS, [
      [
        'Write the spec',
        '',
        stages[0].name,
        member.input.name,
        '2024-04-10 12:00',
        '2024-04-12 18:30',
        'The first draft',
        '紧急',
        'IOS;Android',
      ],
      ['Review the spec', 'Write the spec', '', member.input.account, '', '', '', '非常紧急', ''],
      [],
      ['Ship it', '', stages[1].name, '', '', '', '', '普通', ''],
    ]);
    const answer = await importSheet(projectId, sheet);
    assert.deepEqual([answer.code, answer.msg, answer.data], [200, '', 3]);
    const rows = await tasksOf(projectId);
    const memberId = decodeId(member.id, 'member');
    assert.deepEqual(
      rows.map((row) => [row.name, row.priority, row.parentName, row.assigneeId]),
      [
        ['Write the spec', 1, null, memberId],
        ['Review the spec', 2, 'Write the spec', memberId],
        ['Ship it', 0, null, null],
      ],
    );
    assert.equal(rows[0].description, 'The first draft');
    assert.equal(rows[1].stageId, decodeId(stages[0].id, 'stage'));
    assert.deepEqual([rows[0].path, rows[1].path], ['/', `/${rows[1].parentId}/`]);
    assert.equal(rows[2].stageId, decodeId(stages[1].id, 'stage'));
    // The dates are the client's zone's wall clock (webClient.timeZone, Asia/Shanghai).
    const [first] = (
      await sql<{ id: number }>(app, 'SELECT id FROM task WHERE projectId = ? ORDER BY id', [
        decodeId(projectId, 'project'),
      ])
    ).map((row) => row.id);
    const task = await call<{ beginAt: string; endAt: string }>(
      app,
      'GET',
      `/api/v1/tasks/${encodeId(first, 'task')}`,
      { token: owner.accessToken },
    );
    assert.equal(task.body.beginAt, '2024-04-10T04:00:00.000Z');
    assert.equal(task.body.endAt, '2024-04-12T10:30:00.000Z');
  });

  it('refuses a file that is not .xlsx, creating nothing', async () => {
    const { projectId } = await newBoard();
    const answer = await importSheet(projectId, Buffer.from('name,stage\nA,Todo\n'));
    assert.deepEqual([answer.code, answer.msg], [400, 'file: must be an .xlsx workbook']);
    assert.deepEqual(await tasksOf(projectId), []);
  });

  it('refuses a sheet whose columns are not the template, naming the column', async () => {
    const { projectId, stages } = await newBoard();
    const headers = [...TASK_HEADERS];
    headers[3] = '负责人';
    const answer = await importSheet(
      projectId,
      await filledSheet(headers, [['A task', '', stages[0].name, '', '', '', '', '', '']]),
    );
    assert.equal(answer.code, 400);
    assert.equal(answer.msg, 'file: column D must be 执行者, not "负责人"');
    assert.deepEqual(await tasksOf(projectId), []);
  });

  it('refuses the whole file when one row is wrong, naming its row and column', async () => {
    const { projectId, stages } = await newBoard();
    const answer = await importSheet(
      projectId,
      await filledSheet(TASK_HEADERS, [
        ['Fine task', '', stages[0].name, '', '', '', '', '', ''],
        ['Bad assignee', '', stages[0].name, stranger.input.name, '', '', '', '', ''],
        ['Bad date', '', stages[0].name, '', 'next week', '', '', '', ''],
        ['Bad stage', '', 'No such list', '', '', '', '', 'soon', ''],
      ]),
    );
    assert.equal(answer.code, 400);
    assert.equal(
      answer.msg,
      `row 4, column D (执行者): no project member named "${stranger.input.name}"`,
    );
    assert.deepEqual(await tasksOf(projectId), []);
    // Every wrong cell is listed over /api/v1.
    const rest = await fetch(`${app.baseUrl}/api/v1/projects/${projectId}/task-imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: uploadForm(
        {},
        await filledSheet(TASK_HEADERS, [
          ['Bad date', '', stages[0].name, '', 'next week', '', '', '', ''],
          ['Bad stage', '', 'No such list', '', '', '', '', 'soon', ''],
        ]),
      ),
    });
    assert.equal(rest.status, 400);
    const problem = (await rest.json()) as { errors: { field: string }[] };
    assert.deepEqual(
      problem.errors.map((error) => error.field),
      ['row 3, column E (开始时间)', 'row 4, column C (任务列表)', 'row 4, column H (优先级)'],
    );
    assert.deepEqual(await tasksOf(projectId), []);
  });

  it('keeps a project to its members: a stranger imports nothing', async () => {
    const { projectId, stages } = await newBoard();
    const answer = await importSheet(
      projectId,
      await filledSheet(TASK_HEADERS, [['A task', '', stages[0].name, '', '', '', '', '', '']]),
      stranger,
    );
    assert.equal(answer.code, 4041);
    assert.deepEqual(await tasksOf(projectId), []);
  });

  it('imports over gRPC with the same rules', async () => {
    const { projectId, stages } = await newBoard();
    const { tasks } = projectGrpcClients(app);
    try {
      const template = await unary<object, { content: Buffer; fileName: string }>(
        tasks,
        'GetTaskImportTemplate',
        {},
        bearer(owner.accessToken),
      );
      assert.deepEqual((await sheetRows(template.content))[1], TASK_HEADERS);
      const imported = await unary<object, { imported: number; taskIds: string[] }>(
        tasks,
        'ImportTasks',
        {
          projectId,
          file: (await filledSheet(TASK_HEADERS, [['Over gRPC', '', stages[0].name]])).toString(
            'base64',
          ),
          timeZone: 'UTC',
        },
        bearer(owner.accessToken),
      );
      assert.equal(imported.imported, 1);
      assert.equal(imported.taskIds.length, 1);
      await assert.rejects(
        unary(
          tasks,
          'ImportTasks',
          { projectId, file: Buffer.from('not a workbook').toString('base64') },
          bearer(owner.accessToken),
        ),
        rejectsWith(grpc.status.INVALID_ARGUMENT, 'file'),
      );
      assert.equal((await tasksOf(projectId)).length, 1);
    } finally {
      tasks.close();
    }
  });
});
