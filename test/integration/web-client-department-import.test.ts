import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { registerMember, type RegisteredMember } from '../support/members';
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
    app = await startTestApp();
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
