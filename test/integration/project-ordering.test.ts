import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeId } from '@/common/public-id';
import { MAX_SORT } from '@/modules/project/task-order';
import { startTestApp, type TestApp } from '../support/app';
import { call, type JsonResponse } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  holdTable,
  sql,
  waitForBlocked,
  board as boardOf,
  type PageBody,
  type ProblemBody,
  type StageBody,
} from '../support/projects';

/**
 * Task order under concurrency: creates, moves and renumbering racing each other, and stage
 * deletion racing tasks arriving. Requests are paused mid-transaction by holding a table they
 * are about to write (see holdTable), so that each interleaving is hit every time.
 */

interface TaskBody {
  id: string;
  stageId: string;
  sort: number;
}

interface Row {
  id: number;
  stageId: number;
  sort: number;
}

describe('task order under concurrent creates, moves and stage deletion', () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    [owner, member] = await Promise.all([registerMember(app), registerMember(app)]);
  });

  after(async () => {
    await app?.close();
  });

  /** A project of `owner` (with `member`) on a template's stages. */
  async function board() {
    const created = await boardOf(app, owner, member);
    assert.ok(created.stages.length >= 3);
    return created;
  }

  const create = (projectId: string, stageId: string, token = owner.accessToken) =>
    call<TaskBody>(app, 'POST', `/api/v1/projects/${projectId}/tasks`, {
      token,
      body: { stageId, name: `task ${Math.random().toString(36).slice(2, 7)}` },
    });

  async function newTask(projectId: string, stageId: string): Promise<TaskBody> {
    const response = await create(projectId, stageId);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  const move = (taskId: string, toStageId: string, beforeTaskId?: string, token?: string) =>
    call<TaskBody>(app, 'POST', `/api/v1/tasks/${taskId}/move`, {
      token: token ?? owner.accessToken,
      body: beforeTaskId ? { toStageId, beforeTaskId } : { toStageId },
    });

  /** Task ids of the stage in order, as the API lists them. */
  const idsIn = async (stageId: string) =>
    (
      await call<PageBody<TaskBody>>(app, 'GET', `/api/v1/stages/${stageId}/tasks?pageSize=100`, {
        token: owner.accessToken,
      })
    ).body.items.map((task) => task.id);

  /** Sets the sort values of tasks directly, in the order given. */
  async function squeeze(tasks: TaskBody[], sorts: number[]) {
    for (const [index, task] of tasks.entries()) {
      await sql(app, 'UPDATE `task` SET `sort` = ? WHERE `id` = ?', [
        sorts[index],
        decodeId(task.id, 'task'),
      ]);
    }
  }

  /** Every task of the project by stage, in sort order, checked for a strict positive order. */
  async function stagesOf(projectId: string): Promise<Map<number, Row[]>> {
    const rows = await sql<Row>(
      app,
      'SELECT `id`, `stageId`, `sort` FROM `task` WHERE `projectId` = ? ORDER BY `stageId`, `sort`',
      [decodeId(projectId, 'project')],
    );
    const byStage = new Map<number, Row[]>();
    for (const row of rows) byStage.set(row.stageId, [...(byStage.get(row.stageId) ?? []), row]);
    for (const [stageId, stageRows] of byStage) {
      const sorts = stageRows.map((row) => row.sort);
      assert.ok(
        sorts.every((sort, index) => sort > 0 && (index === 0 || sort > sorts[index - 1])),
        `stage ${stageId}: sorts ${sorts.join(', ')} are not a strict positive order`,
      );
    }
    return byStage;
  }

  const ok = (response: JsonResponse<unknown>, status: number, what: string) =>
    assert.equal(response.status, status, `${what}: ${JSON.stringify(response.body)}`);

  it('gives a task created while another is moved to the end of the stage a place of its own', async () => {
    const { project, stages } = await board();
    const [from, to] = stages;
    const existing = await newTask(project.id, to.id);
    const mover = await newTask(project.id, from.id);
    const activity = await holdTable(app, 'project_activity');
    try {
      // The move holds the stage, has taken the end of it, and waits to log its activity.
      const moving = move(mover.id, to.id);
      await waitForBlocked(app, { onTable: 1 });
      // The create waits for the stage, having read the project already.
      const creating = create(project.id, to.id);
      await waitForBlocked(app, { onTable: 1, onRow: 1 }, { until: creating });
      await activity.release();
      const [moved, created] = await Promise.all([moving, creating]);
      ok(moved, 200, 'move');
      ok(created, 201, 'create');
      assert.deepEqual(await idsIn(to.id), [existing.id, mover.id, created.body.id]);
      await stagesOf(project.id);
    } finally {
      await activity.release();
    }
  });

  it('renumbers a stage without touching a task that is leaving it', async () => {
    const { project, stages } = await board();
    const [hot, destination, elsewhere] = stages;
    const d1 = await newTask(project.id, destination.id);
    const d2 = await newTask(project.id, destination.id);
    const leaving = await newTask(project.id, hot.id);
    const staying = await newTask(project.id, hot.id);
    const anchor = await newTask(project.id, hot.id);
    const arriving = await newTask(project.id, elsewhere.id);
    // No gap left in front of the anchor: a move there renumbers the stage.
    await squeeze([leaving, staying, anchor], [1, 2, 3]);
    const activity = await holdTable(app, 'project_activity');
    try {
      // The first task leaves the hot stage: moved, not yet committed, waiting to log it.
      const leave = move(leaving.id, destination.id);
      await waitForBlocked(app, { onTable: 1 });
      // A move into the hot stage in front of the anchor, which renumbers that stage.
      const arrive = move(arriving.id, hot.id, anchor.id, member.accessToken);
      await waitForBlocked(app, { onTable: 1, onRow: 1 }, { until: arrive });
      await activity.release();
      const [left, arrived] = await Promise.all([leave, arrive]);
      ok(left, 200, 'move out');
      ok(arrived, 200, 'move in');
      assert.deepEqual(await idsIn(destination.id), [d1.id, d2.id, leaving.id]);
      assert.deepEqual(await idsIn(hot.id), [staying.id, arriving.id, anchor.id]);
      const byStage = await stagesOf(project.id);
      // The task that left keeps the place it took at the end of its new stage.
      const [, , last] = byStage.get(decodeId(destination.id, 'stage'))!;
      assert.equal(last.sort, left.body.sort);
    } finally {
      await activity.release();
    }
  });

  for (const arrival of ['moved', 'created'] as const) {
    it(`keeps a stage that a task is being ${arrival} into from deletion`, async () => {
      const { project, stages } = await board();
      const doomed = await call<StageBody>(app, 'POST', `/api/v1/projects/${project.id}/stages`, {
        token: owner.accessToken,
        body: { name: 'Doomed' },
      });
      ok(doomed, 201, 'create stage');
      const mover = await newTask(project.id, stages[0].id);
      const activity = await holdTable(app, 'project_activity');
      try {
        // The task is in the stage, not yet committed: the writer waits to log its activity.
        const arriving =
          arrival === 'moved' ? move(mover.id, doomed.body.id) : create(project.id, doomed.body.id);
        await waitForBlocked(app, { onTable: 1 });
        const deleting = call<ProblemBody>(app, 'DELETE', `/api/v1/stages/${doomed.body.id}`, {
          token: owner.accessToken,
        });
        await waitForBlocked(app, { onTable: 1, onRow: 1 }, { until: deleting });
        await activity.release();
        const [arrived, deleted] = await Promise.all([arriving, deleting]);
        ok(arrived, arrival === 'moved' ? 200 : 201, arrival);
        ok(deleted, 409, 'delete');
        assert.equal(deleted.body.code, 'failed_precondition');
        assert.deepEqual(await idsIn(doomed.body.id), [arrived.body.id]);
      } finally {
        await activity.release();
      }
    });
  }

  it('refuses a task into a stage deleted while the create waited for it', async () => {
    const { project } = await board();
    const doomed = await call<StageBody>(app, 'POST', `/api/v1/projects/${project.id}/stages`, {
      token: owner.accessToken,
      body: { name: 'Doomed' },
    });
    const tasks = await holdTable(app, 'task');
    try {
      // The deletion holds the stage and waits to count its tasks.
      const deleting = call(app, 'DELETE', `/api/v1/stages/${doomed.body.id}`, {
        token: owner.accessToken,
      });
      await waitForBlocked(app, { onTable: 1 }, { until: deleting });
      // The create found the stage alive, and now waits for it.
      const creating = create(project.id, doomed.body.id);
      await waitForBlocked(app, { either: 2 }, { until: creating });
      await tasks.release();
      const [deleted, created] = await Promise.all([deleting, creating]);
      ok(deleted, 204, 'delete');
      ok(created, 400, 'create');
      const orphans = await sql(
        app,
        'SELECT `task`.`id` FROM `task` JOIN `task_stage` ON `task_stage`.`id` = `task`.`stageId` WHERE `task_stage`.`deleted` = 1',
      );
      assert.deepEqual(orphans, []);
    } finally {
      await tasks.release();
    }
  });

  it('keeps every stage strictly ordered through concurrent creates and moves on squeezed sorts', async () => {
    for (let round = 0; round < 3; round++) {
      const { project, stages } = await board();
      const [hot, first, second] = stages;
      const s: TaskBody[] = [];
      const o1: TaskBody[] = [];
      const o2: TaskBody[] = [];
      for (let index = 0; index < 10; index++) s.push(await newTask(project.id, hot.id));
      for (let index = 0; index < 6; index++) o1.push(await newTask(project.id, first.id));
      for (let index = 0; index < 6; index++) o2.push(await newTask(project.id, second.id));
      // The hot stage sits at the top of the INT range with no gaps: every append and every
      // squeeze-in renumbers it. The first other stage has no gaps either.
      await squeeze(
        s,
        s.map((_, index) => MAX_SORT - s.length + 1 + index),
      );
      await squeeze(
        o1,
        o1.map((_, index) => index + 1),
      );

      const token = (index: number) => (index % 2 ? member.accessToken : owner.accessToken);
      const creates = [
        ...Array.from({ length: 6 }, (_, index) => ({ stage: hot.id, token: token(index) })),
        ...Array.from({ length: 2 }, (_, index) => ({ stage: first.id, token: token(index) })),
      ];
      const moves: { task: TaskBody; to: string; before?: TaskBody }[] = [
        // Out of the hot stage.
        { task: s[1], to: first.id },
        { task: s[3], to: first.id },
        { task: s[5], to: first.id },
        { task: s[7], to: first.id, before: o1[2] },
        { task: s[9], to: second.id, before: o2[0] },
        // Into it.
        { task: o1[0], to: hot.id },
        { task: o1[4], to: hot.id },
        { task: o2[1], to: hot.id, before: s[2] },
        { task: o2[3], to: hot.id, before: s[4] },
        { task: o2[5], to: hot.id, before: s[0] },
        // Within it.
        { task: s[6], to: hot.id, before: s[0] },
      ];
      const [created, moved] = await Promise.all([
        Promise.all(creates.map((spec) => create(project.id, spec.stage, spec.token))),
        Promise.all(
          moves.map((spec, index) => move(spec.task.id, spec.to, spec.before?.id, token(index))),
        ),
      ]);
      created.forEach((response, index) => ok(response, 201, `create ${index}`));
      moved.forEach((response, index) => ok(response, 200, `move ${index}`));

      const byStage = await stagesOf(project.id);
      const ids = (stageId: string) =>
        (byStage.get(decodeId(stageId, 'stage')) ?? []).map((row) => row.id);
      const numeric = (tasks: TaskBody[]) => tasks.map((task) => decodeId(task.id, 'task'));
      const createdIn = (stageId: string) =>
        created
          .filter((_, index) => creates[index].stage === stageId)
          .map((response) => decodeId(response.body.id, 'task'));
      const sameMembers = (actual: number[], expected: number[], what: string) =>
        assert.deepEqual(
          [...actual].sort((x, y) => x - y),
          [...expected].sort((x, y) => x - y),
          what,
        );
      const hotIds = ids(hot.id);
      const firstIds = ids(first.id);
      const secondIds = ids(second.id);
      sameMembers(
        hotIds,
        [
          ...numeric([s[0], s[2], s[4], s[6], s[8], o1[0], o1[4], o2[1], o2[3], o2[5]]),
          ...createdIn(hot.id),
        ],
        'hot stage',
      );
      sameMembers(
        firstIds,
        [...numeric([o1[1], o1[2], o1[3], o1[5], s[1], s[3], s[5], s[7]]), ...createdIn(first.id)],
        'first stage',
      );
      sameMembers(secondIds, numeric([o2[0], o2[2], o2[4], s[9]]), 'second stage');
      const all = [...byStage.values()].flat();
      assert.equal(all.length, 22 + creates.length, 'every task in exactly one stage');
      assert.equal(new Set(all.map((row) => row.id)).size, all.length);

      // Where each lands: right in front of its target, or after everything that stayed.
      const at = (list: number[], task: TaskBody) => list.indexOf(decodeId(task.id, 'task'));
      const inOrder = (list: number[], tasks: TaskBody[], what: string) =>
        assert.ok(
          tasks.every((task, index) => index === 0 || at(list, tasks[index - 1]) < at(list, task)),
          what,
        );
      inOrder(hotIds, [s[6], s[0], o2[1], s[2], o2[3], s[4], s[8]], 'hot stage order');
      inOrder(hotIds, [o2[5], s[0]], 'in front of the head');
      for (const appended of [o1[0], o1[4]]) assert.ok(at(hotIds, appended) > at(hotIds, s[8]));
      for (const id of createdIn(hot.id)) assert.ok(hotIds.indexOf(id) > at(hotIds, s[8]));
      inOrder(firstIds, [o1[1], s[7], o1[2], o1[3], o1[5]], 'first stage order');
      for (const appended of [s[1], s[3], s[5]]) {
        assert.ok(at(firstIds, appended) > at(firstIds, o1[5]));
      }
      inOrder(secondIds, [s[9], o2[0], o2[2], o2[4]], 'second stage order');
    }
  });

  it('gives 20 stages created at once 20 distinct places after the existing ones', async () => {
    const { project, stages } = await board();
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        call<StageBody & { sort: number }>(app, 'POST', `/api/v1/projects/${project.id}/stages`, {
          token: owner.accessToken,
          body: { name: `stage ${index}` },
        }),
      ),
    );
    created.forEach((response, index) => ok(response, 201, `stage ${index}`));
    const listed = await call<PageBody<StageBody & { sort: number }>>(
      app,
      'GET',
      `/api/v1/projects/${project.id}/stages?pageSize=100`,
      { token: owner.accessToken },
    );
    const sorts = listed.body.items.map((stage) => stage.sort);
    assert.equal(sorts.length, stages.length + 20);
    assert.ok(
      sorts.every((sort, index) => index === 0 || sort > sorts[index - 1]),
      `stage places ${sorts.join(', ')} are not strictly ordered`,
    );
    assert.deepEqual(
      listed.body.items
        .slice(stages.length)
        .map((stage) => stage.id)
        .sort(),
      created.map((response) => response.body.id).sort(),
    );
  });
});
