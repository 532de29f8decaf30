import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { addAccount, personalOrganization } from '../support/organizations';
import { systemTemplate, type PageBody, type StageBody } from '../support/projects';
import {
  assertClientCode,
  assertReads,
  clientCall,
  clientOk,
  clientParams,
} from '../support/web-client';

type Data = Record<string, unknown>;
type List = { list: Data[]; total: number };

describe("the original web client's template pages", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;
  let organizationCode = '';
  const asOwner = () => ({ token: owner.accessToken, organizationCode });
  const asMember = () => ({ token: member.accessToken, organizationCode });

  before(async () => {
    app = await startTestApp();
    [owner, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
    organizationCode = await personalOrganization(app, owner.accessToken);
    await addAccount(app, organizationCode, member.id, 'member');
  });
  after(() => app?.close());

  /** The template page's list, as it asks for a tab: page, pageSize, viewType. */
  async function templatePage(viewType: string, options = asOwner()): Promise<List> {
    const answer = await clientCall<List>(
      app,
      'project/project_template',
      { page: 1, pageSize: 10, viewType },
      options,
    );
    assert.equal(answer.body.code, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.msg, '');
    assertReads('project/project_template', answer.body.data, 0);
    return answer.body.data;
  }

  async function stagesOf(code: string, options = asOwner()): Promise<Data[]> {
    const data = await clientOk<List>(
      app,
      'project/task_stages_template',
      { page: 1, pageSize: 10, code },
      { ...options, minItems: 0 },
    );
    return data.list;
  }

  it('makes, edits and deletes a template as the template page sends them', async () => {
    const cover = 'https://example.test/static/cover.png';
    await clientOk(
      app,
      'project/project_template/save',
      { name: 'Sprint board', description: 'Two weeks', cover, code: '' },
      asOwner(),
    );
    const custom = await templatePage('0');
    const made = custom.list.find((item) => item.name === 'Sprint board');
    assert.ok(made, 'the new template is on the custom tab');
    assert.deepEqual(
      [made.description, made.cover, made.is_system, made.task_stages],
      ['Two weeks', cover, 0, []],
    );
    assert.ok((await templatePage('1')).list.every((item) => item.is_system === 1));
    assert.equal(
      (await templatePage('1')).list.some((item) => item.code === made.code),
      false,
    );

    await clientOk(
      app,
      'project/project_template/edit',
      { name: 'Sprint', description: '', cover, code: made.code },
      asOwner(),
    );
    const rest = await call<PageBody<{ id: string; name: string; description: string | null }>>(
      app,
      'GET',
      `/api/v1/organizations/${organizationCode}/project-templates?scope=organization`,
      { token: owner.accessToken },
    );
    const edited = rest.body.items.find((item) => item.id === made.code);
    assert.deepEqual([edited?.name, edited?.description], ['Sprint', null]);

    // Without a cover the page shows a default picture, and its edit form sends that back.
    await clientOk(
      app,
      'project/project_template/edit',
      { name: 'Sprint', description: '', cover: '', code: made.code },
      asOwner(),
    );
    const shown = (await templatePage('0')).list.find((item) => item.code === made.code);
    assert.match(String(shown?.cover), /^data:image\/svg\+xml,/);
    await clientOk(
      app,
      'project/project_template/edit',
      { name: 'Sprint 2', description: '', cover: shown?.cover, code: made.code },
      asOwner(),
    );
    const echoed = (await templatePage('0')).list.find((item) => item.code === made.code);
    assert.deepEqual([echoed?.name, echoed?.cover], ['Sprint 2', shown?.cover]);

    await clientOk(app, 'project/project_template/delete', { code: made.code }, asOwner());
    assert.equal(
      (await templatePage('0')).list.some((item) => item.code === made.code),
      false,
    );
  });

  it("builds a template's stages on its stage page, and a project made from it gets them", async () => {
    await clientOk(
      app,
      'project/project_template/save',
      { name: 'Kanban', description: '', cover: '', code: '' },
      asOwner(),
    );
    const template = (await templatePage('0')).list.find((item) => item.name === 'Kanban')!;
    const code = template.code as string;
    for (const name of ['Ideas', 'Doing', 'Done']) {
      await clientOk(
        app,
        'project/task_stages_template/save',
        { name, sort: '', template_code: code, code: '' },
        asOwner(),
      );
    }
    let stages = await stagesOf(code);
    assert.deepEqual(
      stages.map((stage) => [stage.name, stage.sort]),
      [
        ['Ideas', 0],
        ['Doing', 1],
        ['Done', 2],
      ],
    );
    const doing = stages[1];
    await clientOk(
      app,
      'project/task_stages_template/edit',
      { name: 'In progress', sort: 1, template_code: code, code: doing.code },
      asOwner(),
    );
    await clientOk(app, 'project/task_stages_template/delete', { code: stages[0].code }, asOwner());
    stages = await stagesOf(code);
    assert.deepEqual(
      stages.map((stage) => stage.name),
      ['In progress', 'Done'],
    );
    // The create dialog offers it (viewType -1), and the new project has its columns.
    const offered = await clientOk<List>(
      app,
      'project/project_template',
      { pageSize: 100, viewType: -1 },
      asMember(),
    );
    assert.ok(offered.list.some((item) => item.code === code));
    assert.ok(offered.list.some((item) => item.is_system === 1));
    const project = await clientOk<Data>(
      app,
      'project/project/save',
      { name: 'From Kanban', templateCode: code, description: '', id: 0 },
      asOwner(),
    );
    const columns = await call<PageBody<StageBody>>(
      app,
      'GET',
      `/api/v1/projects/${project.code as string}/stages`,
      { token: owner.accessToken },
    );
    assert.deepEqual(
      columns.body.items.map((stage) => stage.name),
      ['In progress', 'Done'],
    );
  });

  it('keeps system templates read-only and template management to those allowed', async () => {
    const system = await systemTemplate(app, owner.accessToken);
    const refused = await clientCall(
      app,
      'project/project_template/edit',
      clientParams('project/project_template/edit', {
        name: 'Taken over',
        description: '',
        cover: '',
        code: system.id,
      }),
      asOwner(),
    );
    assertClientCode(refused, 409, 'editing a system template');
    const added = await clientCall(
      app,
      'project/task_stages_template/save',
      clientParams('project/task_stages_template/save', {
        name: 'Extra',
        sort: '',
        template_code: system.id,
        code: '',
      }),
      asOwner(),
    );
    assertClientCode(added, 409, 'adding a stage to a system template');
    const systemStages = await stagesOf(system.id, asMember());
    assert.deepEqual(
      systemStages.map((stage) => stage.name),
      system.stages,
    );
    const systemStageDelete = await clientCall(
      app,
      'project/task_stages_template/delete',
      { code: systemStages[0].code },
      asOwner(),
    );
    assertClientCode(systemStageDelete, 409, 'deleting a stage of a system template');

    const byMember = await clientCall(
      app,
      'project/project_template/save',
      clientParams('project/project_template/save', {
        name: 'Not mine to make',
        description: '',
        cover: '',
        code: '',
      }),
      asMember(),
    );
    assertClientCode(byMember, 403, 'a member without the template node');
    assert.equal(
      (await templatePage('0')).list.some((item) => item.name === 'Not mine to make'),
      false,
    );

    // Another organization's member learns nothing of this organization's templates.
    await clientOk(
      app,
      'project/project_template/save',
      { name: 'Private recipe', description: '', cover: '', code: '' },
      asOwner(),
    );
    const secret = (await templatePage('0')).list.find((item) => item.name === 'Private recipe')!;
    const outsider = { token: stranger.accessToken };
    assertClientCode(
      await clientCall(app, 'project/task_stages_template', { code: secret.code }, outsider),
      4041,
      "another organization's template",
    );
    assertClientCode(
      await clientCall(app, 'project/project_template/delete', { code: secret.code }, outsider),
      4041,
      "deleting another organization's template",
    );
    assertClientCode(
      await clientCall(
        app,
        'project/project_template',
        { pageSize: 10, viewType: -1 },
        { ...outsider, organizationCode },
      ),
      403,
      'naming an organization that is not theirs',
    );
  });

  it('refuses a bad form naming the field, changing nothing', async () => {
    const before = (await templatePage('0')).total;
    const noName = await clientCall(
      app,
      'project/project_template/save',
      { name: '', description: '', cover: '', code: '' },
      asOwner(),
    );
    assertClientCode(noName, 400, 'an empty name');
    assert.match(noName.body.msg, /name/);
    const badCover = await clientCall(
      app,
      'project/project_template/save',
      { name: 'x', description: '', cover: 'javascript:alert(1)', code: '' },
      asOwner(),
    );
    assertClientCode(badCover, 400, 'a script as cover');
    assert.match(badCover.body.msg, /cover/);
    assert.equal((await templatePage('0')).total, before);
    const template = (await templatePage('0')).list[0];
    const badSort = await clientCall(
      app,
      'project/task_stages_template/save',
      { name: 'x', sort: 'first', template_code: template.code, code: '' },
      asOwner(),
    );
    assertClientCode(badSort, 400, 'a sort that is not a number');
    assert.match(badSort.body.msg, /sort/);
  });
});
