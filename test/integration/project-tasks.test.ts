import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  board as boardOf,
  createProject,
  recountActivityFeeds,
  sql,
  type PageBody,
  type ProblemBody,
  type StageBody,
} from '../support/projects';

interface TaskBody {
  id: string;
  name: string;
  number: number;
  sort: number;
  stageId: string;
  done: boolean;
  creator: { id: string };
  assignee: { id: string; name: string } | null;
}

interface ActivityBody {
  id: string;
  type: string;
  isComment: boolean;
  content: string;
  member: { id: string };
  toMember: { id: string } | null;
}

describe('stages, tasks and activity over REST', () => {
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

  /** A project of `owner` (with `member`) on a template's stages. */
  const board = () => boardOf(app, owner, member);

  async function newTask(
    projectId: string,
    stageId: string,
    extra: Record<string, unknown> = {},
    token = owner.accessToken,
  ): Promise<TaskBody> {
    const response = await call<TaskBody>(app, 'POST', `/api/v1/projects/${projectId}/tasks`, {
      token,
      body: { stageId, name: `task ${Math.random().toString(36).slice(2, 7)}`, ...extra },
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  const tasksOf = async (stageId: string) =>
    (
      await call<PageBody<TaskBody>>(app, 'GET', `/api/v1/stages/${stageId}/tasks?pageSize=100`, {
        token: owner.accessToken,
      })
    ).body.items;

  it('creates tasks numbered per project at the end of the stage, 65536 apart', async () => {
    const { project, stages } = await board();
    const first = await newTask(project.id, stages[0].id);
    const second = await newTask(project.id, stages[0].id, { assigneeId: member.id });
    assert.deepEqual([first.number, second.number], [1, 2]);
    assert.deepEqual([first.sort, second.sort], [65536, 131072]);
    assert.equal(second.assignee?.id, member.id);
    assert.equal(second.assignee?.name, member.input.name);
    assert.deepEqual(
      (await tasksOf(stages[0].id)).map((task) => task.id),
      [first.id, second.id],
    );
    const outside = await call<ProblemBody>(app, 'POST', `/api/v1/projects/${project.id}/tasks`, {
      token: owner.accessToken,
      body: { stageId: stages[0].id, name: 'x', assigneeId: outsider.id },
    });
    assert.equal(outside.status, 400);
    assert.equal(outside.body.errors?.[0].field, 'assigneeId');
    const noName = await call<ProblemBody>(app, 'POST', `/api/v1/projects/${project.id}/tasks`, {
      token: owner.accessToken,
      body: { stageId: stages[0].id, name: ' ' },
    });
    assert.equal(noName.body.errors?.[0].field, 'name');
  });

  it('moves a task in front of another, to the end, and across stages, with activity', async () => {
    const { project, stages } = await board();
    const [a, b, c] = [
      await newTask(project.id, stages[0].id),
      await newTask(project.id, stages[0].id),
      await newTask(project.id, stages[0].id),
    ];
    const moved = await call<TaskBody>(app, 'POST', `/api/v1/tasks/${c.id}/move`, {
      token: member.accessToken,
      body: { toStageId: stages[0].id, beforeTaskId: a.id },
    });
    assert.equal(moved.status, 200);
    assert.deepEqual(
      (await tasksOf(stages[0].id)).map((task) => task.id),
      [c.id, a.id, b.id],
    );
    await call(app, 'POST', `/api/v1/tasks/${c.id}/move`, {
      token: member.accessToken,
      body: { toStageId: stages[0].id },
    });
    assert.deepEqual(
      (await tasksOf(stages[0].id)).map((task) => task.id),
      [a.id, b.id, c.id],
    );
    await call(app, 'POST', `/api/v1/tasks/${a.id}/move`, {
      token: member.accessToken,
      body: { toStageId: stages[1].id },
    });
    assert.deepEqual(
      (await tasksOf(stages[1].id)).map((task) => task.id),
      [a.id],
    );
    const activity = await call<PageBody<ActivityBody>>(
      app,
      'GET',
      `/api/v1/tasks/${a.id}/activity`,
      { token: owner.accessToken },
    );
    assert.deepEqual(
      activity.body.items.map((entry) => entry.type),
      ['move', 'create'],
    );
    assert.match(activity.body.items[0].content, new RegExp(stages[1].name));
    const wrongBefore = await call<ProblemBody>(app, 'POST', `/api/v1/tasks/${b.id}/move`, {
      token: owner.accessToken,
      body: { toStageId: stages[2].id, beforeTaskId: c.id },
    });
    assert.equal(wrongBefore.status, 400);
    assert.equal(wrongBefore.body.errors?.[0].field, 'beforeTaskId');
  });

  it('leaves a strict, duplicate-free order after 20 concurrent moves into one stage', async () => {
    const { project, stages } = await board();
    const anchor = await newTask(project.id, stages[1].id);
    const movers: TaskBody[] = [];
    for (let index = 0; index < 20; index++) movers.push(await newTask(project.id, stages[0].id));
    const responses = await Promise.all(
      movers.map((task, index) =>
        call(app, 'POST', `/api/v1/tasks/${task.id}/move`, {
          token: index % 2 ? member.accessToken : owner.accessToken,
          // Half append, half squeeze in front of the anchor: both fight over the same gaps.
          body:
            index % 2
              ? { toStageId: stages[1].id, beforeTaskId: anchor.id }
              : { toStageId: stages[1].id },
        }),
      ),
    );
    assert.deepEqual(
      responses.map((response) => response.status),
      movers.map(() => 200),
    );
    const listed = await tasksOf(stages[1].id);
    assert.equal(listed.length, 21);
    const sorts = listed.map((task) => task.sort);
    assert.equal(new Set(sorts).size, 21, 'no duplicate sort');
    assert.deepEqual(
      sorts,
      [...sorts].sort((x, y) => x - y),
    );
    assert.ok(sorts.every((sort) => sort > 0));
    // Every squeezed task landed before the anchor, every appended one after it.
    const anchorIndex = listed.findIndex((task) => task.id === anchor.id);
    const squeezed = new Set(movers.filter((_, index) => index % 2).map((task) => task.id));
    assert.ok(listed.slice(0, anchorIndex).every((task) => squeezed.has(task.id)));
    assert.equal(anchorIndex, 10);
  });

  it('renumbers the stage when the gap runs out, keeping the order', async () => {
    const { project, stages } = await board();
    const anchor = await newTask(project.id, stages[1].id);
    const head = await newTask(project.id, stages[1].id);
    await call(app, 'POST', `/api/v1/tasks/${head.id}/move`, {
      token: owner.accessToken,
      body: { toStageId: stages[1].id, beforeTaskId: anchor.id },
    });
    // Each move lands right before the anchor and halves the gap: 65536 runs out after 16.
    const expected = [head.id];
    for (let index = 0; index < 20; index++) {
      const task = await newTask(project.id, stages[0].id);
      const response = await call<TaskBody>(app, 'POST', `/api/v1/tasks/${task.id}/move`, {
        token: owner.accessToken,
        body: { toStageId: stages[1].id, beforeTaskId: anchor.id },
      });
      assert.equal(response.status, 200);
      expected.push(task.id);
    }
    expected.push(anchor.id);
    const listed = await tasksOf(stages[1].id);
    assert.deepEqual(
      listed.map((task) => task.id),
      expected,
    );
    const sorts = listed.map((task) => task.sort);
    assert.equal(new Set(sorts).size, sorts.length);
    // After a renumbering the stage is spread out again: the head sits at a step boundary.
    assert.equal(sorts[0] % 65536, 0);
  });

  it('marks done and undone with activity, and lists my tasks by view and done flag', async () => {
    const { project, stages } = await board();
    // A member of this project only, so that the views hold this test's tasks alone.
    const member = await registerMember(app);
    await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
      token: owner.accessToken,
      body: { memberId: member.id },
    });
    const assigned = await newTask(project.id, stages[0].id, { assigneeId: member.id });
    const created = await newTask(project.id, stages[0].id, {}, member.accessToken);
    const participating = await newTask(project.id, stages[0].id);
    await call(app, 'POST', `/api/v1/tasks/${participating.id}/members`, {
      token: owner.accessToken,
      body: { memberId: member.id },
    });
    const done = await call<TaskBody>(app, 'POST', `/api/v1/tasks/${assigned.id}/done`, {
      token: member.accessToken,
    });
    assert.equal(done.body.done, true);
    const mine = async (query: string) =>
      (
        await call<PageBody<TaskBody>>(app, 'GET', `/api/v1/tasks?${query}`, {
          token: member.accessToken,
        })
      ).body.items
        .map((task) => task.id)
        .sort();
    assert.deepEqual(await mine('view=assigned'), [assigned.id]);
    assert.deepEqual(await mine('view=assigned&done=false'), []);
    assert.deepEqual(await mine('view=assigned&done=true'), [assigned.id]);
    assert.deepEqual(await mine('view=created'), [created.id]);
    assert.deepEqual(
      await mine('view=participating'),
      [assigned.id, created.id, participating.id].sort(),
    );
    const undone = await call<TaskBody>(app, 'POST', `/api/v1/tasks/${assigned.id}/undone`, {
      token: member.accessToken,
    });
    assert.equal(undone.body.done, false);
    const log = await call<PageBody<ActivityBody>>(
      app,
      'GET',
      `/api/v1/tasks/${assigned.id}/activity`,
      { token: member.accessToken },
    );
    assert.deepEqual(
      log.body.items.map((entry) => entry.type),
      ['undone', 'done', 'assign', 'create'],
    );
    assert.equal(log.body.items[2].toMember?.id, member.id);
    const bad = await call<ProblemBody>(app, 'GET', '/api/v1/tasks?view=everything', {
      token: member.accessToken,
    });
    assert.equal(bad.body.errors?.[0].field, 'view');
  });

  it('updates a task and reassigns it, with task members following', async () => {
    const { project, stages } = await board();
    const task = await newTask(project.id, stages[0].id);
    const changed = await call<TaskBody>(app, 'PATCH', `/api/v1/tasks/${task.id}`, {
      token: member.accessToken,
      body: { name: 'Renamed', assigneeId: member.id, priority: 2 },
    });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.name, 'Renamed');
    assert.equal(changed.body.assignee?.id, member.id);
    const members = await call<
      PageBody<{ member: { id: string }; isExecutor: boolean; isOwner: boolean }>
    >(app, 'GET', `/api/v1/tasks/${task.id}/members`, { token: owner.accessToken });
    assert.deepEqual(
      members.body.items.map((row) => [row.member.id, row.isOwner, row.isExecutor]),
      [
        [owner.id, true, false],
        [member.id, false, true],
      ],
    );
    const removed = await call(app, 'DELETE', `/api/v1/tasks/${task.id}/members/${member.id}`, {
      token: owner.accessToken,
    });
    assert.equal(removed.status, 204);
    const after = await call<TaskBody>(app, 'GET', `/api/v1/tasks/${task.id}`, {
      token: owner.accessToken,
    });
    assert.equal(after.body.assignee, null);
  });

  it('takes comments and lists them apart; lists activity across my projects only', async () => {
    const { project, stages } = await board();
    const task = await newTask(project.id, stages[0].id);
    const comment = await call<ActivityBody>(app, 'POST', `/api/v1/tasks/${task.id}/comments`, {
      token: member.accessToken,
      body: { content: 'looks good' },
    });
    assert.equal(comment.status, 201);
    assert.equal(comment.body.isComment, true);
    const comments = await call<PageBody<ActivityBody>>(
      app,
      'GET',
      `/api/v1/tasks/${task.id}/activity?type=comments`,
      { token: owner.accessToken },
    );
    assert.deepEqual(
      comments.body.items.map((entry) => entry.content),
      ['looks good'],
    );
    const all = await call<PageBody<ActivityBody>>(
      app,
      'GET',
      `/api/v1/tasks/${task.id}/activity`,
      {
        token: owner.accessToken,
      },
    );
    assert.equal(all.body.total, 2);
    const feed = await call<PageBody<ActivityBody & { projectId: string }>>(
      app,
      'GET',
      '/api/v1/activity?pageSize=100',
      { token: member.accessToken },
    );
    assert.ok(feed.body.items.some((entry) => entry.content === 'looks good'));
    const stranger = await call<PageBody<ActivityBody>>(app, 'GET', '/api/v1/activity', {
      token: outsider.accessToken,
    });
    assert.equal(stranger.body.total, 0);
  });

  it('pages a long activity feed by its rule, its entries the newest or behind newer ones', async () => {
    const { project, stages } = await board();
    const [projectId, stageId, ownerId, memberId] = [
      decodeId(project.id, 'project'),
      decodeId(stages[0].id, 'stage'),
      decodeId(owner.id, 'member'),
      decodeId(member.id, 'member'),
    ];
    // Tasks of the owner's: private (hidden to member), recycled, open, private but assigned.
    const tasks: number[] = [];
    for (const [number, isPrivate, deleted, assignee] of [
      [9001, 1, 0, null],
      [9002, 0, 1, null],
      [9003, 0, 0, null],
      [9004, 1, 0, memberId],
    ] as const) {
      await sql(
        app,
        `INSERT INTO task (projectId, stageId, number, name, sort, createdBy, assigneeId, private, deleted)
         VALUES (?, ?, ?, 'seeded', ?, ?, ?, ?, ?)`,
        [projectId, stageId, number, number, ownerId, assignee, isPrivate, deleted],
      );
      const [{ id }] = await sql<{ id: number }>(
        app,
        'SELECT id FROM task WHERE projectId = ? AND number = ?',
        [projectId, number],
      );
      tasks.push(id);
    }
    // 10,000 entries: of the project itself and of each task in turn.
    await sql(
      app,
      `INSERT INTO project_activity (projectId, taskId, memberId, type, content)
       SELECT ?, ELT(seq % 5 + 1, NULL, ?, ?, ?, ?), ?, 'update', CONCAT('seeded ', seq)
       FROM seq_1_to_10000`,
      [projectId, ...tasks, ownerId],
    );
    await recountActivityFeeds(app);
    /** The member's feed by its rule, counted from the rows, newest first. */
    const expected = async () =>
      (
        await sql<{ id: number }>(
          app,
          `SELECT entry.id FROM project_activity entry
           INNER JOIN project_member membership
             ON membership.projectId = entry.projectId AND membership.memberId = ?
           LEFT JOIN task ON task.id = entry.taskId
           WHERE entry.taskId IS NULL OR (task.deleted = 0 AND (task.private = 0
             OR task.createdBy = ? OR task.assigneeId = ?
             OR EXISTS (SELECT 1 FROM task_member viewer
               WHERE viewer.taskId = task.id AND viewer.memberId = ?)))
           ORDER BY entry.id DESC`,
          [memberId, memberId, memberId, memberId],
        )
      ).map((row) => row.id);
    const expectPages = async (step: string) => {
      const ids = await expected();
      assert.ok(ids.length > 5_000, `${step}: a long feed (${ids.length})`);
      const last = Math.ceil(ids.length / 20);
      for (const page of [1, 2, last]) {
        const response = await call<PageBody<ActivityBody>>(
          app,
          'GET',
          `/api/v1/activity?page=${page}&pageSize=20`,
          { token: member.accessToken },
        );
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.total, ids.length, `${step}: total`);
        assert.deepEqual(
          response.body.items.map((entry) => decodeId(entry.id, 'activity')),
          ids.slice((page - 1) * 20, page * 20),
          `${step}: page ${page}`,
        );
      }
    };
    await expectPages('the newest entries');
    // Newer entries of a project the member is not in, more than a walk looks at for a page.
    const elsewhere = decodeId((await createProject(app, outsider.accessToken)).id, 'project');
    await sql(
      app,
      `INSERT INTO project_activity (projectId, taskId, memberId, type, content)
       SELECT ?, NULL, ?, 'update', 'elsewhere' FROM seq_1_to_8000`,
      [elsewhere, decodeId(outsider.id, 'member')],
    );
    await recountActivityFeeds(app);
    await expectPages('behind newer entries of another project');
  });

  it('adds, renames, reorders and deletes stages (owner only)', async () => {
    const { project, stages } = await board();
    const base = `/api/v1/projects/${project.id}/stages`;
    const created = await call<StageBody>(app, 'POST', base, {
      token: owner.accessToken,
      body: { name: 'Extra' },
    });
    assert.equal(created.status, 201);
    const renamed = await call<StageBody>(app, 'PATCH', `/api/v1/stages/${created.body.id}`, {
      token: owner.accessToken,
      body: { name: 'Extra 2' },
    });
    assert.equal(renamed.body.name, 'Extra 2');
    const order = [created.body.id, ...stages.map((stage) => stage.id).reverse()];
    const reordered = await call<PageBody<StageBody>>(app, 'PUT', `${base}/order`, {
      token: owner.accessToken,
      body: { stageIds: order },
    });
    assert.deepEqual(
      reordered.body.items.map((stage) => stage.id),
      order,
    );
    const partial = await call<ProblemBody>(app, 'PUT', `${base}/order`, {
      token: owner.accessToken,
      body: { stageIds: order.slice(1) },
    });
    assert.equal(partial.body.errors?.[0].field, 'stageIds');
    await newTask(project.id, stages[0].id);
    const busy = await call<ProblemBody>(app, 'DELETE', `/api/v1/stages/${stages[0].id}`, {
      token: owner.accessToken,
    });
    assert.equal(busy.status, 409);
    assert.equal(busy.body.code, 'failed_precondition');
    const deleted = await call(app, 'DELETE', `/api/v1/stages/${created.body.id}`, {
      token: owner.accessToken,
    });
    assert.equal(deleted.status, 204);
  });

  it('answers 404 to non-members and 403 to members on owner-only stage routes', async () => {
    const { project, stages } = await board();
    const task = await newTask(project.id, stages[0].id);
    const routes: [string, string, unknown?, boolean?][] = [
      ['GET', `/api/v1/projects/${project.id}/stages`],
      ['POST', `/api/v1/projects/${project.id}/stages`, { name: 'x' }, true],
      ['PUT', `/api/v1/projects/${project.id}/stages/order`, { stageIds: [stages[0].id] }, true],
      ['PATCH', `/api/v1/stages/${stages[0].id}`, { name: 'x' }, true],
      ['DELETE', `/api/v1/stages/${stages[2].id}`, undefined, true],
      ['GET', `/api/v1/stages/${stages[0].id}/tasks`],
      ['POST', `/api/v1/projects/${project.id}/tasks`, { stageId: stages[0].id, name: 'x' }],
      ['GET', `/api/v1/tasks/${task.id}`],
      ['PATCH', `/api/v1/tasks/${task.id}`, { name: 'x' }],
      ['POST', `/api/v1/tasks/${task.id}/move`, { toStageId: stages[1].id }],
      ['POST', `/api/v1/tasks/${task.id}/done`],
      ['POST', `/api/v1/tasks/${task.id}/undone`],
      ['GET', `/api/v1/tasks/${task.id}/members`],
      ['POST', `/api/v1/tasks/${task.id}/members`, { memberId: member.id }],
      ['DELETE', `/api/v1/tasks/${task.id}/members/${owner.id}`],
      ['GET', `/api/v1/tasks/${task.id}/activity`],
      ['POST', `/api/v1/tasks/${task.id}/comments`, { content: 'x' }],
    ];
    for (const [method, path, body] of routes) {
      const response = await call<ProblemBody>(app, method, path, {
        token: outsider.accessToken,
        body,
      });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.body.code, 'not_found');
    }
    for (const [method, path, body, ownerOnly] of routes) {
      if (!ownerOnly) continue;
      const response = await call(app, method, path, { token: member.accessToken, body });
      assert.equal(response.status, 403, `${method} ${path}`);
    }
  });

  it('shows a private task only to its creator, its assignee and its task members', async () => {
    const { project, stages } = await board();
    const third = await registerMember(app);
    await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
      token: owner.accessToken,
      body: { memberId: third.id },
    });
    const open = await newTask(project.id, stages[0].id);
    const privately = await call(app, 'PATCH', `/api/v1/projects/${project.id}`, {
      token: owner.accessToken,
      body: { openTaskPrivate: true },
    });
    assert.equal(privately.status, 200);
    const secret = await newTask(project.id, stages[0].id, {}, member.accessToken);
    assert.equal((secret as TaskBody & { private: boolean }).private, true);

    const sees = async (who: RegisteredMember) => {
      const token = who.accessToken;
      const read = await call(app, 'GET', `/api/v1/tasks/${secret.id}`, { token });
      const listed = await call<PageBody<TaskBody>>(
        app,
        'GET',
        `/api/v1/stages/${stages[0].id}/tasks`,
        { token },
      );
      const history = await call(app, 'GET', `/api/v1/tasks/${secret.id}/activity`, { token });
      const feed = await call<PageBody<ActivityBody & { taskId: string | null }>>(
        app,
        'GET',
        '/api/v1/activity?pageSize=100',
        { token },
      );
      const inFeed = feed.body.items.some((entry) => entry.taskId === secret.id);
      const inList = listed.body.items.some((task) => task.id === secret.id);
      // Each view agrees: all see it, or none does.
      assert.equal(read.status === 200, inList, 'task and stage list agree');
      assert.equal(history.status === 200, inList, 'task and its activity agree');
      assert.equal(inFeed, inList, 'task and the activity feed agree');
      assert.equal(listed.body.total, inList ? 2 : 1);
      assert.ok(listed.body.items.some((task) => task.id === open.id));
      if (!inList) assert.equal(read.status, 404);
      return inList;
    };
    assert.equal(await sees(member), true, 'the creator');
    assert.equal(await sees(owner), false, 'the project owner, not on the task');
    assert.equal(await sees(third), false, 'another project member');
    for (const [method, path, body] of [
      ['PATCH', `/api/v1/tasks/${secret.id}`, { name: 'x' }],
      ['POST', `/api/v1/tasks/${secret.id}/comments`, { content: 'x' }],
      ['POST', `/api/v1/tasks/${secret.id}/move`, { toStageId: stages[1].id }],
      [
        'POST',
        `/api/v1/tasks/${open.id}/move`,
        { toStageId: stages[0].id, beforeTaskId: secret.id },
      ],
    ] as const) {
      const response = await call<ProblemBody>(app, method, path, {
        token: third.accessToken,
        body,
      });
      assert.ok([400, 404].includes(response.status), `${method} ${path}: ${response.status}`);
    }

    // Assigned: the assignee sees it, among their tasks too.
    await call(app, 'PATCH', `/api/v1/tasks/${secret.id}`, {
      token: member.accessToken,
      body: { assigneeId: third.id },
    });
    assert.equal(await sees(third), true, 'the assignee');
    const assigned = await call<PageBody<TaskBody>>(app, 'GET', '/api/v1/tasks?view=assigned', {
      token: third.accessToken,
    });
    assert.deepEqual(
      assigned.body.items.map((task) => task.id),
      [secret.id],
    );
    // A task member sees it; no longer once removed.
    await call(app, 'POST', `/api/v1/tasks/${secret.id}/members`, {
      token: member.accessToken,
      body: { memberId: owner.id },
    });
    assert.equal(await sees(owner), true, 'a task member');
    await call(app, 'DELETE', `/api/v1/tasks/${secret.id}/members/${owner.id}`, {
      token: member.accessToken,
    });
    assert.equal(await sees(owner), false, 'a removed task member');
    // A task that was open stays open.
    const openRead = await call(app, 'GET', `/api/v1/tasks/${open.id}`, {
      token: third.accessToken,
    });
    assert.equal(openRead.status, 200);
  });

  it('refuses task writes while the project is in the recycle bin', async () => {
    const { project, stages } = await board();
    const task = await newTask(project.id, stages[0].id);
    await call(app, 'DELETE', `/api/v1/projects/${project.id}`, { token: owner.accessToken });
    const create = await call(app, 'POST', `/api/v1/projects/${project.id}/tasks`, {
      token: owner.accessToken,
      body: { stageId: stages[0].id, name: 'x' },
    });
    assert.equal(create.status, 409);
    const done = await call(app, 'POST', `/api/v1/tasks/${task.id}/done`, {
      token: owner.accessToken,
    });
    assert.equal(done.status, 409);
    const read = await call(app, 'GET', `/api/v1/tasks/${task.id}`, { token: owner.accessToken });
    assert.equal(read.status, 200);
  });
});
