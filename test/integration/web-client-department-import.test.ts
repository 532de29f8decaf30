import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { MailOutbox } from '@/modules/user/mail/mail-outbox';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { logIn, newMemberInput, registerMember, type RegisteredMember } from '../support/members';
import { sql } from '../support/projects';
import {
  accountOf,
  addAccount,
  createDepartment,
  joinOrganization,
  organizationGrpcClients,
  personalOrganization,
  type AccountBody,
  type DepartmentBody,
} from '../support/organizations';
import { filledSheet, MEMBER_HEADERS, sheetRows, uploadForm } from '../support/spreadsheets';
import { DOWNLOAD_PASS_COOKIE } from '@/modules/user/auth/download-passes';
import { clientLogIn, clientOk, cookiePair } from '../support/web-client';

type Envelope = { code: number; msg: string; data: unknown };

describe("the original web client's department member import from a spreadsheet", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let alice: RegisteredMember;
  let bob: RegisteredMember;
  let outsider: RegisteredMember;
  let organizationCode = '';
  let development: DepartmentBody;
  let mobile: DepartmentBody;
  let design: DepartmentBody;

  before(async () => {
    app = await startTestApp({ config: { mail: { transport: 'capture' } } });
    [owner, alice, bob, outsider] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
    organizationCode = await personalOrganization(app, owner.accessToken);
    await joinOrganization(app, owner, organizationCode, alice);
    await joinOrganization(app, owner, organizationCode, bob);
    development = await createDepartment(app, owner.accessToken, organizationCode, '开发部');
    mobile = await createDepartment(
      app,
      owner.accessToken,
      organizationCode,
      '移动组',
      development.id,
    );
    design = await createDepartment(app, owner.accessToken, organizationCode, '设计部');
  });
  after(() => app?.close());

  /** POST project/department_member/uploadFile as the members page sends it. */
  async function importSheet(bytes: Buffer, who = owner): Promise<Envelope> {
    const response = await fetch(`${app.baseUrl}/project/department_member/uploadFile`, {
      method: 'POST',
      headers: { authorization: `bearer ${who.accessToken}`, organizationCode },
      body: uploadForm({}, bytes),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as Envelope;
  }

  const account = (who: RegisteredMember): Promise<AccountBody> =>
    accountOf(app, owner.accessToken, organizationCode, who.id);
  const departmentsOf = async (...who: RegisteredMember[]) =>
    Promise.all(who.map(async (member) => (await account(member)).department?.id ?? null));

  it('downloads the template with the bearer header: the notes, then the columns', async () => {
    const response = await fetch(`${app.baseUrl}/project/department_member/_downloadTemplate`, {
      headers: { authorization: `bearer ${owner.accessToken}` },
    });
    assert.equal(response.status, 200);
    assert.deepEqual(
      (await sheetRows(Buffer.from(await response.arrayBuffer())))[1],
      MEMBER_HEADERS,
    );
    assert.equal(
      (await fetch(`${app.baseUrl}/project/department_member/_downloadTemplate`)).status,
      401,
    );
  });

  it("downloads the template with only the download-pass cookie the client's login sets", async () => {
    const { setCookie } = await clientLogIn(app, owner.input);
    const cookie = cookiePair(setCookie, DOWNLOAD_PASS_COOKIE);
    const url = `${app.baseUrl}/project/department_member/_downloadTemplate`;
    const response = await fetch(url, { headers: { cookie } });
    assert.equal(response.status, 200);
    assert.deepEqual(
      (await sheetRows(Buffer.from(await response.arrayBuffer())))[1],
      MEMBER_HEADERS,
    );
    const forged = cookie.replace(/signature=[^&]+/, 'signature=AAAA');
    assert.equal((await fetch(url, { headers: { cookie: forged } })).status, 401);
    const upload = await fetch(`${app.baseUrl}/project/department_member/uploadFile`, {
      method: 'POST',
      headers: { cookie, organizationCode },
      body: uploadForm({}, await filledSheet(MEMBER_HEADERS, [['', bob.input.email, '设计部']])),
    });
    assert.equal(((await upload.json()) as Envelope).code, 401);
  });

  it("puts each row's account into the department its path names, with its card's fields", async () => {
    const answer = await importSheet(
      await filledSheet(MEMBER_HEADERS, [
        [
          'Alice Chen',
          alice.input.email,
          '开发部/移动组',
          'iOS developer',
          '',
          'secret12',
          'Mobile',
        ],
        ['', bob.input.account, '设计部', '', '', '', ''],
      ]),
    );
    assert.deepEqual([answer.code, answer.msg, answer.data], [200, '', 2]);
    assert.deepEqual(await departmentsOf(alice, bob), [mobile.id, design.id]);
    assert.equal((await account(alice)).position, 'iOS developer');
    const listed = await clientOk<{ list: { code: string }[] }>(
      app,
      'project/department_member/index',
      { departmentCode: mobile.id, page: 1, pageSize: 20 },
      { token: owner.accessToken, organizationCode },
    );
    assert.deepEqual(
      listed.list.map((item) => item.code),
      [(await account(alice)).id],
    );
  });

  /** A new member's REST id, by logging in as them. */
  async function idOf(input: { account: string; password: string }): Promise<string> {
    const session = await logIn(app, input);
    const me = await call<{ id: string }>(app, 'GET', '/api/v1/me', {
      token: session.accessToken,
    });
    return me.body.id;
  }

  it('creates the member a new email names: the name their login, the password theirs, an account in the department', async () => {
    const [given, bare] = [newMemberInput(), newMemberInput()];
    const answer = await importSheet(
      await filledSheet(MEMBER_HEADERS, [
        [
          given.account,
          given.email.toUpperCase(),
          '开发部/移动组',
          'Designer',
          given.mobile,
          given.password,
          'Joined by import',
        ],
        [bare.account, bare.email, '设计部', '', bare.mobile, '', ''],
        ['', bob.input.email, '设计部', '', '', 'never-read-1', ''],
      ]),
    );
    assert.deepEqual([answer.code, answer.msg, answer.data], [200, '', 3]);
    // Their account name logs in ignoring case, with the password the sheet gave.
    const givenId = await idOf({ account: given.account.toUpperCase(), password: given.password });
    const card = await accountOf(app, owner.accessToken, organizationCode, givenId);
    assert.deepEqual(
      [card.department?.id, card.position, card.status],
      [mobile.id, 'Designer', 'active'],
    );
    const [stored] = await sql<{ email: string; account: string; name: string }>(
      app,
      'SELECT email, account, name FROM member WHERE mobile = ?',
      [given.mobile],
    );
    assert.deepEqual(stored, {
      email: given.email.toLowerCase(),
      account: given.account,
      name: given.account,
    });
    // An existing member's row never changes their password.
    await assert.rejects(logIn(app, { account: bob.input.account, password: 'never-read-1' }));
    await logIn(app, bob.input);

    // Without a password, none opens the account, not even a well-known default...
    for (const guess of ['123456', '12345678', 'password', bare.mobile]) {
      const login = await call(app, 'POST', '/api/v1/auth/login', {
        body: { account: bare.account, password: guess },
      });
      assert.equal(login.status, 401, guess);
    }
    // ...until its member resets it, logged out, by the code mailed to the email (only mailed:
    // the administrator who imported them cannot take the account over).
    const asked = await call(app, 'POST', '/api/v1/auth/password-reset/code', {
      body: { email: bare.email },
    });
    assert.equal(asked.status, 202);
    assert.deepEqual(Object.keys(asked.body as object), ['expiresIn']);
    const [mail] = app.app.get(MailOutbox).sentTo(bare.email.toLowerCase());
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
    assert.ok(code, 'the mail holds the code');
    const reset = await call(app, 'POST', '/api/v1/auth/password-reset', {
      body: { email: bare.email, code, password: 'chosen-by-them-1' },
    });
    assert.equal(reset.status, 204);
    const bareId = await idOf({ account: bare.account, password: 'chosen-by-them-1' });
    assert.equal(
      (await accountOf(app, owner.accessToken, organizationCode, bareId)).department?.id,
      design.id,
    );
  });

  it("refuses a new member's row as registration would, naming each column, creating nobody", async () => {
    const fresh = Array.from({ length: 5 }, () => newMemberInput());
    const response = await fetch(
      `${app.baseUrl}/api/v1/organizations/${organizationCode}/department-member-imports`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.accessToken}` },
        body: uploadForm(
          {},
          await filledSheet(MEMBER_HEADERS, [
            ['Alice Chen', fresh[0].email, '', '', fresh[0].mobile, '', ''],
            [
              `Ｕ${alice.input.account.slice(1).toUpperCase()}`,
              fresh[1].email,
              '',
              '',
              fresh[1].mobile,
              '',
              '',
            ],
            [fresh[2].account, fresh[2].email, '', '', '', '', ''],
            [fresh[3].account, fresh[3].email, '', '', fresh[3].mobile, 'short', ''],
            [fresh[4].account, fresh[0].email.toUpperCase(), '', '', alice.input.mobile, '', ''],
            ['', 'nobody-by-that-name', '', '', '', '', ''],
          ]),
        ),
      },
    );
    assert.equal(response.status, 400);
    const problem = (await response.json()) as { errors: { field: string; message: string }[] };
    assert.deepEqual(
      problem.errors.map((error) => `${error.field}: ${error.message}`),
      [
        'row 3, column A (姓名): must be 2 to 50 letters, digits, "_", "." or "-", with a letter',
        'row 4, column A (姓名): this account name is taken',
        'row 5, column E (手机): required for a new member',
        'row 6, column F (默认密码): must be at least 8 characters',
        'row 7, column B (邮箱): the same email as row 3',
        'row 7, column E (手机): this mobile number is already registered',
        'row 8, column B (邮箱): no member has it: to create one, give their email address',
      ],
    );
    const created = await sql<{ n: number }>(
      app,
      `SELECT COUNT(*) AS n FROM member WHERE email IN (${fresh.map(() => '?').join(', ')})`,
      fresh.map((input) => input.email.toLowerCase()),
    );
    assert.equal(Number(created[0].n), 0);
  });

  it('refuses a file that is not .xlsx, changing nothing', async () => {
    const before = await departmentsOf(alice, bob);
    const answer = await importSheet(Buffer.from('%PDF-1.4 not a workbook'));
    assert.deepEqual([answer.code, answer.msg], [400, 'file: must be an .xlsx workbook']);
    assert.deepEqual(await departmentsOf(alice, bob), before);
  });

  it('refuses a sheet whose columns are not the template, naming the column', async () => {
    const before = await departmentsOf(alice, bob);
    const headers = [...MEMBER_HEADERS];
    headers[2] = '小组';
    const answer = await importSheet(
      await filledSheet(headers, [['', alice.input.email, '设计部', '', '', '', '']]),
    );
    assert.deepEqual([answer.code, answer.msg], [400, 'file: column C must be 部门, not "小组"']);
    assert.deepEqual(await departmentsOf(alice, bob), before);
  });

  it('refuses the whole file when one row is wrong, naming its row and column', async () => {
    const before = await departmentsOf(alice, bob);
    const answer = await importSheet(
      await filledSheet(MEMBER_HEADERS, [
        ['', alice.input.email, '开发部', '', '', '', ''],
        ['', outsider.input.email, '开发部', '', '', '', ''],
        ['', bob.input.email, '开发部/没有这个组', '', '', '', ''],
      ]),
    );
    assert.equal(answer.code, 400);
    assert.equal(
      answer.msg,
      'row 4, column B (邮箱): no account of the organization has it: invite the member first',
    );
    assert.deepEqual(await departmentsOf(alice, bob), before);
  });

  it('keeps the import to those who may put accounts into departments', async () => {
    const plain = await registerMember(app);
    await addAccount(app, organizationCode, plain.id, 'member');
    const before = await departmentsOf(alice);
    const answer = await importSheet(
      await filledSheet(MEMBER_HEADERS, [['', alice.input.email, '开发部', '', '', '', '']]),
      plain,
    );
    assert.equal(answer.code, 403);
    assert.deepEqual(await departmentsOf(alice), before);
  });

  it('imports over gRPC with the same rules', async () => {
    const { departments } = organizationGrpcClients(app);
    try {
      const template = await unary<object, { content: Buffer }>(
        departments,
        'GetDepartmentMemberImportTemplate',
        {},
        bearer(owner.accessToken),
      );
      assert.deepEqual((await sheetRows(template.content))[1], MEMBER_HEADERS);
      const imported = await unary<object, { updated: number }>(
        departments,
        'ImportDepartmentMembers',
        {
          organizationId: organizationCode,
          file: (await filledSheet(MEMBER_HEADERS, [['', bob.input.email, '开发部']])).toString(
            'base64',
          ),
        },
        bearer(owner.accessToken),
      );
      assert.equal(imported.updated, 1);
      assert.deepEqual(await departmentsOf(bob), [development.id]);
      await assert.rejects(
        unary(
          departments,
          'ImportDepartmentMembers',
          { organizationId: organizationCode, file: Buffer.from('nope').toString('base64') },
          bearer(owner.accessToken),
        ),
        rejectsWith(grpc.status.INVALID_ARGUMENT, 'file'),
      );
    } finally {
      departments.close();
    }
  });
});
