import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { addAccount, personalOrganization } from '../support/organizations';
import {
  projectGrpcClients,
  sql,
  systemTemplate,
  type PageBody,
  type ProblemBody,
  type StageBody,
} from '../support/projects';

interface TemplateBody {
  id: string;
  name: string;
  description: string | null;
  cover: string | null;
  isSystem: boolean;
  stages: string[];
}

interface TemplateStageBody {
  id: string;
  templateId: string;
  name: string;
  sort: number;
}

describe("an organization's project templates over REST and gRPC", () => {
  let app: TestApp;
  let projects: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;
  let organizationId = '';
  let strangersOrganization = '';
  const templates = () => `/api/v1/organizations/${organizationId}/project-templates`;

  before(async () => {
    app = await startTestApp();
    ({ projects } = projectGrpcClients(app));
    [owner, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
    organizationId = await personalOrganization(app, owner.accessToken);
    strangersOrganization = await personalOrganization(app, stranger.accessToken);
    await addAccount(app, organizationId, member.id, 'member');
  });
  after(async () => {
    projects?.close();
    await app?.close();
  });

  async function createTemplate(body: Record<string, unknown>, token = owner.accessToken) {
    const created = await call<TemplateBody>(app, 'POST', templates(), { token, body });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  }

  async function list(scope: string, token = owner.accessToken, organization = organizationId) {
    const answer = await call<PageBody<TemplateBody>>(
      app,
      'GET',
      `/api/v1/organizations/${organization}/project-templates?scope=${scope}&pageSize=100`,
      { token },
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  }

  it('creates a template with stages that a project of the organization starts with', async () => {
    const template = await createTemplate({
      name: 'Release train',
      description: 'Plan to ship',
      stages: ['Backlog', 'Building', 'Shipped'],
    });
    assert.deepEqual(
      [template.name, template.description, template.isSystem, template.stages],
      ['Release train', 'Plan to ship', false, ['Backlog', 'Building', 'Shipped']],
    );
    const project = await call<{ id: string; templateId: string }>(
      app,
      'POST',
      `/api/v1/organizations/${organizationId}/projects`,
      { token: owner.accessToken, body: { name: 'From ours', templateId: template.id } },
    );
    assert.equal(project.status, 201, JSON.stringify(project.body));
    assert.equal(project.body.templateId, template.id);
    const stages = await call<PageBody<StageBody>>(
      app,
      'GET',
      `/api/v1/projects/${project.body.id}/stages`,
      { token: owner.accessToken },
    );
    assert.deepEqual(
      stages.body.items.map((stage) => stage.name),
      ['Backlog', 'Building', 'Shipped'],
    );
  });

  it('lists the organization’s templates beside the system ones, by scope, to its members only', async () => {
    const template = await createTemplate({ name: 'Listed' });
    const all = await list('all', member.accessToken);
    assert.ok(all.items.some((item) => item.id === template.id));
    assert.ok(all.items.some((item) => item.isSystem));
    const own = await list('organization', member.accessToken);
    assert.ok(own.items.every((item) => !item.isSystem));
    assert.ok(own.items.some((item) => item.id === template.id));
    const system = await list('system');
    assert.ok(system.items.every((item) => item.isSystem));
    // The personal-organization list (what POST /projects starts from): the owner's personal
    // organization's templates, not those of another organization the member works in.
    const personal = async (who: RegisteredMember) =>
      (
        await call<PageBody<TemplateBody>>(app, 'GET', '/api/v1/project-templates?scope=mine', {
          token: who.accessToken,
        })
      ).body.items.map((item) => item.id);
    assert.ok((await personal(owner)).includes(template.id));
    assert.equal((await personal(member)).includes(template.id), false);
    const membersOrganization = await personalOrganization(app, member.accessToken);
    await addAccount(app, membersOrganization, owner.id, 'admin');
    const made = await call<TemplateBody>(
      app,
      'POST',
      `/api/v1/organizations/${membersOrganization}/project-templates`,
      { token: owner.accessToken, body: { name: 'Made for another' } },
    );
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal((await personal(owner)).includes(made.body.id), false);
    assert.ok((await personal(member)).includes(made.body.id));
    // Another organization never sees it, nor may it start a project from it.
    const elsewhere = await list('all', stranger.accessToken, strangersOrganization);
    assert.equal(
      elsewhere.items.some((item) => item.id === template.id),
      false,
    );
    const outsider = await call(app, 'GET', `${templates()}?scope=all`, {
      token: stranger.accessToken,
    });
    assert.equal(outsider.status, 404);
    const foreign = await call<ProblemBody>(app, 'POST', '/api/v1/projects', {
      token: stranger.accessToken,
      body: { name: 'Not yours', templateId: template.id },
    });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.errors?.[0].field, 'templateId');
  });

  it('lets only those who manage templates change them', async () => {
    const template = await createTemplate({ name: 'Guarded' });
    const refused = await call(app, 'POST', templates(), {
      token: member.accessToken,
      body: { name: 'Members may not' },
    });
    assert.equal(refused.status, 403);
    const edit = await call(app, 'PATCH', `${templates()}/${template.id}`, {
      token: member.accessToken,
      body: { name: 'Nope' },
    });
    assert.equal(edit.status, 403);
    const [{ count }] = await sql<{ count: number }>(
      app,
      "SELECT COUNT(*) AS count FROM project_template WHERE name = 'Members may not'",
    );
    assert.equal(Number(count), 0);
  });

  it('edits and deletes a template; projects made from it keep their stages', async () => {
    const template = await createTemplate({ name: 'Short lived', stages: ['One', 'Two'] });
    const edited = await call<TemplateBody>(app, 'PATCH', `${templates()}/${template.id}`, {
      token: owner.accessToken,
      body: { name: 'Renamed', description: null, cover: 'https://example.test/c.png' },
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual(
      [edited.body.name, edited.body.description, edited.body.cover],
      ['Renamed', null, 'https://example.test/c.png'],
    );
    const project = await call<{ id: string }>(
      app,
      'POST',
      `/api/v1/organizations/${organizationId}/projects`,
      { token: owner.accessToken, body: { name: 'Keeps stages', templateId: template.id } },
    );
    const gone = await call(app, 'DELETE', `${templates()}/${template.id}`, {
      token: owner.accessToken,
    });
    assert.equal(gone.status, 204);
    assert.equal(
      (await list('all')).items.some((item) => item.id === template.id),
      false,
    );
    const stages = await call<PageBody<StageBody>>(
      app,
      'GET',
      `/api/v1/projects/${project.body.id}/stages`,
      { token: owner.accessToken },
    );
    assert.deepEqual(
      stages.body.items.map((stage) => stage.name),
      ['One', 'Two'],
    );
    const [{ count }] = await sql<{ count: number }>(
      app,
      'SELECT COUNT(*) AS count FROM project_template_stage WHERE templateId = ?',
      [decodeId(template.id, 'template')],
    );
    assert.equal(Number(count), 0);
    const again = await call(app, 'DELETE', `${templates()}/${template.id}`, {
      token: owner.accessToken,
    });
    assert.equal(again.status, 404);
  });

  it('keeps the system templates read-only', async () => {
    const system = await systemTemplate(app, owner.accessToken);
    for (const [method, path, body] of [
      ['PATCH', `${templates()}/${system.id}`, { name: 'Mine now' }],
      ['DELETE', `${templates()}/${system.id}`, undefined],
      ['POST', `${templates()}/${system.id}/stages`, { name: 'Extra' }],
      ['PUT', `${templates()}/${system.id}/stages`, { names: ['Only'] }],
    ] as const) {
      const answer = await call<ProblemBody>(app, method, path, {
        token: owner.accessToken,
        body,
      });
      assert.equal(answer.status, 409, `${method} ${path}`);
    }
    assert.deepEqual((await systemTemplate(app, owner.accessToken)).stages, system.stages);
    const stages = await call<PageBody<TemplateStageBody>>(
      app,
      'GET',
      `${templates()}/${system.id}/stages`,
      { token: member.accessToken },
    );
    assert.equal(stages.status, 200);
    assert.deepEqual(
      stages.body.items.map((stage) => stage.name),
      system.stages,
    );
  });

  it("adds, lists and replaces a template's stages", async () => {
    const template = await createTemplate({ name: 'Staged', stages: ['First'] });
    const stagesPath = `${templates()}/${template.id}/stages`;
    const added = await call<TemplateStageBody>(app, 'POST', stagesPath, {
      token: owner.accessToken,
      body: { name: 'Second' },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual([added.body.name, added.body.sort], ['Second', 1]);
    await call(app, 'POST', stagesPath, {
      token: owner.accessToken,
      body: { name: 'Zeroth', sort: 0 },
    });
    const listed = await call<PageBody<TemplateStageBody>>(app, 'GET', stagesPath, {
      token: owner.accessToken,
    });
    assert.deepEqual(
      listed.body.items.map((stage) => stage.name),
      ['First', 'Zeroth', 'Second'],
    );
    const replaced = await call<PageBody<TemplateStageBody>>(app, 'PUT', stagesPath, {
      token: owner.accessToken,
      body: { names: ['Todo', 'Doing', 'Done'] },
    });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.deepEqual(
      replaced.body.items.map((stage) => [stage.name, stage.sort]),
      [
        ['Todo', 0],
        ['Doing', 1],
        ['Done', 2],
      ],
    );
  });

  it('refuses bad input naming the field, changing nothing', async () => {
    const template = await createTemplate({ name: 'Strict' });
    for (const [method, path, body, field] of [
      ['POST', templates(), { name: '' }, 'name'],
      ['POST', templates(), { name: 'x', cover: 'javascript:alert(1)' }, 'cover'],
      ['POST', templates(), { name: 'x', stages: ['ok', ''] }, 'stages.1'],
      ['PATCH', `${templates()}/${template.id}`, { name: 'a'.repeat(91) }, 'name'],
      ['POST', `${templates()}/${template.id}/stages`, { name: 'x', sort: -1 }, 'sort'],
      ['PUT', `${templates()}/${template.id}/stages`, { names: 'Todo' }, 'names'],
    ] as const) {
      const answer = await call<ProblemBody>(app, method, path, {
        token: owner.accessToken,
        body,
      });
      assert.equal(answer.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
      assert.equal(answer.body.errors?.[0].field, field);
    }
    const read = await list('organization');
    assert.deepEqual(read.items.find((item) => item.id === template.id)?.stages, []);
    assert.equal(
      read.items.some((item) => item.name === 'x'),
      false,
    );
  });

  it('offers the same over gRPC', async () => {
    const as = bearer(owner.accessToken);
    const created = await unary<object, TemplateBody>(
      projects,
      'CreateTemplate',
      { organizationId, name: 'Over gRPC', stages: ['Plan', 'Do'] },
      as,
    );
    assert.deepEqual([created.name, created.stages], ['Over gRPC', ['Plan', 'Do']]);
    const updated = await unary<object, TemplateBody>(
      projects,
      'UpdateTemplate',
      { organizationId, templateId: created.id, description: 'set' },
      as,
    );
    assert.equal(updated.description, 'set');
    const stage = await unary<object, TemplateStageBody>(
      projects,
      'AddTemplateStage',
      { organizationId, templateId: created.id, name: 'Check' },
      as,
    );
    assert.deepEqual([stage.name, stage.sort, stage.templateId], ['Check', 2, created.id]);
    const replaced = await unary<object, PageBody<TemplateStageBody>>(
      projects,
      'SetTemplateStages',
      { organizationId, templateId: created.id, names: ['Act'] },
      as,
    );
    assert.deepEqual(
      replaced.items.map((item) => item.name),
      ['Act'],
    );
    const stages = await unary<object, PageBody<TemplateStageBody>>(
      projects,
      'ListTemplateStages',
      { organizationId, templateId: created.id },
      bearer(member.accessToken),
    );
    assert.deepEqual(
      stages.items.map((item) => item.name),
      ['Act'],
    );
    const listed = await unary<object, PageBody<TemplateBody>>(
      projects,
      'ListOrganizationTemplates',
      { organizationId, scope: 'organization', pageSize: 100 },
      as,
    );
    assert.ok(listed.items.some((item) => item.id === created.id));
    await assert.rejects(
      unary(projects, 'CreateTemplate', { organizationId, name: '' }, as),
      rejectsWith(status.INVALID_ARGUMENT, 'name'),
    );
    await assert.rejects(
      unary(projects, 'CreateTemplate', { organizationId, name: 'x' }, bearer(member.accessToken)),
      rejectsWith(status.PERMISSION_DENIED),
    );
    await assert.rejects(
      unary(
        projects,
        'ListOrganizationTemplates',
        { organizationId },
        bearer(stranger.accessToken),
      ),
      rejectsWith(status.NOT_FOUND),
    );
    const system = await systemTemplate(app, owner.accessToken);
    await assert.rejects(
      unary(projects, 'DeleteTemplate', { organizationId, templateId: system.id }, as),
      rejectsWith(status.FAILED_PRECONDITION),
    );
    await unary(projects, 'DeleteTemplate', { organizationId, templateId: created.id }, as);
    const after = await unary<object, PageBody<TemplateBody>>(
      projects,
      'ListOrganizationTemplates',
      { organizationId, scope: 'organization', pageSize: 100 },
      as,
    );
    assert.equal(
      after.items.some((item) => item.id === created.id),
      false,
    );
  });
});
