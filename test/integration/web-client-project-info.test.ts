import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { createProject } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;

describe("the original web client's Overview: the project's information fields", () => {
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

  async function newProject(): Promise<string> {
    const project = await createProject(app, owner.accessToken);
    const added = await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
      ...as(owner),
      body: { memberId: member.id },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    return project.id;
  }

  const list = (projectCode: string, who = member) =>
    clientOk<Data[]>(app, 'project/project_info', { projectCode }, { ...as(who), minItems: 0 });

  it('adds, edits and deletes fields as the Overview dialog sends them, as /api/v1 then shows', async () => {
    const projectCode = await newProject();
    assert.deepEqual(await list(projectCode), []);
    // The add dialog sends the form with an empty `code`.
    await clientOk(
      app,
      'project/project_info/save',
      { name: '预算', value: '100万', description: '三月批准', code: '', projectCode },
      as(owner),
    );
    await clientOk(
      app,
      'project/project_info/save',
      { name: 'Client', value: 'ACME', code: '', projectCode },
      as(owner),
    );
    const fields = await clientOk<Data[]>(app, 'project/project_info', { projectCode }, as(member));
    assert.deepEqual(
      fields.map((field) => [field.name, field.value, field.description]),
      [
        ['预算', '100万', '三月批准'],
        ['Client', 'ACME', ''],
      ],
    );
    const rest = await call<{ items: { id: string; name: string }[] }>(
      app,
      'GET',
      `/api/v1/projects/${projectCode}/info-fields`,
      as(member),
    );
    assert.deepEqual(
      rest.body.items.map((field) => field.id),
      fields.map((field) => field.code),
    );

    // The edit dialog sends the three form fields, the field's code and the project's.
    await clientOk(
      app,
      'project/project_info/edit',
      {
        name: '预算',
        value: '120万',
        description: '',
        infoCode: fields[0].code,
        projectCode,
      },
      as(owner),
    );
    const edited = (await list(projectCode))[0];
    assert.deepEqual([edited.name, edited.value, edited.description], ['预算', '120万', '']);

    await clientOk(app, 'project/project_info/delete', { infoCode: fields[1].code }, as(owner));
    assert.deepEqual(
      (await list(projectCode)).map((field) => field.code),
      [fields[0].code],
    );
  });

  it("refuses a member's writes (403) and hides the fields from a stranger (4041)", async () => {
    const projectCode = await newProject();
    await clientOk(
      app,
      'project/project_info/save',
      { name: 'Phase', value: 'Design', code: '', projectCode },
      as(owner),
    );
    const [field] = await list(projectCode);
    const saved = await clientCall(
      app,
      'project/project_info/save',
      { name: 'Mine', code: '', projectCode },
      as(member),
    );
    assertClientCode(saved, 403, "a member's new field");
    const edited = await clientCall(
      app,
      'project/project_info/edit',
      { name: 'Phase', value: 'Build', infoCode: field.code, projectCode },
      as(member),
    );
    assertClientCode(edited, 403, "a member's edit");
    const deleted = await clientCall(
      app,
      'project/project_info/delete',
      { infoCode: field.code },
      as(stranger),
    );
    assertClientCode(deleted, 4041, "a stranger's delete");
    const listed = await clientCall(app, 'project/project_info', { projectCode }, as(stranger));
    assertClientCode(listed, 4041, "a stranger's list");
    const unchanged = await list(projectCode, owner);
    assert.deepEqual(
      unchanged.map((item) => [item.name, item.value]),
      [['Phase', 'Design']],
    );
  });

  it('answers code 400 for a field without a name, and keeps nothing', async () => {
    const projectCode = await newProject();
    const blank = await clientCall(
      app,
      'project/project_info/save',
      { name: '', value: 'x', code: '', projectCode },
      as(owner),
    );
    assertClientCode(blank, 400, 'no name');
    assert.match(blank.body.msg, /name/);
    const long = await clientCall(
      app,
      'project/project_info/save',
      { name: 'ok', value: 'x'.repeat(1001), code: '', projectCode },
      as(owner),
    );
    assertClientCode(long, 400, 'a value too long');
    assert.deepEqual(await list(projectCode, owner), []);
  });
});
