import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, grpcClient, rejectsWith, unary } from '../support/grpc-client';
import { apiAs } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, createTask, sql, type ProblemBody, type TaskBody } from '../support/projects';

interface FeatureBody {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
}

interface VersionBody {
  id: string;
  featureId: string;
  featureName: string;
  projectId: string;
  name: string;
  description: string | null;
  status: string;
  startAt: string | null;
  plannedPublishAt: string | null;
  publishedAt: string | null;
  taskCount: number;
  doneTaskCount: number;
  schedule: number;
}

interface LogBody {
  items: { type: string; member: { id: string }; content: string | null; taskNames: string[] }[];
  total: number;
}

describe('versions: version libraries, their versions and the tasks they release', () => {
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
  after(() => app?.close());

  const { rest, created } = apiAs(() => app);

  /** A project of the owner with the member in it, a library, a version and two tasks. */
  async function library() {
    const { project, stages } = await board(app, owner, member);
    const feature = await created<FeatureBody>(`/projects/${project.id}/features`, member, {
      name: 'Mobile app',
      description: 'The app stores',
    });
    const version = await created<VersionBody>(`/features/${feature.id}/versions`, member, {
      name: '1.0',
      startAt: '2026-05-01T08:00:00Z',
      plannedPublishAt: '2026-06-01T08:00:00Z',
    });
    const tasks = [
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
    ];
    return { project, stages, feature, version, tasks };
  }

  const getVersion = async (id: string, who = member) =>
    (await rest<VersionBody>('GET', `/versions/${id}`, who)).body;
  const versionTasks = async (id: string, who = member) =>
    (await rest<{ items: TaskBody[] }>('GET', `/versions/${id}/tasks`, who)).body.items;
  const log = async (id: string, who = member) =>
    (await rest<LogBody>('GET', `/versions/${id}/log?pageSize=50`, who)).body;

  it('lists, creates, renames and deletes a project member’s version libraries', async () => {
    const { project, feature } = await library();
    const second = await created<FeatureBody>(`/projects/${project.id}/features`, owner, {
      name: 'Web',
    });
    const listed = await rest<{ items: FeatureBody[] }>(
      'GET',
      `/projects/${project.id}/features`,
      member,
    );
    assert.deepEqual(
      listed.body.items.map((item) => item.name),
      ['Web', 'Mobile app'],
    );
    assert.equal(listed.body.items[1].description, 'The app stores');
    const renamed = await rest<FeatureBody>('PATCH', `/features/${feature.id}`, member, {
      name: 'Phones',
      description: null,
    });
    assert.equal(renamed.status, 200);
    assert.deepEqual([renamed.body.name, renamed.body.description], ['Phones', null]);
    const taken = await rest<ProblemBody>('PATCH', `/features/${second.id}`, member, {
      name: 'Phones',
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.errors?.[0].field, 'name');
    assert.equal((await rest('DELETE', `/features/${second.id}`, member)).status, 204);
    assert.equal((await rest('GET', `/features/${second.id}/versions`, member)).status, 404);
  });

  it('keeps version names unique within a library, not across libraries', async () => {
    const { project, feature } = await library();
    const again = await rest<ProblemBody>('POST', `/features/${feature.id}/versions`, member, {
      name: '1.0',
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.errors?.[0].field, 'name');
    const other = await created<FeatureBody>(`/projects/${project.id}/features`, member, {
      name: 'Desktop',
    });
    await created<VersionBody>(`/features/${other.id}/versions`, member, { name: '1.0' });
    const versions = await rest<{ items: VersionBody[] }>(
      'GET',
      `/features/${feature.id}/versions`,
      owner,
    );
    assert.deepEqual(
      versions.body.items.map((version) => version.name),
      ['1.0'],
    );
  });

  it('counts progress from its done tasks, moves a task between versions and unlinks on delete', async () => {
    const { feature, version, tasks } = await library();
    assert.equal(version.schedule, 0);
    const added = await rest<{ added: number }>('POST', `/versions/${version.id}/tasks`, member, {
      taskIds: [tasks[0].id, tasks[1].id],
    });
    assert.deepEqual([added.status, added.body], [200, { added: 2 }]);
    const done = await rest('POST', `/tasks/${tasks[0].id}/done`, owner);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const half = await getVersion(version.id);
    assert.deepEqual([half.taskCount, half.doneTaskCount, half.schedule], [2, 1, 50]);

    // A task is in one version at most: adding it to another moves it.
    const next = await created<VersionBody>(`/features/${feature.id}/versions`, member, {
      name: '1.1',
    });
    const moved = await rest<{ added: number }>('POST', `/versions/${next.id}/tasks`, owner, {
      taskIds: [tasks[1].id],
    });
    assert.deepEqual(moved.body, { added: 1 });
    assert.deepEqual(
      (await versionTasks(version.id)).map((task) => task.id),
      [tasks[0].id],
    );
    assert.equal((await getVersion(version.id)).schedule, 100);
    assert.deepEqual(
      (await versionTasks(next.id)).map((task) => task.id),
      [tasks[1].id],
    );
    assert.deepEqual(
      (await log(version.id)).items.map((line) => line.type),
      ['taskRemoved', 'tasksAdded', 'created'],
    );

    // Deleting a version unlinks its tasks: they can join another.
    assert.equal((await rest('DELETE', `/versions/${next.id}`, member)).status, 204);
    assert.equal((await rest('GET', `/versions/${next.id}`, member)).status, 404);
    const back = await rest<{ added: number }>('POST', `/versions/${version.id}/tasks`, member, {
      taskIds: [tasks[1].id],
    });
    assert.deepEqual(back.body, { added: 1 });
    assert.equal((await getVersion(version.id)).schedule, 50);

    // Taken out of its version, a task counts no more.
    assert.equal((await rest('DELETE', `/tasks/${tasks[1].id}/version`, member)).status, 204);
    assert.deepEqual([(await getVersion(version.id)).taskCount], [1]);
    const lines = (await log(version.id)).items;
    assert.equal(lines[0].type, 'taskRemoved');
    assert.deepEqual(lines[0].taskNames, [tasks[1].name]);
  });

  it('edits field by field, releases with a time, and writes each change in its history', async () => {
    const { version } = await library();
    const edited = await rest<VersionBody>('PATCH', `/versions/${version.id}`, member, {
      name: '1.0 final',
      description: 'Everything',
      startAt: null,
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual(
      [edited.body.name, edited.body.description, edited.body.startAt],
      ['1.0 final', 'Everything', null],
    );
    assert.equal(edited.body.plannedPublishAt, '2026-06-01T08:00:00.000Z');
    const going = await rest<VersionBody>('PUT', `/versions/${version.id}/status`, owner, {
      status: 'inProgress',
    });
    assert.deepEqual([going.body.status, going.body.publishedAt], ['inProgress', null]);
    const released = await rest<VersionBody>('PUT', `/versions/${version.id}/status`, owner, {
      status: 'released',
      publishedAt: '2026-06-03T10:00:00Z',
    });
    assert.deepEqual(
      [released.body.status, released.body.publishedAt],
      ['released', '2026-06-03T10:00:00.000Z'],
    );
    // The release time alone is corrected; the status stays.
    const corrected = await rest<VersionBody>('PUT', `/versions/${version.id}/status`, owner, {
      publishedAt: '2026-06-04T10:00:00Z',
    });
    assert.deepEqual(
      [corrected.body.status, corrected.body.publishedAt],
      ['released', '2026-06-04T10:00:00.000Z'],
    );
    const history = await log(version.id);
    assert.deepEqual(
      history.items.map((line) => [line.type, line.content]),
      [
        ['released', '2026-06-04T10:00:00.000Z'],
        ['released', '2026-06-03T10:00:00.000Z'],
        ['statusChanged', 'inProgress'],
        ['startCleared', null],
        ['describedAs', 'Everything'],
        ['renamed', '1.0 final'],
        ['created', '1.0'],
      ],
    );
    assert.equal(history.items[0].member.id, owner.id);
    assert.equal(history.items[6].member.id, member.id);
  });

  it('refuses bad input naming the field, changing nothing', async () => {
    const { version, tasks } = await library();
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['PUT', `/versions/${version.id}/status`, { status: 'shipped' }, 'status'],
      [
        'PUT',
        `/versions/${version.id}/status`,
        { status: 'delayed', publishedAt: '2026-06-03T10:00:00Z' },
        'publishedAt',
      ],
      ['PATCH', `/versions/${version.id}`, { name: '' }, 'name'],
      ['PATCH', `/versions/${version.id}`, { startAt: 'tomorrow' }, 'startAt'],
      ['POST', `/versions/${version.id}/tasks`, { taskIds: [] }, 'taskIds'],
    ];
    for (const [method, path, body, field] of cases) {
      const refused = await rest<ProblemBody>(method, path, member, body);
      assert.equal(refused.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
      assert.equal(refused.body.errors?.[0].field, field);
    }
    // A task of another project is no task of this version's.
    const elsewhere = await board(app, member, owner);
    const foreign = await createTask(
      app,
      member.accessToken,
      elsewhere.project.id,
      elsewhere.stages[0].id,
    );
    const mixed = await rest<ProblemBody>('POST', `/versions/${version.id}/tasks`, member, {
      taskIds: [tasks[0].id, foreign.id],
    });
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.errors?.[0].field, 'taskIds');
    const unchanged = await getVersion(version.id);
    assert.deepEqual(
      [unchanged.name, unchanged.status, unchanged.taskCount],
      ['1.0', 'notStarted', 0],
    );
    assert.deepEqual(
      (await log(version.id)).items.map((line) => line.type),
      ['created'],
    );
  });

  it('is not found for members of other projects, and refuses writes in a recycled project', async () => {
    const { project, feature, version, tasks } = await library();
    for (const [method, path] of [
      ['GET', `/projects/${project.id}/features`],
      ['GET', `/features/${feature.id}/versions`],
      ['GET', `/versions/${version.id}`],
      ['GET', `/versions/${version.id}/log`],
      ['GET', `/versions/${version.id}/tasks`],
      ['PATCH', `/versions/${version.id}`],
      ['DELETE', `/features/${feature.id}`],
      ['DELETE', `/tasks/${tasks[0].id}/version`],
    ]) {
      const refused = await rest(
        method,
        path,
        outsider,
        method === 'PATCH' ? { name: 'x' } : undefined,
      );
      assert.equal(refused.status, 404, `${method} ${path}`);
    }
    assert.equal((await rest('DELETE', `/projects/${project.id}`, owner)).status, 200);
    const recycled = await rest('POST', `/features/${feature.id}/versions`, member, {
      name: '2.0',
    });
    assert.equal(recycled.status, 409);
    assert.equal((await rest('GET', `/versions/${version.id}`, member)).status, 200);
  });

  it('goes with its project when the project is deleted for good', async () => {
    const { project, feature, version, tasks } = await library();
    await rest('POST', `/versions/${version.id}/tasks`, member, { taskIds: [tasks[0].id] });
    const rows = async () => {
      const counts: number[] = [];
      for (const table of ['project_feature', 'project_version', 'project_version_log']) {
        counts.push(
          Number((await sql<{ n: number }>(app, `SELECT COUNT(*) AS n FROM ${table}`))[0].n),
        );
      }
      return counts;
    };
    const [features, versions, lines] = await rows();
    assert.equal((await rest('DELETE', `/projects/${project.id}`, owner)).status, 200);
    const purged = await rest('POST', `/projects/${project.id}/purge`, owner);
    assert.ok(purged.status < 300, JSON.stringify(purged.body));
    // One library, its version, and the version's two history lines (created, tasks added).
    assert.deepEqual(await rows(), [features - 1, versions - 1, lines - 2]);
    assert.equal((await rest('GET', `/features/${feature.id}/versions`, owner)).status, 404);
    assert.equal((await rest('GET', `/versions/${version.id}`, owner)).status, 404);
  });

  it('deletes a library with its versions; their tasks stay on the board, in no version', async () => {
    const { feature, version, tasks } = await library();
    await rest('POST', `/versions/${version.id}/tasks`, member, { taskIds: [tasks[0].id] });
    assert.equal((await rest('DELETE', `/features/${feature.id}`, owner)).status, 204);
    assert.equal((await rest('GET', `/versions/${version.id}`, member)).status, 404);
    assert.equal((await rest('GET', `/tasks/${tasks[0].id}`, member)).status, 200);
  });

  it('offers the same over gRPC, with the same rules', async () => {
    const { project, tasks } = await library();
    const versions = grpcClient(
      app.grpcAddress,
      'project/v1/project.proto',
      'msproject.project.v1.VersionService',
    );
    try {
      const rpc = <T>(method: string, request: object, who = member) =>
        unary<object, T>(versions, method, request, bearer(who.accessToken));
      const feature = await rpc<FeatureBody>('CreateFeature', {
        projectId: project.id,
        name: 'Over gRPC',
      });
      const listed = await rpc<{ items: FeatureBody[] }>('ListFeatures', {
        projectId: project.id,
      });
      assert.deepEqual(listed.items[0].name, 'Over gRPC');
      const version = await rpc<VersionBody>('CreateVersion', {
        featureId: feature.id,
        name: '0.1',
      });
      const added = await rpc<{ added: number }>('AddVersionTasks', {
        versionId: version.id,
        taskIds: tasks.map((task) => task.id),
      });
      assert.equal(added.added, 2);
      const released = await rpc<VersionBody>('ChangeVersionStatus', {
        id: version.id,
        status: 'released',
      });
      assert.equal(released.status, 'released');
      assert.ok(released.publishedAt);
      const changed = await rpc<VersionBody>('UpdateVersion', {
        id: version.id,
        description: 'Notes',
      });
      assert.equal(changed.description, 'Notes');
      const listedTasks = await rpc<{ items: TaskBody[] }>('ListVersionTasks', {
        versionId: version.id,
      });
      assert.equal(listedTasks.items.length, 2);
      const history = await rpc<LogBody>('ListVersionLog', { versionId: version.id });
      assert.deepEqual(
        history.items.map((line) => line.type),
        ['describedAs', 'released', 'tasksAdded', 'created'],
      );
      await rpc('RemoveTaskFromVersion', { taskId: tasks[0].id });
      assert.equal((await getVersion(version.id)).taskCount, 1);
      await assert.rejects(
        rpc('ChangeVersionStatus', { id: version.id, status: 'shipped' }),
        rejectsWith(status.INVALID_ARGUMENT, 'status'),
      );
      await assert.rejects(
        rpc('GetVersion', { id: version.id }, outsider),
        rejectsWith(status.NOT_FOUND),
      );
      await assert.rejects(
        rpc('CreateVersion', { featureId: feature.id, name: '0.1' }),
        rejectsWith(status.ALREADY_EXISTS, 'name'),
      );
      await rpc('DeleteVersion', { id: version.id });
      await rpc('DeleteFeature', { id: feature.id });
      assert.equal((await rest('GET', `/versions/${version.id}`, member)).status, 404);
    } finally {
      versions.close();
    }
  });
});
