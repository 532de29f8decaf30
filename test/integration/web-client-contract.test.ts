import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { clientPaths } from '@/modules/web-client/client-routes';
import { TEST_JWT, reconfigure, startTestApp, type TestApp } from '../support/app';
import { bearer, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { newMemberInput, registerMember, requestCaptcha } from '../support/members';
import { createProject, projectGrpcClients, sql, systemTemplate } from '../support/projects';
import { claimsOf, forgeToken } from '../support/tokens';
import { CONTRACT, assertClientCode, clientCall, clientOk, md5 } from '../support/web-client';

type Data = Record<string, unknown>;
type List = { list: Data[]; total: number; page: number };

const ok = clientOk;
const assertCode = assertClientCode;

/** A name the client's register form could hold, in Chinese as the original's users write. */
const chineseName = () => `张三${randomBytes(3).toString('hex')}`;

describe("the original web client's routes", () => {
  let app: TestApp;
  const password = `密码-${randomBytes(4).toString('hex')}`;
  const input = { ...newMemberInput(), name: chineseName() };
  let token = '';
  let refreshToken = '';
  let organizationCode = '';
  let memberCode = '';

  before(async () => {
    app = await startTestApp();
  });
  after(() => app?.close());

  it('has a contract entry for every route it serves', () => {
    const missing = clientPaths().filter(
      (path) => !CONTRACT.routes[path] && path !== 'project/login/_out',
    );
    assert.deepEqual(missing, []);
  });

  it('registers through the captcha and md5 passwords, the name becoming the account', async () => {
    const captcha = await ok<string>(app, 'project/login/getCaptcha', { mobile: input.mobile });
    assert.match(captcha, /^\d{6}$/);
    await ok(app, 'project/login/register', {
      email: input.email,
      name: input.name,
      password: md5(password),
      password2: md5(password),
      mobile: input.mobile,
      captcha,
    });
  });

  it('logs in with the name and md5(password), ignoring the extra fields it sends', async () => {
    const data = await ok<{
      member: Data;
      tokenList: Data;
      organizationList: Data[];
    }>(app, 'project/login', {
      remember_me: true,
      account: input.name,
      password: md5(password),
      clientid: undefined,
    });
    token = String(data.tokenList.accessToken);
    refreshToken = String(data.tokenList.refreshToken);
    assert.equal(data.tokenList.tokenType, 'bearer');
    assert.equal(data.tokenList.accessTokenExp, claimsOf(token).exp, 'unix seconds');
    assert.equal(data.member.name, input.name);
    organizationCode = String(data.organizationList[0].code);
    memberCode = String(data.member.code);
  });

  it('lets the same member log in through /api/v1 with the plain password', async () => {
    const login = await call<{ member: { id: string } }>(app, 'POST', '/api/v1/auth/login', {
      body: { account: input.name.toUpperCase(), password },
    });
    assert.equal(login.status, 200);
    assert.equal(login.body.member.id, memberCode, 'the same member, the same id');
  });

  it('lets a member registered through /api/v1 log in through the client', async () => {
    const member = await registerMember(app);
    const data = await ok<{ member: Data }>(app, 'project/login', {
      remember_me: true,
      account: member.input.account,
      password: md5(member.input.password),
      clientid: '',
    });
    assert.equal(data.member.code, member.id);
  });

  it('opens a hash of the older form through /api/v1 only, and upgrades it there for the client', async () => {
    const member = await registerMember(app);
    // The form every hash had before: scrypt over the NFKC-normalised plain password.
    const salt = randomBytes(16);
    const key = scryptSync(member.input.password.normalize('NFKC'), salt, 32, {
      N: 16384,
      r: 8,
      p: 1,
    });
    const legacy = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    await sql(app, 'UPDATE `member` SET `passwordHash` = ? WHERE `account` = ?', [
      legacy,
      member.input.account,
    ]);
    const viaClient = () =>
      clientCall(app, 'project/login', {
        account: member.input.account,
        password: md5(member.input.password),
      });
    assertCode(await viaClient(), 400, 'the md5 cannot open the older form');
    const viaRest = await call(app, 'POST', '/api/v1/auth/login', {
      body: { account: member.input.account, password: member.input.password },
    });
    assert.equal(viaRest.status, 200);
    const [row] = await sql<{ passwordHash: string }>(
      app,
      'SELECT `passwordHash` FROM `member` WHERE `account` = ?',
      [member.input.account],
    );
    assert.match(row.passwordHash, /^scrypt-md5\$/);
    assertCode(await viaClient(), 200, 'upgraded at the /api/v1 login');
  });

  it('refuses a wrong password with a message, not the code that logs out', async () => {
    const answer = await clientCall(app, 'project/login', {
      account: input.name,
      password: md5('not the password'),
    });
    assertCode(answer, 400, 'wrong password');
    assert.match(answer.body.msg, /^password: /);
  });

  it('refuses a second account whose name differs only in width and case', async () => {
    const other = newMemberInput();
    const fullWidth = input.name.replace(/[a-f0-9]/g, (c) =>
      String.fromCharCode(c.charCodeAt(0) + 0xfee0),
    );
    const answer = await clientCall(app, 'project/login/register', {
      email: other.email,
      name: fullWidth,
      password: md5(password),
      password2: md5(password),
      mobile: other.mobile,
      captcha: await requestCaptcha(app, other.mobile),
    });
    assertCode(answer, 409, 'same account');
  });

  it('takes Unicode account names over /api/v1 too, one account across width and case', async () => {
    const first = newMemberInput({ account: `Zhang_${randomBytes(3).toString('hex')}` });
    const registered = await call(app, 'POST', '/api/v1/auth/register', {
      body: { ...first, captcha: await requestCaptcha(app, first.mobile) },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const second = newMemberInput({
      // Full-width letters and digits, upper case: NFKC and case folding make them the same name.
      account: first.account
        .toUpperCase()
        .replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
    });
    const taken = await call<{ errors: { field: string }[] }>(
      app,
      'POST',
      '/api/v1/auth/register',
      { body: { ...second, captcha: await requestCaptcha(app, second.mobile) } },
    );
    assert.equal(taken.status, 409);
    assert.equal(taken.body.errors[0].field, 'account');
    const unicode = newMemberInput({ account: `josé.李${randomBytes(2).toString('hex')}` });
    const accepted = await call(app, 'POST', '/api/v1/auth/register', {
      body: { ...unicode, captcha: await requestCaptcha(app, unicode.mobile) },
    });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    const login = await call(app, 'POST', '/api/v1/auth/login', {
      body: { account: unicode.account.toUpperCase(), password: unicode.password },
    });
    assert.equal(login.status, 200, 'an account name logs in whatever its case');
  });

  it('walks the core journey: org list, template project, board, tasks, detail, members, my tasks, collect, recycle', async () => {
    const auth = { token, organizationCode };
    const orgs = await ok<Data[]>(app, 'project/organization/_getOrgList', {}, auth);
    assert.equal(orgs[0].code, organizationCode);
    await ok(app, 'project/index/changeCurrentOrganization', { organizationCode }, auth);

    const templates = await ok<List>(
      app,
      'project/project_template',
      { pageSize: 100, viewType: -1 },
      auth,
    );
    const template = templates.list.find(
      (item) => item.is_system === 1 && (item.task_stages as unknown[]).length > 0,
    );
    assert.ok(template, 'a system template with stages is offered to a new member');
    await ok(
      app,
      'project/project/save',
      { name: 'Demo project', templateCode: template.code, description: '', id: 0 },
      auth,
    );
    const mine = await ok<List>(
      app,
      'project/project',
      { page: 1, pageSize: 100, selectBy: 'my' },
      auth,
    );
    const project = mine.list.find((item) => item.name === 'Demo project')!;
    assert.equal(project.organization_code, organizationCode, 'made in the header org');
    assert.match(String(project.cover), /^data:image\/svg\+xml,/, 'a cover the page can draw');
    await ok(app, 'project/project/selfList', { page: 1, pageSize: 9 }, auth);
    const projectCode = String(project.code);
    await ok(app, 'project/project/read', { projectCode }, auth);

    const stages = await ok<List>(app, 'project/task_stages', { projectCode, pageSize: 30 }, auth);
    assert.deepEqual(
      stages.list.map((stage) => ({ name: stage.name })),
      template.task_stages,
      "the template's stages, in order",
    );
    const [first, second] = stages.list.map((stage) => String(stage.code));
    const members = await ok<List>(
      app,
      'project/project_member/index',
      { projectCode, pageSize: 100 },
      auth,
    );
    assert.equal(members.list[0].is_owner, 1);

    const created = [];
    for (const name of ['First task', 'Second task']) {
      created.push(
        await ok<Data>(
          app,
          'project/task/save',
          { name, stage_code: first, project_code: projectCode, assign_to: memberCode },
          auth,
        ),
      );
    }
    const board = await ok<Data[]>(app, 'project/task_stages/tasks', { stageCode: first }, auth);
    assert.deepEqual(
      board.map((task) => task.name),
      ['First task', 'Second task'],
    );
    assert.equal((board[0].executor as Data).code, memberCode);

    // Dragged to the top of the second column, then back in front of the second task.
    const taskCode = String(created[0].code);
    await ok(
      app,
      'project/task/sort',
      { preTaskCode: taskCode, nextTaskCode: '', toStageCode: second },
      auth,
    );
    assert.deepEqual(
      (await ok<Data[]>(app, 'project/task_stages/tasks', { stageCode: second }, auth)).map(
        (task) => task.code,
      ),
      [taskCode],
    );
    await ok(
      app,
      'project/task/sort',
      { preTaskCode: taskCode, nextTaskCode: created[1].code, toStageCode: first },
      auth,
    );

    const detail = await ok<Data>(app, 'project/task/read', { taskCode }, auth);
    assert.equal(detail.projectName, 'Demo project');
    assert.equal(detail.stageName, stages.list[0].name);
    await ok(app, 'project/task_member', { taskCode, pageSize: 100 }, auth);

    // Another member of the project, mentioned in a comment, is notified.
    const colleague = await registerMember(app);
    const added = await call(app, 'POST', `/api/v1/projects/${projectCode}/members`, {
      token,
      body: { memberId: colleague.id },
    });
    assert.equal(added.status, 201);
    // As the client sends it: the text after each "@", the name it inserted from the list.
    await ok(
      app,
      'project/task/createComment',
      {
        taskCode,
        comment: `@${colleague.input.name} Look at this`,
        mentions: JSON.stringify([colleague.input.name]),
      },
      auth,
    );
    // A member code names its member too; a text that names nobody is no error.
    await ok(
      app,
      'project/task/createComment',
      { taskCode, comment: 'Again, a@b.c ', mentions: JSON.stringify(['b.c', colleague.id]) },
      auth,
    );
    // Typed by hand: the client sends everything after the "@"; the name it starts with counts,
    // a longer word that only begins with it does not.
    await ok(
      app,
      'project/task/createComment',
      {
        taskCode,
        comment: `@${colleague.input.name} 请看一下附件 @${colleague.input.name}x`,
        mentions: JSON.stringify([
          `${colleague.input.name} 请看一下附件 `,
          `${colleague.input.name}x`,
        ]),
      },
      auth,
    );
    const notified = await call<{ items: { kind: string }[] }>(
      app,
      'GET',
      '/api/v1/me/notifications',
      { token: colleague.accessToken },
    );
    assert.equal(notified.body.items.filter((item) => item.kind === 'mentioned').length, 3);
    const log = await ok<List>(
      app,
      'project/task/taskLog',
      { taskCode, all: 0, pageSize: 5, comment: 0 },
      auth,
    );
    assert.ok(
      log.list.some(
        (entry) =>
          entry.content === `@${colleague.input.name} Look at this` && entry.is_comment === 1,
      ),
    );
    const comments = await ok<List>(
      app,
      'project/task/taskLog',
      { taskCode, all: 0, pageSize: 5, comment: 1 },
      auth,
    );
    assert.ok(comments.list.every((entry) => entry.is_comment === 1));

    await ok(
      app,
      'project/task/saveTaskWorkTime',
      { beginTime: '2024-05-01 09:30', num: 2.5, content: 'worked', taskCode },
      auth,
    );
    const times = await ok<Data[]>(app, 'project/task/_taskWorkTimeList', { taskCode }, auth);
    assert.equal(times[0].num, 2.5);
    assert.equal(times[0].begin_time, '2024-05-01 09:30:00', 'in the configured zone');
    const rest = await call<{ items: { beginAt: string }[] }>(
      app,
      'GET',
      `/api/v1/tasks/${taskCode}/work-times`,
      { token },
    );
    assert.equal(rest.body.items[0].beginAt, '2024-05-01T01:30:00.000Z', 'Asia/Shanghai is +8');

    const myTasks = await ok<List>(
      app,
      'project/task/selfList',
      { page: 1, pageSize: 10, taskType: 1, type: 0 },
      auth,
    );
    assert.equal((myTasks.list[0].projectInfo as Data).name, 'Demo project');
    await ok(app, 'project/project/getLogBySelfProject', {}, auth);

    await ok(app, 'project/project_collect/collect', { type: 'collect', projectCode }, auth);
    const collected = await ok<List>(
      app,
      'project/project',
      { page: 1, pageSize: 100, selectBy: 'collect' },
      auth,
    );
    assert.deepEqual(
      collected.list.map((item) => item.code),
      [projectCode],
    );
    await ok(app, 'project/project_collect/collect', { type: 'cancel', projectCode }, auth);

    await ok(
      app,
      'project/project/edit',
      {
        projectCode,
        name: 'Renamed project',
        description: 'About it',
        cover: '',
        private: 1,
        prefix: '',
        task_board_theme: 'default',
        open_prefix: 0,
        open_begin_time: 0,
        open_task_private: 0,
        schedule: 40,
        auto_update_schedule: 0,
      },
      auth,
    );
    const edited = await call<{ name: string; taskBoardTheme: string; schedule: number }>(
      app,
      'GET',
      `/api/v1/projects/${projectCode}`,
      { token },
    );
    assert.deepEqual(
      [edited.body.name, edited.body.taskBoardTheme, edited.body.schedule],
      ['Renamed project', 'default', 40],
    );

    await ok(app, 'project/project/recycle', { projectCode }, auth);
    const bin = await ok<List>(
      app,
      'project/project',
      { page: 1, pageSize: 100, selectBy: 'deleted' },
      auth,
    );
    assert.deepEqual(
      bin.list.map((item) => item.code),
      [projectCode],
    );
    // The sidebar's recycle bin page asks for it another way.
    const sidebarBin = await ok<List>(
      app,
      'project/project',
      { page: 1, pageSize: 100, recycle: 1, type: 'other' },
      auth,
    );
    assert.deepEqual(
      sidebarBin.list.map((item) => item.code),
      [projectCode],
    );
    await ok(app, 'project/project/recovery', { projectCode }, auth);
    const restored = await call<{ deleted: boolean }>(
      app,
      'GET',
      `/api/v1/projects/${projectCode}`,
      { token },
    );
    assert.equal(restored.body.deleted, false);
    // The sidebar's archive page asks for the archived ones alike (archive=1, no selectBy).
    assertClientCode(
      await clientCall(app, 'project/project/archive', { projectCode }, auth),
      200,
      'archived',
    );
    const archived = await ok<List>(
      app,
      'project/project',
      { page: 1, pageSize: 1000, archive: 1, type: 'other' },
      auth,
    );
    assert.deepEqual(
      archived.list.map((item) => [item.code, item.archive]),
      [[projectCode, 1]],
    );
    assertClientCode(
      await clientCall(app, 'project/project/recoveryArchive', { projectCode }, auth),
      200,
      'taken out of the archive',
    );
    const active = await ok<List>(
      app,
      'project/project',
      { page: 1, pageSize: 1000, archive: 1, type: 'other' },
      { ...auth, minItems: 0 },
    );
    assert.deepEqual(active.list, [], 'back among the active ones');
  });

  it('renews the access token from the refresh token the client keeps, again and again', async () => {
    for (let round = 0; round < 2; round++) {
      const data = await ok<Data>(app, 'index/index/refreshAccessToken', { refreshToken });
      const renewed = String(data.accessToken);
      assert.equal(data.accessTokenExp, claimsOf(renewed).exp);
      const orgs = await clientCall(
        app,
        'project/organization/_getOrgList',
        {},
        { token: renewed },
      );
      assertCode(orgs, 200, 'the renewed token works');
    }
  });

  it('answers code 401 to an expired, forged or missing token, and to a bad refresh token', async () => {
    const { sub, sid } = claimsOf(token);
    const expired = forgeToken(
      { sub, sid, typ: 'access', exp: Math.floor(Date.now() / 1000) - 60 },
      TEST_JWT.accessSecret,
    );
    for (const [label, bearer] of [
      ['expired', expired],
      ['garbage', 'garbage'],
      ['none', undefined],
    ] as const) {
      assertCode(
        await clientCall(app, 'project/project/selfList', { page: 1 }, { token: bearer }),
        401,
        label,
      );
    }
    assertCode(
      await clientCall(app, 'index/index/refreshAccessToken', { refreshToken: token }),
      401,
      'an access token is no refresh token',
    );
  });

  it('answers 4041 for what is not there, 403 for a foreign organization, 400 naming the field', async () => {
    const stranger = await registerMember(app);
    const project = await createProject(app, token);
    assertCode(
      await clientCall(
        app,
        'project/project/read',
        { projectCode: project.id },
        { token: stranger.accessToken },
      ),
      4041,
      "another member's project",
    );
    assertCode(
      await clientCall(app, 'project/project/read', { projectCode: 'nothing' }, { token }),
      4041,
      'an id that names nothing',
    );
    const foreign = await clientCall(
      app,
      'project/project/save',
      { name: 'Elsewhere' },
      { token: stranger.accessToken, organizationCode },
    );
    assertCode(foreign, 403, "an organization that is not the caller's");
    const bad = await clientCall(
      app,
      'project/task/saveTaskWorkTime',
      { taskCode: 'x', num: 'lots' },
      { token },
    );
    assertCode(bad, 4041, 'the subject first');
    const task = await clientCall(
      app,
      'project/task/save',
      { project_code: project.id, name: 'No stage' },
      { token },
    );
    assertCode(task, 400, 'a missing stage');
    assert.match(task.body.msg, /^stage_code: /);
    const json = await clientCall(
      app,
      'project/project/read',
      {},
      {
        token,
        contentType: 'application/json',
        rawBody: JSON.stringify({ projectCode: project.id }),
      },
    );
    assertCode(json, 400, 'a JSON body');
  });

  it('serves a project made through the client to /api/v1 and gRPC, and the other way round', async () => {
    const template = await systemTemplate(app, token);
    await ok(
      app,
      'project/project/save',
      { name: 'Made by the client', templateCode: template.id, description: 'x', id: 0 },
      { token },
    );
    const list = await call<{ items: { id: string; name: string }[] }>(
      app,
      'GET',
      '/api/v1/projects?pageSize=100',
      { token },
    );
    const made = list.body.items.find((item) => item.name === 'Made by the client')!;
    const { projects } = projectGrpcClients(app);
    try {
      const viaGrpc = await unary<{ id: string }, { name: string; templateId: string }>(
        projects,
        'getProject',
        { id: made.id },
        bearer(token),
      );
      assert.equal(viaGrpc.name, 'Made by the client');
      assert.equal(viaGrpc.templateId, template.id);
    } finally {
      projects.close();
    }
    const viaRest = await createProject(app, token, { name: 'Made through REST' });
    const read = await ok<Data>(
      app,
      'project/project/read',
      { projectCode: viaRest.id },
      { token },
    );
    assert.equal(read.name, 'Made through REST');
  });

  it('answers CORS preflights from the configured origins only, changed live', async () => {
    const preflight = (origin: string) =>
      fetch(`${app.baseUrl}/project/login`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,organizationcode,content-type',
        },
      });
    const before = await preflight('http://spa.example.test');
    assert.equal(before.headers.get('access-control-allow-origin'), null);
    await reconfigure(app, { webClient: { corsOrigins: ['http://spa.example.test'] } });
    const allowed = await preflight('http://spa.example.test');
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://spa.example.test');
    const api = await fetch(`${app.baseUrl}/api/v1/me`, {
      method: 'OPTIONS',
      headers: { origin: 'http://spa.example.test', 'access-control-request-method': 'GET' },
    });
    assert.equal(api.headers.get('access-control-allow-origin'), null, 'only the client routes');
  });
});

describe("the web client's routes under a configured prefix", () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ config: { webClient: { prefix: '/legacy' } } });
  });
  after(() => app?.close());

  it('serves them under the prefix only', async () => {
    const mobile = newMemberInput().mobile;
    const prefixed = await clientCall(
      app,
      'project/login/getCaptcha',
      { mobile },
      { prefix: '/legacy' },
    );
    assertCode(prefixed, 200, 'under the prefix');
    const root = await fetch(`${app.baseUrl}/project/login/getCaptcha`, { method: 'POST' });
    assert.equal(root.status, 404);
  });
});
