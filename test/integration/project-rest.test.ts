import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProjectView } from '@/modules/project/dto/project.views';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  createProject,
  createTask,
  sql,
  systemTemplate,
  type PageBody,
  type ProblemBody,
  type ProjectBody,
} from '../support/projects';

describe('projects over REST', () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let outsider: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    [owner, member, outsider] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
  });

  after(async () => {
    await app?.close();
  });

  const list = (token: string, query = '') =>
    call<PageBody<ProjectBody>>(app, 'GET', `/api/v1/projects${query}`, { token });

  /** A project of `owner` with `member` added. */
  async function sharedProject(): Promise<ProjectBody> {
    const project = await createProject(app, owner.accessToken);
    const added = await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
      token: owner.accessToken,
      body: { memberId: member.id },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    return project;
  }

  it('creates a project with the owner membership and the stages of a template', async () => {
    const template = await systemTemplate(app, owner.accessToken);
    assert.ok(template.stages.length >= 3);
    const project = await createProject(app, owner.accessToken, {
      name: 'Launch',
      description: 'the launch',
      templateId: template.id,
    });
    assert.equal(project.name, 'Launch');
    assert.equal(project.myRole, 'owner');
    assert.equal(project.owner.id, owner.id);
    assert.equal(project.owner.name, owner.input.name);
    assert.equal(project.templateId, template.id);
    assert.equal(project.collected, false);
    const stages = await call<PageBody<{ name: string }>>(
      app,
      'GET',
      `/api/v1/projects/${project.id}/stages`,
      { token: owner.accessToken },
    );
    assert.equal(stages.status, 200);
    assert.deepEqual(
      stages.body.items.map((stage) => stage.name),
      template.stages,
    );
  });

  it('files a project under the creator’s personal organization, and under no other one', async () => {
    const organizations = (token: string) =>
      call<{ id: string; personal: boolean }[]>(app, 'GET', '/api/v1/organizations', { token });
    const [mine] = (await organizations(owner.accessToken)).body;
    const project = await call<{ organizationId: string }>(app, 'POST', '/api/v1/projects', {
      token: owner.accessToken,
      body: { name: 'In my organization' },
    });
    assert.equal(project.status, 201);
    assert.equal(project.body.organizationId, mine.id);
    // Another organization is named in the path of its own route, under its rules.
    const [theirs] = (await organizations(outsider.accessToken)).body;
    const refused = await call<ProblemBody>(app, 'POST', '/api/v1/projects', {
      token: owner.accessToken,
      body: { name: 'In their organization', organizationId: theirs.id },
    });
    assert.equal(refused.status, 400);
    assert.deepEqual(
      refused.body.errors?.map((error) => error.field),
      ['organizationId'],
    );
    const hidden = await call<ProblemBody>(
      app,
      'POST',
      `/api/v1/organizations/${theirs.id}/projects`,
      { token: owner.accessToken, body: { name: 'In their organization' } },
    );
    assert.equal(hidden.status, 404);
  });

  it('shows a created project in the creator’s list in the very next request', async () => {
    const before = await list(owner.accessToken);
    assert.equal(before.status, 200);
    const project = await createProject(app, owner.accessToken);
    const afterCreate = await list(owner.accessToken);
    assert.equal(afterCreate.body.total, before.body.total + 1);
    assert.equal(afterCreate.body.items[0].id, project.id);
  });

  it('rejects a bad body, a bad filter and bad paging with 400 naming the field', async () => {
    const noName = await call<ProblemBody>(app, 'POST', '/api/v1/projects', {
      token: owner.accessToken,
      body: { name: '' },
    });
    assert.equal(noName.status, 400);
    assert.equal(noName.body.errors?.[0].field, 'name');
    const badTemplate = await call<ProblemBody>(app, 'POST', '/api/v1/projects', {
      token: owner.accessToken,
      body: { name: 'x', templateId: 'nope' },
    });
    assert.equal(badTemplate.status, 400);
    assert.equal(badTemplate.body.errors?.[0].field, 'templateId');
    for (const [query, field] of [
      ['?filter=everything', 'filter'],
      ['?page=0', 'page'],
      ['?pageSize=1000', 'pageSize'],
      ['?page=abc', 'page'],
    ]) {
      const response = await call<ProblemBody>(app, 'GET', `/api/v1/projects${query}`, {
        token: owner.accessToken,
      });
      assert.equal(response.status, 400, query);
      assert.equal(response.body.errors?.[0].field, field, query);
    }
  });

  it('pages the list with total', async () => {
    const someone = await registerMember(app);
    for (let index = 0; index < 3; index++) await createProject(app, someone.accessToken);
    const first = await list(someone.accessToken, '?page=1&pageSize=2');
    const second = await list(someone.accessToken, '?page=2&pageSize=2');
    assert.equal(first.body.total, 3);
    assert.equal(first.body.items.length, 2);
    assert.equal(second.body.items.length, 1);
    assert.equal(second.body.page, 2);
    assert.equal(second.body.pageSize, 2);
  });

  it('filters mine, archived, recycled and collected, each item with my role', async () => {
    const someone = await registerMember(app);
    const [active, archived, recycled, collected] = await Promise.all(
      ['active', 'archived', 'recycled', 'collected'].map((name) =>
        createProject(app, someone.accessToken, { name }),
      ),
    );
    const token = someone.accessToken;
    assert.equal(
      (await call(app, 'POST', `/api/v1/projects/${archived.id}/archive`, { token })).status,
      200,
    );
    assert.equal(
      (await call(app, 'DELETE', `/api/v1/projects/${recycled.id}`, { token })).status,
      200,
    );
    const put = await call<ProjectBody>(app, 'PUT', `/api/v1/projects/${collected.id}/collection`, {
      token,
    });
    assert.equal(put.body.collected, true);
    const names = async (filter: string) =>
      (await list(token, `?filter=${filter}`)).body.items.map((item) => item.name).sort();
    assert.deepEqual(await names('mine'), ['active', 'collected']);
    assert.deepEqual(await names('archived'), ['archived']);
    assert.deepEqual(await names('recycled'), ['recycled']);
    assert.deepEqual(await names('collected'), ['collected']);
    const mine = (await list(token)).body.items;
    assert.deepEqual(mine.map((item) => [item.name, item.myRole, item.collected]).sort(), [
      ['active', 'owner', false],
      ['collected', 'owner', true],
    ]);
    assert.equal(active.deleted, false);

    await call(app, 'DELETE', `/api/v1/projects/${collected.id}/collection`, { token });
    assert.deepEqual(await names('collected'), []);
    await call(app, 'POST', `/api/v1/projects/${archived.id}/unarchive`, { token });
    await call(app, 'POST', `/api/v1/projects/${recycled.id}/restore`, { token });
    assert.deepEqual(await names('mine'), ['active', 'archived', 'collected', 'recycled']);
  });

  it('reads and updates a project, and shows the change to every member at once', async () => {
    const project = await sharedProject();
    const memberList = await list(member.accessToken);
    assert.ok(memberList.body.items.some((item) => item.id === project.id));
    const changed = await call<ProjectBody & { description: string; schedule: number }>(
      app,
      'PATCH',
      `/api/v1/projects/${project.id}`,
      { token: owner.accessToken, body: { name: 'Renamed', description: 'new', schedule: 40 } },
    );
    assert.equal(changed.status, 200);
    assert.equal(changed.body.name, 'Renamed');
    assert.equal(changed.body.schedule, 40);
    const seen = await call<ProjectBody>(app, 'GET', `/api/v1/projects/${project.id}`, {
      token: member.accessToken,
    });
    assert.equal(seen.body.name, 'Renamed');
    assert.equal(seen.body.myRole, 'member');
    const again = await list(member.accessToken);
    assert.equal(again.body.items.find((item) => item.id === project.id)?.name, 'Renamed');
  });

  it('keeps the project settings, validates the prefix, and computes the schedule from the tasks when asked', async () => {
    const template = await systemTemplate(app, owner.accessToken);
    const project = await createProject(app, owner.accessToken, { templateId: template.id });
    type Settings = ProjectView;
    const patch = (body: Record<string, unknown>) =>
      call<Settings & ProblemBody>(app, 'PATCH', `/api/v1/projects/${project.id}`, {
        token: owner.accessToken,
        body,
      });
    const read = async () =>
      (
        await call<Settings>(app, 'GET', `/api/v1/projects/${project.id}`, {
          token: owner.accessToken,
        })
      ).body;
    const fresh = await read();
    assert.deepEqual(
      [
        fresh.autoUpdateSchedule,
        fresh.private,
        fresh.prefix,
        fresh.openPrefix,
        fresh.openBeginTime,
      ],
      [false, true, null, false, false],
    );
    const changed = await patch({
      private: false,
      prefix: 'Ms',
      openPrefix: true,
      openBeginTime: true,
      autoUpdateSchedule: true,
      schedule: 70,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(
      [
        changed.body.private,
        changed.body.prefix,
        changed.body.openPrefix,
        changed.body.openBeginTime,
      ],
      [false, 'Ms', true, true],
    );
    assert.equal(changed.body.schedule, 0, 'computed: no tasks yet');

    const stages = await call<PageBody<{ id: string }>>(
      app,
      'GET',
      `/api/v1/projects/${project.id}/stages`,
      { token: owner.accessToken },
    );
    const made: string[] = [];
    for (let index = 0; index < 3; index++) {
      made.push((await createTask(app, owner.accessToken, project.id, stages.body.items[0].id)).id);
    }
    const done = await call(app, 'POST', `/api/v1/tasks/${made[0]}/done`, {
      token: owner.accessToken,
    });
    assert.ok(done.status < 300, JSON.stringify(done.body));
    assert.equal((await read()).schedule, 33);
    const listed = await call<PageBody<Settings>>(app, 'GET', '/api/v1/projects', {
      token: owner.accessToken,
    });
    assert.equal(listed.body.items.find((item) => item.id === project.id)?.schedule, 33);

    for (const [body, field] of [
      [{ prefix: 'M' }, 'prefix'],
      [{ prefix: 'M1' }, 'prefix'],
      [{ prefix: 'ABCDEFG' }, 'prefix'],
      [{ openPrefix: 'yes' }, 'openPrefix'],
      [{ private: 1 }, 'private'],
    ] as const) {
      const refused = await patch(body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.errors?.[0].field, field);
    }
    assert.equal((await read()).prefix, 'Ms', 'nothing changed');
    const manual = await patch({ autoUpdateSchedule: false, prefix: '' });
    assert.deepEqual([manual.body.schedule, manual.body.prefix], [70, null]);
  });

  it('hides a project from non-members (404) and keeps owner operations to the owner (403)', async () => {
    const project = await sharedProject();
    const base = `/api/v1/projects/${project.id}`;
    const memberOnly: [string, string, unknown?][] = [
      ['GET', base],
      ['PUT', `${base}/collection`],
      ['DELETE', `${base}/collection`],
      ['GET', `${base}/members`],
    ];
    const ownerOnly: [string, string, unknown?][] = [
      ['PATCH', base, { name: 'x' }],
      ['POST', `${base}/archive`],
      ['POST', `${base}/unarchive`],
      ['DELETE', base],
      ['POST', `${base}/restore`],
      ['POST', `${base}/members`, { memberId: outsider.id }],
      ['DELETE', `${base}/members/${owner.id}`],
    ];
    for (const [method, path, body] of [...memberOnly, ...ownerOnly]) {
      const response = await call<ProblemBody>(app, method, path, {
        token: outsider.accessToken,
        body,
      });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(JSON.stringify(response.body).includes(project.name), false);
    }
    for (const [method, path, body] of ownerOnly) {
      const response = await call(app, method, path, { token: member.accessToken, body });
      assert.equal(response.status, 403, `${method} ${path}`);
    }
    for (const [method, path] of memberOnly) {
      const response = await call(app, method, path, { token: member.accessToken });
      assert.equal(response.status, 200, `${method} ${path}`);
    }
    const garbage = await call(app, 'GET', '/api/v1/projects/not-an-id', {
      token: owner.accessToken,
    });
    assert.equal(garbage.status, 404);
  });

  it('lists, adds and removes members; the owner cannot be removed', async () => {
    const project = await sharedProject();
    const base = `/api/v1/projects/${project.id}/members`;
    const listed = await call<PageBody<{ member: { id: string; name: string }; role: string }>>(
      app,
      'GET',
      base,
      { token: member.accessToken },
    );
    assert.equal(listed.body.total, 2);
    assert.deepEqual(
      listed.body.items.map((item) => [item.member.id, item.role]),
      [
        [owner.id, 'owner'],
        [member.id, 'member'],
      ],
    );
    assert.equal(listed.body.items[1].member.name, member.input.name);
    const twice = await call(app, 'POST', base, {
      token: owner.accessToken,
      body: { memberId: member.id },
    });
    assert.equal(twice.status, 409);
    const unknown = await call<ProblemBody>(app, 'POST', base, {
      token: owner.accessToken,
      body: { memberId: 'zzzzzzzzzz' },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.errors?.[0].field, 'memberId');
    const removeOwner = await call(app, 'DELETE', `${base}/${owner.id}`, {
      token: owner.accessToken,
    });
    assert.equal(removeOwner.status, 409);
    const removed = await call(app, 'DELETE', `${base}/${member.id}`, {
      token: owner.accessToken,
    });
    assert.equal(removed.status, 204);
    const gone = await call(app, 'GET', `/api/v1/projects/${project.id}`, {
      token: member.accessToken,
    });
    assert.equal(gone.status, 404);
    assert.equal(
      (await list(member.accessToken)).body.items.some((item) => item.id === project.id),
      false,
    );
  });

  it('lists templates by scope: all, mine and system, each with its stages', async () => {
    const mine = await sql(
      app,
      'INSERT INTO project_template (name, isSystem, memberId, sort) VALUES (?, 0, ?, 0)',
      ['My template', 0],
    );
    assert.ok(mine);
    const [{ id: memberRowId }] = await sql<{ id: number }>(
      app,
      'SELECT id FROM member WHERE account = ?',
      [owner.input.account],
    );
    await sql(app, 'UPDATE project_template SET memberId = ? WHERE name = ?', [
      memberRowId,
      'My template',
    ]);
    const scope = async (name: string, token = owner.accessToken) =>
      (
        await call<PageBody<{ name: string; isSystem: boolean; stages: string[] }>>(
          app,
          'GET',
          `/api/v1/project-templates?scope=${name}`,
          { token },
        )
      ).body;
    const system = await scope('system');
    assert.equal(system.total, 4);
    assert.ok(system.items.every((item) => item.isSystem && item.stages.length >= 3));
    assert.deepEqual(
      (await scope('mine')).items.map((item) => item.name),
      ['My template'],
    );
    assert.equal((await scope('all')).total, 5);
    assert.equal((await scope('all', member.accessToken)).total, 4);
    assert.equal((await scope('mine', member.accessToken)).total, 0);
    const bad = await call<ProblemBody>(app, 'GET', '/api/v1/project-templates?scope=nope', {
      token: owner.accessToken,
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors?.[0].field, 'scope');
  });

  it('creates from a template all or nothing: a failing stage leaves no row behind', async () => {
    await sql(app, "INSERT INTO project_template (name, isSystem, sort) VALUES ('Broken', 1, 99)");
    const [{ id: templateId }] = await sql<{ id: number }>(
      app,
      "SELECT id FROM project_template WHERE name = 'Broken'",
    );
    await sql(
      app,
      "INSERT INTO project_template_stage (templateId, name, sort) VALUES (?, 'fine', 0), (?, 'explodes', 1)",
      [templateId, templateId],
    );
    // The second stage insert fails inside the transaction, after project and member rows.
    await sql(
      app,
      "CREATE TRIGGER fail_stage BEFORE INSERT ON task_stage FOR EACH ROW IF NEW.name = 'explodes' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'; END IF",
    );
    try {
      const counts = async () =>
        (
          await sql<{ projects: number; members: number; stages: number }>(
            app,
            'SELECT (SELECT COUNT(*) FROM project) projects, (SELECT COUNT(*) FROM project_member) members, (SELECT COUNT(*) FROM task_stage) stages',
          )
        )[0];
      const before = await counts();
      const templates = await call<PageBody<{ id: string; name: string }>>(
        app,
        'GET',
        '/api/v1/project-templates?scope=system&pageSize=100',
        { token: owner.accessToken },
      );
      const broken = templates.body.items.find((item) => item.name === 'Broken')!;
      const response = await call(app, 'POST', '/api/v1/projects', {
        token: owner.accessToken,
        body: { name: 'Doomed', templateId: broken.id },
      });
      assert.equal(response.status, 500);
      assert.deepEqual(await counts(), before);
      assert.equal((await sql(app, "SELECT id FROM project WHERE name = 'Doomed'")).length, 0);
    } finally {
      await sql(app, 'DROP TRIGGER fail_stage');
      await sql(app, 'DELETE FROM project_template_stage WHERE templateId = ?', [templateId]);
      await sql(app, 'DELETE FROM project_template WHERE id = ?', [templateId]);
    }
  });
});
