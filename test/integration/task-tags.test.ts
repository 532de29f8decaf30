import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, grpcClient, rejectsWith, unary } from '../support/grpc-client';
import { apiAs, call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, createTask, sql, type ProblemBody, type TaskBody } from '../support/projects';

interface TagBody {
  id: string;
  projectId: string;
  name: string;
  color: string;
  createdAt: string;
}

type TagRef = Pick<TagBody, 'id' | 'name' | 'color'>;
type TaggedTask = TaskBody & { tags: TagRef[] };

describe("task tags: a project's tags and the tasks carrying them", () => {
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

  /** A project of the owner with the member in it, two tasks, and a tag made by the member. */
  async function tagged() {
    const { project, stages } = await board(app, owner, member);
    const tag = await created<TagBody>(`/projects/${project.id}/task-tags`, member, {
      name: 'Bug',
      color: 'red',
    });
    const tasks = [
      await createTask(app, owner.accessToken, project.id, stages[0].id),
      await createTask(app, owner.accessToken, project.id, stages[0].id),
    ];
    return { project, stages, tag, tasks };
  }

  const tagsOf = async (taskId: string, who = member) =>
    (await rest<{ items: TagRef[] }>('GET', `/tasks/${taskId}/tags`, who)).body.items;
  const tasksOf = async (tagId: string, who = member, query = '') =>
    (
      await rest<{ items: TaggedTask[]; total: number; page: number }>(
        'GET',
        `/task-tags/${tagId}/tasks${query}`,
        who,
      )
    ).body;
  const put = (taskId: string, tagId: string, who = member) =>
    rest<{ items: TagRef[] }>('PUT', `/tasks/${taskId}/tags/${tagId}`, who);

  /** A tag's row id and how many tasks carry it, read in the database. */
  async function stored(name: string) {
    const [row] = await sql<{ id: number }>(app, 'SELECT id FROM task_tag WHERE name = ?', [name]);
    const id = Number(row?.id ?? 0);
    const [links] = await sql<{ n: number }>(
      app,
      'SELECT COUNT(*) AS n FROM task_to_tag WHERE tagId = ?',
      [id],
    );
    return { id, links: Number(links.n) };
  }

  it('lists, creates, edits and deletes the tags of a project, oldest first', async () => {
    const { project, tag } = await tagged();
    assert.deepEqual([tag.name, tag.color, tag.projectId], ['Bug', 'red', project.id]);
    const second = await created<TagBody>(`/projects/${project.id}/task-tags`, owner, {
      name: 'Feature',
    });
    assert.equal(second.color, 'blue', 'blue when no colour is given');
    const listed = await rest<{ items: TagBody[] }>(
      'GET',
      `/projects/${project.id}/task-tags`,
      owner,
    );
    assert.deepEqual(
      listed.body.items.map((item) => item.name),
      ['Bug', 'Feature'],
    );
    const edited = await rest<TagBody>('PATCH', `/task-tags/${second.id}`, member, {
      name: 'Story',
      color: '#1890FF',
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual([edited.body.name, edited.body.color], ['Story', '#1890ff']);
    assert.equal((await rest('DELETE', `/task-tags/${second.id}`, member)).status, 204);
    assert.equal(
      (await rest('PATCH', `/task-tags/${second.id}`, member, { name: 'x' })).status,
      404,
    );
    const left = await rest<{ items: TagBody[] }>(
      'GET',
      `/projects/${project.id}/task-tags`,
      owner,
    );
    assert.deepEqual(
      left.body.items.map((item) => item.id),
      [tag.id],
    );
  });

  it('keeps names unique in a project whatever their case, not across projects', async () => {
    const { project, tag } = await tagged();
    for (const name of ['Bug', 'bug', ' BUG ']) {
      const taken = await rest<ProblemBody>('POST', `/projects/${project.id}/task-tags`, member, {
        name,
      });
      assert.equal(taken.status, 409, name);
      assert.equal(taken.body.errors?.[0].field, 'name');
    }
    const other = await created<TagBody>(`/projects/${project.id}/task-tags`, member, {
      name: 'Docs',
    });
    const renamed = await rest<ProblemBody>('PATCH', `/task-tags/${other.id}`, member, {
      name: 'BUG',
    });
    assert.equal(renamed.status, 409);
    // Its own name in another case is no clash.
    const recased = await rest<TagBody>('PATCH', `/task-tags/${tag.id}`, member, { name: 'BUG' });
    assert.equal(recased.status, 200, JSON.stringify(recased.body));
    const elsewhere = await board(app, owner, member);
    await created<TagBody>(`/projects/${elsewhere.project.id}/task-tags`, member, { name: 'Bug' });
  });

  it('refuses a bad name or colour, naming the field, and changes nothing', async () => {
    const { project, tag } = await tagged();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(31) }, 'name'],
      [{ name: 'Ok', color: 'pink' }, 'color'],
      [{ name: 'Ok', color: '#12345' }, 'color'],
      [{ name: 'Ok', color: 'red; drop' }, 'color'],
      [{ name: 'Ok', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const refused = await rest<ProblemBody>(
        'POST',
        `/projects/${project.id}/task-tags`,
        member,
        body,
      );
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.ok(
        refused.body.errors?.some((error) => error.field === field),
        `${JSON.stringify(body)}: ${JSON.stringify(refused.body)}`,
      );
    }
    const empty = await rest<ProblemBody>('PATCH', `/task-tags/${tag.id}`, member, {});
    assert.equal(empty.status, 400);
    const badColour = await rest<ProblemBody>('PATCH', `/task-tags/${tag.id}`, member, {
      color: 'teal',
    });
    assert.equal(badColour.status, 400);
    const listed = await rest<{ items: TagBody[] }>(
      'GET',
      `/projects/${project.id}/task-tags`,
      owner,
    );
    assert.deepEqual(
      listed.body.items.map((item) => [item.name, item.color]),
      [['Bug', 'red']],
    );
  });

  it('puts tags on tasks and takes them off; tasks show their tags and a tag lists its tasks', async () => {
    const { project, stages, tag, tasks } = await tagged();
    const docs = await created<TagBody>(`/projects/${project.id}/task-tags`, owner, {
      name: 'Docs',
      color: 'green',
    });
    const first = await put(tasks[0].id, tag.id);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body.items, [{ id: tag.id, name: 'Bug', color: 'red' }]);
    // Again changes nothing.
    assert.equal((await put(tasks[0].id, tag.id)).body.items.length, 1);
    await put(tasks[0].id, docs.id, owner);
    await put(tasks[1].id, tag.id, owner);
    assert.deepEqual(
      (await tagsOf(tasks[0].id)).map((item) => item.name),
      ['Bug', 'Docs'],
    );

    // The task itself, on the board and read alone, shows them.
    const read = await rest<TaggedTask>('GET', `/tasks/${tasks[0].id}`, member);
    assert.deepEqual(
      read.body.tags.map((item) => item.name),
      ['Bug', 'Docs'],
    );
    const stage = await rest<{ items: TaggedTask[] }>(
      'GET',
      `/stages/${stages[0].id}/tasks`,
      owner,
    );
    const card = stage.body.items.find((item) => item.id === tasks[1].id)!;
    assert.deepEqual(card.tags, [{ id: tag.id, name: 'Bug', color: 'red' }]);

    // A tag's tasks: newest first, a page at a time.
    const page = await tasksOf(tag.id);
    assert.deepEqual(
      [page.total, page.items.map((item) => item.id)],
      [2, [tasks[1].id, tasks[0].id]],
    );
    const second = await tasksOf(tag.id, member, '?page=2&pageSize=1');
    assert.deepEqual(
      [second.total, second.page, second.items.map((item) => item.id)],
      [2, 2, [tasks[0].id]],
    );

    assert.equal(
      (await rest('DELETE', `/tasks/${tasks[0].id}/tags/${tag.id}`, member)).status,
      204,
    );
    // Again changes nothing.
    assert.equal(
      (await rest('DELETE', `/tasks/${tasks[0].id}/tags/${tag.id}`, member)).status,
      204,
    );
    assert.deepEqual(
      (await tagsOf(tasks[0].id)).map((item) => item.name),
      ['Docs'],
    );
    assert.deepEqual(
      (await tasksOf(tag.id)).items.map((item) => item.id),
      [tasks[1].id],
    );
  });

  it('takes a deleted tag off every task', async () => {
    const { project, tasks } = await tagged();
    const name = `Gone ${Math.random().toString(36).slice(2, 10)}`;
    const tag = await created<TagBody>(`/projects/${project.id}/task-tags`, member, { name });
    await put(tasks[0].id, tag.id);
    await put(tasks[1].id, tag.id);
    const { id } = await stored(name);
    assert.equal((await rest('DELETE', `/task-tags/${tag.id}`, owner)).status, 204);
    const [left] = await sql<{ n: number }>(
      app,
      'SELECT COUNT(*) AS n FROM task_to_tag WHERE tagId = ?',
      [id],
    );
    assert.equal(Number(left.n), 0);
    assert.deepEqual(await tagsOf(tasks[0].id), []);
    assert.deepEqual(await tagsOf(tasks[1].id), []);
    assert.equal((await rest('GET', `/task-tags/${tag.id}/tasks`, member)).status, 404);
  });

  it("puts a tag on its own project's tasks only: another project's tag is not found", async () => {
    const { tag, tasks } = await tagged();
    const other = await tagged();
    const foreign = await put(tasks[0].id, other.tag.id);
    assert.equal(foreign.status, 404, JSON.stringify(foreign.body));
    assert.equal(
      (await rest('DELETE', `/tasks/${tasks[0].id}/tags/${other.tag.id}`, member)).status,
      404,
    );
    assert.deepEqual(await tagsOf(tasks[0].id), []);
    // A task id where a tag id belongs is no tag.
    assert.equal((await put(tasks[0].id, tasks[1].id)).status, 404);
    assert.equal((await put(other.tasks[0].id, tag.id)).status, 404);
  });

  it('is not found for members of other projects, hides private tasks, and refuses writes in a recycled project', async () => {
    const { project, stages, tag, tasks } = await tagged();
    await put(tasks[0].id, tag.id);
    for (const [method, path] of [
      ['GET', `/projects/${project.id}/task-tags`],
      ['POST', `/projects/${project.id}/task-tags`],
      ['PATCH', `/task-tags/${tag.id}`],
      ['DELETE', `/task-tags/${tag.id}`],
      ['GET', `/task-tags/${tag.id}/tasks`],
      ['GET', `/tasks/${tasks[0].id}/tags`],
      ['PUT', `/tasks/${tasks[0].id}/tags/${tag.id}`],
      ['DELETE', `/tasks/${tasks[0].id}/tags/${tag.id}`],
    ]) {
      const body = method === 'POST' || method === 'PATCH' ? { name: 'Mine' } : undefined;
      const refused = await rest(method, path, outsider, body);
      assert.equal(refused.status, 404, `${method} ${path}`);
    }
    assert.equal((await call(app, 'GET', `/api/v1/task-tags/${tag.id}/tasks`)).status, 401);

    // A private task of the owner's: the member neither sees it in the tag's list nor tags it.
    const hidden = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const made = await rest('PATCH', `/tasks/${hidden.id}`, owner, { private: true });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    await put(hidden.id, tag.id, owner);
    assert.deepEqual(
      (await tasksOf(tag.id, owner)).items.map((item) => item.id),
      [hidden.id, tasks[0].id],
    );
    const seen = await tasksOf(tag.id, member);
    assert.deepEqual([seen.total, seen.items.map((item) => item.id)], [1, [tasks[0].id]]);
    assert.equal((await put(hidden.id, tag.id)).status, 404);
    assert.equal((await rest('GET', `/tasks/${hidden.id}/tags`, member)).status, 404);

    assert.equal((await rest('DELETE', `/projects/${project.id}`, owner)).status, 200);
    for (const [method, path, body] of [
      ['POST', `/projects/${project.id}/task-tags`, { name: 'Late' }],
      ['PATCH', `/task-tags/${tag.id}`, { name: 'Late' }],
      ['DELETE', `/task-tags/${tag.id}`, undefined],
    ] as const) {
      assert.equal((await rest(method, path, member, body)).status, 409, `${method} ${path}`);
    }
    // Read as before.
    assert.equal((await rest('GET', `/projects/${project.id}/task-tags`, member)).status, 200);
  });

  it('goes with its tasks deleted for good and with its project deleted for good', async () => {
    const { project, tasks } = await tagged();
    const name = `Purge ${Math.random().toString(36).slice(2, 10)}`;
    const tag = await created<TagBody>(`/projects/${project.id}/task-tags`, member, { name });
    await put(tasks[0].id, tag.id);
    await put(tasks[1].id, tag.id);
    assert.equal((await stored(name)).links, 2);

    // A recycled task deleted for good takes its links with it.
    assert.equal((await rest('POST', `/tasks/${tasks[0].id}/recycle`, owner)).status, 200);
    assert.deepEqual(
      (await tasksOf(tag.id)).items.map((item) => item.id),
      [tasks[1].id],
      'a recycled task is off the list',
    );
    assert.deepEqual(
      (await tagsOf(tasks[0].id)).map((item) => item.id),
      [tag.id],
      'it keeps its tags in the bin',
    );
    assert.equal((await rest('DELETE', `/tasks/${tasks[0].id}`, owner)).status, 204);
    assert.equal((await stored(name)).links, 1);

    // The project deleted for good: its tags and their links go.
    const tagId = (await stored(name)).id;
    assert.ok(tagId > 0);
    assert.equal((await rest('DELETE', `/projects/${project.id}`, owner)).status, 200);
    const purged = await rest('POST', `/projects/${project.id}/purge`, owner);
    assert.ok(purged.status < 300, JSON.stringify(purged.body));
    const left = await sql<{ tags: number; links: number }>(
      app,
      'SELECT (SELECT COUNT(*) FROM task_tag WHERE id = ?) AS tags, (SELECT COUNT(*) FROM task_to_tag WHERE tagId = ?) AS links',
      [tagId, tagId],
    );
    assert.deepEqual([Number(left[0].tags), Number(left[0].links)], [0, 0]);
    assert.equal((await rest('GET', `/task-tags/${tag.id}/tasks`, owner)).status, 404);
  });

  it('offers the same over gRPC, with the same rules', async () => {
    const { project, tasks } = await tagged();
    const service = grpcClient(
      app.grpcAddress,
      'project/v1/project.proto',
      'msproject.project.v1.TaskTagService',
    );
    try {
      const rpc = <T>(method: string, request: object, who = member) =>
        unary<object, T>(service, method, request, bearer(who.accessToken));
      const tag = await rpc<TagBody>('CreateTaskTag', { projectId: project.id, name: 'Over gRPC' });
      assert.equal(tag.color, 'blue');
      const listed = await rpc<{ items: TagBody[] }>('ListTaskTags', { projectId: project.id });
      assert.deepEqual(
        listed.items.map((item) => item.name),
        ['Bug', 'Over gRPC'],
      );
      const edited = await rpc<TagBody>('UpdateTaskTag', { id: tag.id, color: 'purple' });
      assert.deepEqual([edited.name, edited.color], ['Over gRPC', 'purple']);
      const carried = await rpc<{ items: TagRef[] }>('TagTask', {
        taskId: tasks[0].id,
        tagId: tag.id,
      });
      assert.deepEqual(carried.items, [{ id: tag.id, name: 'Over gRPC', color: 'purple' }]);
      const ofTask = await rpc<{ items: TagRef[] }>('ListTagsOfTask', { taskId: tasks[0].id });
      assert.deepEqual(
        ofTask.items.map((item) => item.id),
        [tag.id],
      );
      const page = await rpc<{ items: TaggedTask[]; total: number }>('ListTaggedTasks', {
        tagId: tag.id,
      });
      assert.equal(page.total, 1);
      assert.deepEqual(
        page.items[0].tags.map((item) => item.name),
        ['Over gRPC'],
      );
      await rpc('UntagTask', { taskId: tasks[0].id, tagId: tag.id });
      assert.deepEqual(await tagsOf(tasks[0].id), []);
      await assert.rejects(
        rpc('CreateTaskTag', { projectId: project.id, name: 'over grpc' }),
        rejectsWith(status.ALREADY_EXISTS, 'name'),
      );
      await assert.rejects(
        rpc('UpdateTaskTag', { id: tag.id, color: 'pink' }),
        rejectsWith(status.INVALID_ARGUMENT, 'color'),
      );
      await assert.rejects(
        rpc('ListTaskTags', { projectId: project.id }, outsider),
        rejectsWith(status.NOT_FOUND),
      );
      const other = await tagged();
      await assert.rejects(
        rpc('TagTask', { taskId: tasks[0].id, tagId: other.tag.id }),
        rejectsWith(status.NOT_FOUND),
      );
      await rpc('DeleteTaskTag', { id: tag.id });
      assert.equal((await rest('GET', `/task-tags/${tag.id}/tasks`, member)).status, 404);
    } finally {
      service.close();
    }
  });
});
