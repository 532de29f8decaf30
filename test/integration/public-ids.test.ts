import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import Redis from 'ioredis';
import { stringify } from 'yaml';
import { IdCodec } from '@/common/id-codec';
import { decodeId } from '@/common/public-id';
import { mergeDeep, startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  createProject,
  projectGrpcClients,
  sql,
  systemTemplate,
  type ProblemBody,
} from '../support/projects';

interface TaskBody {
  id: string;
  stageId: string;
}

/**
 * Ids are sealed per kind: an id of one kind is no id of another, even where both stand for
 * the same number, and an id sealed under another secret is no id at all. Over REST and gRPC,
 * an id the path (or the request's subject) names is 404, one in a body field is 400.
 */
describe('public ids over REST and gRPC', () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let projects: Client;
  let tasks: Client;
  /** A project and one of its tasks whose rows have the same numeric id. */
  let twin: { projectId: string; taskId: string; stageId: string };

  before(async () => {
    app = await startTestApp();
    ({ projects, tasks } = projectGrpcClients(app));
    owner = await registerMember(app);
    // The next project and the next task get the same number.
    const [{ next }] = await sql<{ next: number }>(
      app,
      'SELECT GREATEST((SELECT COALESCE(MAX(`id`), 0) FROM `project`), ' +
        '(SELECT COALESCE(MAX(`id`), 0) FROM `task`)) + 1 AS `next`',
    );
    await sql(app, `ALTER TABLE \`project\` AUTO_INCREMENT = ${Number(next)}`);
    await sql(app, `ALTER TABLE \`task\` AUTO_INCREMENT = ${Number(next)}`);
    const template = await systemTemplate(app, owner.accessToken);
    const project = await createProject(app, owner.accessToken, { templateId: template.id });
    const stages = await call<{ items: { id: string }[] }>(
      app,
      'GET',
      `/api/v1/projects/${project.id}/stages`,
      { token: owner.accessToken },
    );
    const task = await call<TaskBody>(app, 'POST', `/api/v1/projects/${project.id}/tasks`, {
      token: owner.accessToken,
      body: { stageId: stages.body.items[0].id, name: 'Twin' },
    });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    assert.equal(decodeId(task.body.id, 'task'), decodeId(project.id, 'project'));
    twin = { projectId: project.id, taskId: task.body.id, stageId: task.body.stageId };
  });

  after(async () => {
    projects?.close();
    tasks?.close();
    await app?.close();
  });

  const get = <T = ProblemBody>(path: string) =>
    call<T>(app, 'GET', path, { token: owner.accessToken });

  it('answers 404 over REST to a project id used as a task id, and the other way round', async () => {
    assert.equal((await get(`/api/v1/tasks/${twin.taskId}`)).status, 200);
    assert.equal((await get(`/api/v1/projects/${twin.projectId}`)).status, 200);
    for (const path of [
      `/api/v1/tasks/${twin.projectId}`,
      `/api/v1/tasks/${twin.projectId}/activity`,
      `/api/v1/projects/${twin.taskId}`,
      `/api/v1/projects/${twin.taskId}/stages`,
      `/api/v1/stages/${twin.projectId}/tasks`,
    ]) {
      const response = await get(path);
      assert.equal(response.status, 404, `${path}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.code, 'not_found');
    }
  });

  it('answers NOT_FOUND over gRPC to a project id used as a task id, and the other way round', async () => {
    const caller = bearer(owner.accessToken);
    await unary(tasks, 'GetTask', { id: twin.taskId }, caller);
    for (const [client, method, request] of [
      [tasks, 'GetTask', { id: twin.projectId }],
      [tasks, 'ListActivity', { taskId: twin.projectId }],
      [projects, 'GetProject', { id: twin.taskId }],
      [tasks, 'ListStages', { projectId: twin.taskId }],
    ] as const) {
      await assert.rejects(unary(client, method, request, caller), rejectsWith(status.NOT_FOUND));
    }
  });

  it('answers 400 naming the field, over REST and gRPC, to an id of the wrong kind in a body', async () => {
    const created = await call<ProblemBody>(
      app,
      'POST',
      `/api/v1/projects/${twin.projectId}/tasks`,
      { token: owner.accessToken, body: { stageId: twin.projectId, name: 'Misfiled' } },
    );
    assert.equal(created.status, 400);
    assert.deepEqual(created.body.errors, [{ field: 'stageId', message: 'no such id' }]);
    const moved = await call<ProblemBody>(app, 'POST', `/api/v1/tasks/${twin.taskId}/move`, {
      token: owner.accessToken,
      body: { toStageId: twin.stageId, beforeTaskId: twin.projectId },
    });
    assert.equal(moved.status, 400);
    assert.equal(moved.body.errors?.[0].field, 'beforeTaskId');
    await assert.rejects(
      unary(
        tasks,
        'CreateTask',
        { projectId: twin.projectId, stageId: twin.taskId, name: 'Misfiled' },
        bearer(owner.accessToken),
      ),
      rejectsWith(status.INVALID_ARGUMENT, 'stageId'),
    );
    const [{ count }] = await sql<{ count: number }>(
      app,
      "SELECT COUNT(*) AS `count` FROM `task` WHERE `name` = 'Misfiled'",
    );
    assert.equal(Number(count), 0);
  });

  it('answers 404 to a path id with one character changed, or sealed under another secret', async () => {
    const foreign = new IdCodec(randomBytes(32).toString('base64url'));
    const altered = [0, 7, 14, 21].map((position) => {
      const replacement = twin.projectId[position] === 'A' ? 'B' : 'A';
      return twin.projectId.slice(0, position) + replacement + twin.projectId.slice(position + 1);
    });
    const number = decodeId(twin.projectId, 'project');
    for (const id of [...altered, foreign.encode('project', number)]) {
      assert.equal((await get(`/api/v1/projects/${id}`)).status, 404, id);
      await assert.rejects(
        unary(projects, 'GetProject', { id }, bearer(owner.accessToken)),
        rejectsWith(status.NOT_FOUND),
      );
    }
  });

  it('keeps the start key when a reload brings a new ids.secret, and reports a restart required', async () => {
    const secret = app.center.config.ids.secret;
    const reload = (idsSecret: string) =>
      app.center.apply(
        stringify(mergeDeep(app.center.config, { ids: { secret: idsSecret } })),
        'file',
      );
    const attempt = await reload(randomBytes(32).toString('base64url'));
    try {
      assert.equal(attempt.outcome, 'applied');
      assert.deepEqual(attempt.restartRequired, ['ids.secret']);
      const project = await get<{ id: string }>(`/api/v1/projects/${twin.projectId}`);
      assert.equal(project.status, 200);
      assert.equal(project.body.id, twin.projectId);
    } finally {
      assert.equal((await reload(secret)).outcome, 'applied');
    }
  });

  it('seals member ids read from the profile cache again: a cached one may predate the key', async () => {
    assert.equal((await get('/api/v1/me')).status, 200);
    const redis = new Redis({ host: '127.0.0.1', port: 6379, keyPrefix: `${app.database}:` });
    try {
      const key = `member:profile:${decodeId(owner.id, 'member')}`;
      const cached = JSON.parse((await redis.get(key))!) as Record<string, unknown>;
      await redis.set(key, JSON.stringify({ ...cached, id: 'sealed-under-an-old-key' }), 'EX', 60);
      const me = await get<{ id: string }>('/api/v1/me');
      assert.equal(me.body.id, owner.id);
    } finally {
      redis.disconnect();
    }
  });
});
