import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeId } from '@/common/public-id';
import { visibleEntry } from '@/modules/project/feed-totals';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { uploadFile } from '../support/files';
import { notificationsOf, unreadCount } from '../support/notifications';
import {
  board,
  createProject,
  createTask,
  sql,
  type PageBody,
  type ProjectBody,
  type StageBody,
  type TaskBody,
} from '../support/projects';
import { createChildTask } from '../support/child-tasks';
import { clientOk } from '../support/web-client';

const FILTERS = ['mine', 'archived', 'recycled', 'collected'] as const;
type Filter = (typeof FILTERS)[number];

const TASK_VIEWS = ['assigned', 'created', 'participating'] as const;
/** "My tasks" per view: all of them, the done ones and the undone ones. */
type TaskTotals = Record<string, number>;
const taskTotals = (
  assigned: number,
  assignedDone: number,
  created: number,
  createdDone: number,
  participating: number,
  participatingDone: number,
): TaskTotals => {
  const totals: TaskTotals = {};
  const counts = [
    [assigned, assignedDone],
    [created, createdDone],
    [participating, participatingDone],
  ];
  TASK_VIEWS.forEach((view, index) => {
    const [all, done] = counts[index];
    Object.assign(totals, { [view]: all, [`${view}:done`]: done, [`${view}:undone`]: all - done });
  });
  return totals;
};

/**
 * The lists' totals are counters kept by the writes (list_total); these tests count the rows
 * themselves after each kind of write and expect the same numbers from the API.
 */
describe('list totals', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app?.close();
  });

  const memberId = (member: RegisteredMember) => decodeId(member.id, 'member');

  /** The member's projects per filter, counted from the rows by the lists' own rules. */
  async function countedProjects(member: RegisteredMember): Promise<Record<Filter, number>> {
    const [row] = await sql<Record<Filter, string>>(
      app,
      `SELECT
         SUM(project.deleted = 0 AND project.archived = 0) AS mine,
         SUM(project.deleted = 0 AND project.archived = 1) AS archived,
         SUM(project.deleted = 1) AS recycled,
         SUM(project.deleted = 0 AND collection.id IS NOT NULL) AS collected
       FROM project_member membership
       INNER JOIN project ON project.id = membership.projectId
       LEFT JOIN project_collection collection
         ON collection.projectId = membership.projectId AND collection.memberId = membership.memberId
       WHERE membership.memberId = ?`,
      [memberId(member)],
    );
    return Object.fromEntries(
      FILTERS.map((filter) => [filter, Number(row[filter] ?? 0)]),
    ) as Record<Filter, number>;
  }

  /** Per filter: the API's total, which must also be the number of items on the one page. */
  async function listedProjects(member: RegisteredMember): Promise<Record<Filter, number>> {
    const totals = {} as Record<Filter, number>;
    for (const filter of FILTERS) {
      const response = await call<PageBody<ProjectBody>>(
        app,
        'GET',
        `/api/v1/projects?filter=${filter}&pageSize=100`,
        { token: member.accessToken },
      );
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.items.length, response.body.total, `${filter}: items vs total`);
      totals[filter] = response.body.total;
    }
    return totals;
  }

  async function expectProjectTotals(
    step: string,
    expected: Record<RegisteredMember['id'], Record<Filter, number>>,
    members: RegisteredMember[],
  ) {
    for (const member of members) {
      const counted = await countedProjects(member);
      assert.deepEqual(counted, expected[member.id], `${step}: the rows themselves`);
      assert.deepEqual(await listedProjects(member), counted, `${step}: the API's totals`);
    }
  }

  async function write(member: RegisteredMember, method: string, path: string, body?: unknown) {
    const response = await call(app, method, path, { token: member.accessToken, body });
    assert.ok(
      response.status < 300,
      `${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }

  it("keeps each project list's total equal to its projects through every kind of write", async () => {
    const [owner, member] = await Promise.all([registerMember(app), registerMember(app)]);
    const totals = (mine: number, archived: number, recycled: number, collected: number) => ({
      mine,
      archived,
      recycled,
      collected,
    });
    const both = [owner, member];
    const step = (
      name: string,
      ownerTotals: Record<Filter, number>,
      memberTotals: Record<Filter, number>,
    ) => expectProjectTotals(name, { [owner.id]: ownerTotals, [member.id]: memberTotals }, both);

    const [first, second, third] = [
      await createProject(app, owner.accessToken),
      await createProject(app, owner.accessToken),
      await createProject(app, owner.accessToken),
    ];
    await step('created', totals(3, 0, 0, 0), totals(0, 0, 0, 0));

    for (const project of [first, second])
      await write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: member.id });
    await step('members joined', totals(3, 0, 0, 0), totals(2, 0, 0, 0));

    await write(member, 'PUT', `/api/v1/projects/${first.id}/collection`);
    await write(member, 'PUT', `/api/v1/projects/${second.id}/collection`);
    await write(member, 'PUT', `/api/v1/projects/${second.id}/collection`);
    await write(owner, 'PUT', `/api/v1/projects/${first.id}/collection`);
    await step('collected (one twice)', totals(3, 0, 0, 1), totals(2, 0, 0, 2));

    await write(owner, 'POST', `/api/v1/projects/${first.id}/archive`);
    await step('archived', totals(2, 1, 0, 1), totals(1, 1, 0, 2));

    await write(owner, 'DELETE', `/api/v1/projects/${second.id}`);
    await step('recycled', totals(1, 1, 1, 1), totals(0, 1, 1, 1));

    await write(owner, 'POST', `/api/v1/projects/${second.id}/restore`);
    await step('restored', totals(2, 1, 0, 1), totals(1, 1, 0, 2));

    await write(owner, 'DELETE', `/api/v1/projects/${first.id}`);
    await step('archived, then recycled', totals(2, 0, 1, 0), totals(1, 0, 1, 1));
    await write(owner, 'POST', `/api/v1/projects/${first.id}/restore`);
    await step('restored to the archive', totals(2, 1, 0, 1), totals(1, 1, 0, 2));

    await write(owner, 'POST', `/api/v1/projects/${first.id}/unarchive`);
    await write(owner, 'PATCH', `/api/v1/projects/${third.id}`, { description: 'Edited' });
    await step('unarchived, another edited', totals(3, 0, 0, 1), totals(2, 0, 0, 2));

    await write(member, 'DELETE', `/api/v1/projects/${second.id}/collection`);
    await write(member, 'DELETE', `/api/v1/projects/${second.id}/collection`);
    await step('uncollected (twice)', totals(3, 0, 0, 1), totals(2, 0, 0, 1));

    await write(owner, 'DELETE', `/api/v1/projects/${first.id}/members/${member.id}`);
    await step('a collector left', totals(3, 0, 0, 1), totals(1, 0, 0, 0));

    await write(owner, 'POST', `/api/v1/projects/${first.id}/members`, { memberId: member.id });
    await step('rejoined', totals(3, 0, 0, 1), totals(2, 0, 0, 0));
  });

  it('keeps the project totals exact when a member leaves and when a project is deleted for good', async () => {
    const [owner, member] = await Promise.all([registerMember(app), registerMember(app)]);
    const totals = (mine: number, archived: number, recycled: number, collected: number) => ({
      mine,
      archived,
      recycled,
      collected,
    });
    const step = (
      name: string,
      ownerTotals: Record<Filter, number>,
      memberTotals: Record<Filter, number>,
    ) =>
      expectProjectTotals(name, { [owner.id]: ownerTotals, [member.id]: memberTotals }, [
        owner,
        member,
      ]);
    const [left, deleted, archivedAndDeleted] = [
      await createProject(app, owner.accessToken),
      await createProject(app, owner.accessToken),
      await createProject(app, owner.accessToken),
    ];
    for (const project of [left, deleted, archivedAndDeleted]) {
      await write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: member.id });
      await write(member, 'PUT', `/api/v1/projects/${project.id}/collection`);
    }
    await write(owner, 'PUT', `/api/v1/projects/${deleted.id}/collection`);
    await write(owner, 'POST', `/api/v1/projects/${archivedAndDeleted.id}/archive`);
    await step('set up', totals(2, 1, 0, 1), totals(2, 1, 0, 3));

    await write(member, 'POST', `/api/v1/projects/${left.id}/leave`);
    await step('a collector left', totals(2, 1, 0, 1), totals(1, 1, 0, 2));

    await write(owner, 'DELETE', `/api/v1/projects/${deleted.id}`);
    await write(owner, 'DELETE', `/api/v1/projects/${archivedAndDeleted.id}`);
    await step('recycled', totals(1, 0, 2, 0), totals(0, 0, 2, 0));

    await write(owner, 'POST', `/api/v1/projects/${deleted.id}/purge`);
    await step('one deleted for good', totals(1, 0, 1, 0), totals(0, 0, 1, 0));
    await write(owner, 'POST', `/api/v1/projects/${archivedAndDeleted.id}/purge`);
    await step('the archived one deleted for good', totals(1, 0, 0, 0), totals(0, 0, 0, 0));
  });

  it('keeps the project totals exact under concurrent writes to one project', async () => {
    const [owner, ...members] = await Promise.all(
      Array.from({ length: 4 }, () => registerMember(app)),
    );
    const project = await createProject(app, owner.accessToken);
    await Promise.all(
      members.map((member) =>
        write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: member.id }),
      ),
    );
    await Promise.all([
      ...members.flatMap((member) => [
        write(member, 'PUT', `/api/v1/projects/${project.id}/collection`),
        write(member, 'DELETE', `/api/v1/projects/${project.id}/collection`),
        write(member, 'PUT', `/api/v1/projects/${project.id}/collection`),
      ]),
      write(owner, 'POST', `/api/v1/projects/${project.id}/archive`),
      write(owner, 'DELETE', `/api/v1/projects/${project.id}`),
      write(owner, 'POST', `/api/v1/projects/${project.id}/restore`),
    ]);
    for (const member of [owner, ...members]) {
      const counted = await countedProjects(member);
      assert.equal(counted.mine + counted.archived + counted.recycled, 1);
      assert.deepEqual(await listedProjects(member), counted);
    }
  });

  /** The member's notifications and unread ones, counted from the rows. */
  async function countedNotifications(member: RegisteredMember) {
    const [row] = await sql<{ stored: string; unread: string | null }>(
      app,
      'SELECT COUNT(*) AS stored, SUM(readAt IS NULL) AS unread FROM notification WHERE memberId = ?',
      [memberId(member)],
    );
    return { stored: Number(row.stored), unread: Number(row.unread ?? 0) };
  }

  async function expectNotificationTotals(
    step: string,
    member: RegisteredMember,
    expected: { stored: number; unread: number },
  ) {
    assert.deepEqual(await countedNotifications(member), expected, `${step}: the rows themselves`);
    const all = await notificationsOf(app, member.accessToken, 'pageSize=100');
    const unread = await notificationsOf(app, member.accessToken, 'unreadOnly=true&pageSize=100');
    assert.deepEqual(
      {
        stored: all.total,
        unread: unread.total,
        count: await unreadCount(app, member.accessToken),
      },
      { ...expected, count: expected.unread },
      `${step}: the API's totals`,
    );
    assert.equal(all.items.length, all.total, `${step}: items vs total`);
    assert.equal(unread.items.length, unread.total, `${step}: unread items vs total`);
  }

  it('keeps the notification totals equal to the notifications through store, read, delete and prune', async () => {
    const [owner, member] = await Promise.all([registerMember(app), registerMember(app)]);
    const projects: ProjectBody[] = [];
    for (let index = 0; index < 4; index++) {
      const project = await createProject(app, owner.accessToken);
      projects.push(project);
      await write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: member.id });
    }
    await expectNotificationTotals('stored', member, { stored: 4, unread: 4 });

    const [newest] = (await notificationsOf(app, member.accessToken)).items;
    await write(member, 'POST', `/api/v1/me/notifications/${newest.id}/read`);
    await write(member, 'POST', `/api/v1/me/notifications/${newest.id}/read`);
    await expectNotificationTotals('one read (twice)', member, { stored: 4, unread: 3 });

    const [, unreadOne, readOne] = (await notificationsOf(app, member.accessToken)).items;
    await write(member, 'POST', `/api/v1/me/notifications/${readOne.id}/read`);
    await write(member, 'DELETE', `/api/v1/me/notifications/${unreadOne.id}`);
    await write(member, 'DELETE', `/api/v1/me/notifications/${readOne.id}`);
    await expectNotificationTotals('an unread and a read one deleted', member, {
      stored: 2,
      unread: 1,
    });

    await write(member, 'POST', '/api/v1/me/notifications/read-all');
    await expectNotificationTotals('all read', member, { stored: 2, unread: 0 });

    await reconfigure(app, { notifications: { maxPerMember: 2 } });
    try {
      const fifth = await createProject(app, owner.accessToken);
      await write(owner, 'POST', `/api/v1/projects/${fifth.id}/members`, { memberId: member.id });
      await expectNotificationTotals('pruned to the newest 2', member, { stored: 2, unread: 1 });
    } finally {
      await reconfigure(app, { notifications: { maxPerMember: 500 } });
    }
  });
  /**
   * The member's tasks per view and done flag, counted from the rows by the list's own rule:
   * out of the bin, in a project out of the bin that the member belongs to, and theirs in the
   * view's way (assignee, creator, task member).
   */
  async function countedTasks(member: RegisteredMember): Promise<TaskTotals> {
    const id = memberId(member);
    const [row] = await sql<Record<string, string | null>>(
      app,
      `SELECT
         SUM(task.assigneeId = ?) AS assigned,
         SUM(task.assigneeId = ? AND task.done = 1) AS assignedDone,
         SUM(task.createdBy = ?) AS created,
         SUM(task.createdBy = ? AND task.done = 1) AS createdDone,
         SUM(participant.id IS NOT NULL) AS participating,
         SUM(participant.id IS NOT NULL AND task.done = 1) AS participatingDone
       FROM task
       INNER JOIN project ON project.id = task.projectId AND project.deleted = 0
       INNER JOIN project_member membership
         ON membership.projectId = task.projectId AND membership.memberId = ?
       LEFT JOIN task_member participant ON participant.taskId = task.id AND participant.memberId = ?
       WHERE task.deleted = 0`,
      [id, id, id, id, id, id],
    );
    const number = (key: string) => Number(row[key] ?? 0);
    return taskTotals(
      number('assigned'),
      number('assignedDone'),
      number('created'),
      number('createdDone'),
      number('participating'),
      number('participatingDone'),
    );
  }

  /** Per view and done flag: the API's total, which must also be the items on the one page. */
  async function listedTasks(member: RegisteredMember): Promise<TaskTotals> {
    const totals: TaskTotals = {};
    for (const view of TASK_VIEWS) {
      for (const [key, query] of [
        [view, ''],
        [`${view}:done`, '&done=true'],
        [`${view}:undone`, '&done=false'],
      ]) {
        const response = await call<PageBody<TaskBody>>(
          app,
          'GET',
          `/api/v1/tasks?view=${view}${query}&pageSize=100`,
          { token: member.accessToken },
        );
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.items.length, response.body.total, `${key}: items vs total`);
        totals[key] = response.body.total;
      }
    }
    return totals;
  }

  async function expectTaskTotals(
    step: string,
    expected: [RegisteredMember, TaskTotals][],
  ): Promise<void> {
    for (const [member, totals] of expected) {
      const counted = await countedTasks(member);
      assert.deepEqual(counted, totals, `${step}: the rows themselves`);
      assert.deepEqual(await listedTasks(member), counted, `${step}: the API's totals`);
    }
  }

  /** A write that may be refused (4xx) when it races others, but never fails (5xx). */
  async function attempt(member: RegisteredMember, method: string, path: string, body?: unknown) {
    const response = await call(app, method, path, { token: member.accessToken, body });
    assert.ok(
      response.status < 500,
      `${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }

  it("keeps each of my tasks' totals equal to the tasks through every kind of write", async () => {
    const [owner, member, third] = await Promise.all(
      Array.from({ length: 3 }, () => registerMember(app)),
    );
    const { project, stages } = await board(app, owner, member);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: third.id });
    const [todo, doing] = stages.map((stage: StageBody) => stage.id);
    const step = (
      name: string,
      ownerTotals: TaskTotals,
      memberTotals: TaskTotals,
      thirdTotals: TaskTotals,
    ) =>
      expectTaskTotals(name, [
        [owner, ownerTotals],
        [member, memberTotals],
        [third, thirdTotals],
      ]);
    const none = taskTotals(0, 0, 0, 0, 0, 0);

    const assignedToMember = await createTask(app, owner.accessToken, project.id, todo, {
      assigneeId: member.id,
    });
    const unassigned = await createTask(app, owner.accessToken, project.id, todo);
    const assignedToOwner = await createTask(app, member.accessToken, project.id, todo, {
      assigneeId: owner.id,
    });
    await step('created', taskTotals(1, 0, 2, 0, 3, 0), taskTotals(1, 0, 1, 0, 2, 0), none);

    const child = await createChildTask(app, owner.accessToken, assignedToMember.id, {
      assigneeId: third.id,
    });
    await step(
      'a child task',
      taskTotals(1, 0, 3, 0, 4, 0),
      taskTotals(1, 0, 1, 0, 2, 0),
      taskTotals(1, 0, 0, 0, 1, 0),
    );

    await write(owner, 'PATCH', `/api/v1/tasks/${unassigned.id}`, { assigneeId: member.id });
    await write(owner, 'PATCH', `/api/v1/tasks/${unassigned.id}`, { assigneeId: third.id });
    await write(owner, 'PATCH', `/api/v1/tasks/${unassigned.id}`, { assigneeId: third.id });
    await step(
      'assigned, reassigned (twice)',
      taskTotals(1, 0, 3, 0, 4, 0),
      taskTotals(1, 0, 1, 0, 3, 0),
      taskTotals(2, 0, 0, 0, 2, 0),
    );
    await write(owner, 'PATCH', `/api/v1/tasks/${unassigned.id}`, { assigneeId: null });
    await step(
      'unassigned',
      taskTotals(1, 0, 3, 0, 4, 0),
      taskTotals(1, 0, 1, 0, 3, 0),
      taskTotals(1, 0, 0, 0, 2, 0),
    );

    await write(third, 'POST', `/api/v1/tasks/${child.id}/done`);
    await write(member, 'POST', `/api/v1/tasks/${assignedToMember.id}/done`);
    await write(member, 'POST', `/api/v1/tasks/${assignedToMember.id}/done`);
    await step(
      'a child and its parent done (one twice)',
      taskTotals(1, 0, 3, 2, 4, 2),
      taskTotals(1, 1, 1, 0, 3, 1),
      taskTotals(1, 1, 0, 0, 2, 1),
    );
    await write(member, 'POST', `/api/v1/tasks/${assignedToMember.id}/undone`);
    await step(
      'the parent reopened',
      taskTotals(1, 0, 3, 1, 4, 1),
      taskTotals(1, 0, 1, 0, 3, 0),
      taskTotals(1, 1, 0, 0, 2, 1),
    );

    await write(owner, 'POST', `/api/v1/tasks/${assignedToOwner.id}/members`, {
      memberId: third.id,
    });
    // The member is the task's executor: it is left unassigned.
    await write(owner, 'DELETE', `/api/v1/tasks/${assignedToMember.id}/members/${member.id}`);
    const afterTaskMembers = [
      taskTotals(1, 0, 3, 1, 4, 1),
      taskTotals(0, 0, 1, 0, 2, 0),
      taskTotals(1, 1, 0, 0, 3, 1),
    ] as const;
    await step('a task member added, the executor removed', ...afterTaskMembers);

    await write(member, 'POST', `/api/v1/tasks/${assignedToMember.id}/recycle`);
    await step(
      'a parent recycled with its child',
      taskTotals(1, 0, 1, 0, 2, 0),
      taskTotals(0, 0, 1, 0, 2, 0),
      taskTotals(0, 0, 0, 0, 2, 0),
    );
    await write(owner, 'POST', `/api/v1/tasks/${assignedToMember.id}/restore`);
    await step('restored with its child', ...afterTaskMembers);

    await write(third, 'POST', `/api/v1/tasks/${child.id}/recycle`);
    await step(
      'the child recycled alone',
      taskTotals(1, 0, 2, 0, 3, 0),
      taskTotals(0, 0, 1, 0, 2, 0),
      taskTotals(0, 0, 0, 0, 2, 0),
    );
    await write(owner, 'POST', `/api/v1/tasks/${assignedToMember.id}/recycle`);
    await write(owner, 'DELETE', `/api/v1/tasks/${assignedToMember.id}`);
    const afterPurge = [
      taskTotals(1, 0, 1, 0, 2, 0),
      taskTotals(0, 0, 1, 0, 2, 0),
      taskTotals(0, 0, 0, 0, 2, 0),
    ] as const;
    await step('the parent recycled and deleted for good with its child', ...afterPurge);

    await write(owner, 'POST', `/api/v1/projects/${project.id}/archive`);
    await step('the project archived', ...afterPurge);
    await write(owner, 'DELETE', `/api/v1/projects/${project.id}`);
    await step('the project recycled', none, none, none);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/restore`);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/unarchive`);
    await step('the project restored', ...afterPurge);

    await write(owner, 'DELETE', `/api/v1/projects/${project.id}/members/${third.id}`);
    await write(owner, 'DELETE', `/api/v1/projects/${project.id}/members/${member.id}`);
    await step('members left', afterPurge[0], none, none);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: third.id });
    await write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: member.id });
    await step('members rejoined', ...afterPurge);

    await write(owner, 'PATCH', `/api/v1/projects/${project.id}`, { openTaskPrivate: true });
    const secret = await createTask(app, owner.accessToken, project.id, doing, {
      assigneeId: third.id,
    });
    await step(
      'a private task',
      taskTotals(1, 0, 2, 0, 3, 0),
      taskTotals(0, 0, 1, 0, 2, 0),
      taskTotals(1, 0, 0, 0, 3, 0),
    );

    // The web client's batch routes.
    await clientOk(
      app,
      'project/task/batchAssignTask',
      { taskCodes: JSON.stringify([unassigned.id, secret.id]), executorCode: member.id },
      { token: owner.accessToken },
    );
    await step(
      'two tasks given to one member at once',
      taskTotals(1, 0, 2, 0, 3, 0),
      taskTotals(2, 0, 1, 0, 3, 0),
      taskTotals(0, 0, 0, 0, 3, 0),
    );
    await clientOk(
      app,
      'project/task/recycleBatch',
      { stageCode: doing },
      { token: owner.accessToken },
    );
    await step(
      "a stage's tasks recycled at once",
      taskTotals(1, 0, 1, 0, 2, 0),
      taskTotals(1, 0, 1, 0, 2, 0),
      taskTotals(0, 0, 0, 0, 2, 0),
    );

    await write(owner, 'POST', `/api/v1/projects/${project.id}/tasks/assign`, {
      taskIds: [unassigned.id, assignedToOwner.id],
      assigneeId: third.id,
    });
    const mostlyCreated = taskTotals(0, 0, 1, 0, 2, 0);
    await step(
      'two tasks assigned in one batch',
      mostlyCreated,
      mostlyCreated,
      taskTotals(2, 0, 0, 0, 2, 0),
    );
    // Its creator stays on it; the third member, its executor, is taken off.
    await write(owner, 'PUT', `/api/v1/tasks/${assignedToOwner.id}/members`, {
      memberIds: [owner.id],
    });
    await step(
      "a task's members set at once",
      mostlyCreated,
      mostlyCreated,
      taskTotals(1, 0, 0, 0, 1, 0),
    );
    await write(owner, 'PATCH', `/api/v1/tasks/${unassigned.id}`, { private: true });
    await step('a task made private', mostlyCreated, mostlyCreated, taskTotals(1, 0, 0, 0, 1, 0));

    await write(third, 'POST', `/api/v1/projects/${project.id}/leave`);
    await step('a member left, their open task unassigned', mostlyCreated, mostlyCreated, none);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: third.id });
    await step(
      'back, a task member still',
      mostlyCreated,
      mostlyCreated,
      taskTotals(0, 0, 0, 0, 1, 0),
    );

    await write(owner, 'POST', `/api/v1/stages/${todo}/recycle-tasks`);
    await step("a stage's tasks recycled in one transaction", none, none, none);
    await write(owner, 'POST', `/api/v1/tasks/${unassigned.id}/restore`);
    await write(owner, 'DELETE', `/api/v1/projects/${project.id}`);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/purge`);
    await step('the project deleted for good, a task of it restored before', none, none, none);
  });

  it("keeps my tasks' totals exact under concurrent writes to one project", async () => {
    const [owner, ...members] = await Promise.all(
      Array.from({ length: 4 }, () => registerMember(app)),
    );
    const { project, stages } = await board(app, owner, members[0]);
    for (const member of members.slice(1)) {
      await write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: member.id });
    }
    const everyone = [owner, ...members];
    const tasks: TaskBody[] = [];
    for (const [index, creator] of everyone.entries()) {
      const assignee = everyone[(index + 1) % everyone.length];
      const task = await createTask(app, creator.accessToken, project.id, stages[0].id, {
        assigneeId: assignee.id,
      });
      tasks.push(task, await createChildTask(app, creator.accessToken, task.id));
    }
    const [first, firstChild, second, secondChild, third, , fourth] = tasks;
    await write(owner, 'POST', `/api/v1/tasks/${secondChild.id}/done`);
    const [one, two, three] = members;
    await Promise.all([
      attempt(owner, 'POST', `/api/v1/tasks/${firstChild.id}/done`),
      attempt(owner, 'POST', `/api/v1/tasks/${first.id}/done`),
      attempt(one, 'POST', `/api/v1/tasks/${second.id}/done`),
      attempt(one, 'POST', `/api/v1/tasks/${secondChild.id}/undone`),
      attempt(two, 'PATCH', `/api/v1/tasks/${third.id}`, { assigneeId: three.id }),
      attempt(two, 'PATCH', `/api/v1/tasks/${third.id}`, { assigneeId: one.id }),
      attempt(three, 'PATCH', `/api/v1/tasks/${fourth.id}`, { assigneeId: null }),
      attempt(one, 'POST', `/api/v1/tasks/${fourth.id}/members`, { memberId: two.id }),
      attempt(two, 'POST', `/api/v1/tasks/${first.id}/members`, { memberId: three.id }),
      attempt(owner, 'DELETE', `/api/v1/tasks/${third.id}/members/${two.id}`),
      attempt(one, 'POST', `/api/v1/tasks/${second.id}/recycle`),
      attempt(one, 'POST', `/api/v1/tasks/${second.id}/restore`),
      attempt(owner, 'POST', `/api/v1/tasks/${firstChild.id}/recycle`),
      attempt(owner, 'DELETE', `/api/v1/projects/${project.id}/members/${two.id}`),
      attempt(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: two.id }),
      attempt(owner, 'DELETE', `/api/v1/projects/${project.id}/members/${three.id}`),
      attempt(owner, 'DELETE', `/api/v1/projects/${project.id}`),
      attempt(owner, 'POST', `/api/v1/projects/${project.id}/restore`),
      attempt(three, 'POST', `/api/v1/projects/${project.id}/tasks`, {
        stageId: stages[1].id,
        name: 'Concurrent',
        assigneeId: one.id,
      }),
    ]);
    for (const member of everyone) {
      assert.deepEqual(await listedTasks(member), await countedTasks(member));
    }
  });

  /**
   * The entries the member may see, from the rows by the feed's rule (visibleEntry): each as
   * `activityId:projectId`, oldest first.
   */
  async function visibleEntries(member: RegisteredMember): Promise<string[]> {
    const id = memberId(member);
    const rows = await sql<{ id: number; projectId: number }>(
      app,
      `SELECT entry.id, entry.projectId FROM project_activity entry
       INNER JOIN project_member membership
         ON membership.projectId = entry.projectId AND membership.memberId = ?
       LEFT JOIN task ON task.id = entry.taskId
       WHERE ${visibleEntry('?')}
       ORDER BY entry.id`,
      [id, id, id, id],
    );
    return rows.map((row) => `${row.id}:${row.projectId}`);
  }

  /** The member's fanned-out feed rows (member_feed), as visibleEntries lists entries. */
  async function fannedOut(member: RegisteredMember): Promise<string[]> {
    const rows = await sql<{ activityId: number; projectId: number }>(
      app,
      'SELECT activityId, projectId FROM member_feed WHERE memberId = ? ORDER BY activityId',
      [memberId(member)],
    );
    return rows.map((row) => `${row.activityId}:${row.projectId}`);
  }

  /** The API's feed: its entries' ids, newest first, which must be as many as its total. */
  async function listedFeed(member: RegisteredMember): Promise<number[]> {
    const response = await call<PageBody<{ id: string }>>(
      app,
      'GET',
      '/api/v1/activity?pageSize=100',
      { token: member.accessToken },
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.ok(response.body.total <= 100, 'one page holds the whole feed');
    assert.equal(response.body.items.length, response.body.total, 'items vs total');
    return response.body.items.map((item) => decodeId(item.id, 'activity'));
  }

  /**
   * Each member's feed from the API (its total and its entries), their member_feed rows and
   * the entries they may see counted from the rows, all asserted the same; with `changes`, the
   * rows' counts must also have moved by those amounts since `before`.
   */
  async function expectFeeds(
    step: string,
    members: RegisteredMember[],
    before?: number[],
    changes?: number[],
  ): Promise<number[]> {
    const totals: number[] = [];
    for (const member of members) {
      const visible = await visibleEntries(member);
      assert.deepEqual(await fannedOut(member), visible, `${step}: the member_feed rows`);
      const ids = visible.map((entry) => Number(entry.split(':')[0])).reverse();
      assert.deepEqual(await listedFeed(member), ids, `${step}: the API's feed`);
      totals.push(visible.length);
    }
    if (before && changes) {
      assert.deepEqual(
        totals.map((total, index) => total - before[index]),
        changes,
        `${step}: the rows themselves`,
      );
    }
    return totals;
  }

  async function created<T>(
    member: RegisteredMember,
    method: string,
    path: string,
    body?: unknown,
  ) {
    const response = await call<T>(app, method, path, { token: member.accessToken, body });
    assert.ok(
      response.status < 300,
      `${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`,
    );
    return response.body;
  }

  it("keeps each member's activity feed total equal to the entries they may see through every kind of write", async () => {
    const [owner, member, newcomer] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
    const everyone = [owner, member, newcomer];
    const { project, stages } = await board(app, owner, member);
    let totals = await expectFeeds('a new board', everyone, undefined);
    const step = async (name: string, changes: number[]) => {
      totals = await expectFeeds(name, everyone, totals, changes);
    };

    // An open task: created and assigned (two entries), then each kind of entry on it.
    const open = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    await step('an open task created and assigned', [2, 2, 0]);
    await write(owner, 'POST', `/api/v1/tasks/${open.id}/comments`, {
      content: 'Look',
      mentions: [member.id],
    });
    await write(member, 'POST', `/api/v1/tasks/${open.id}/move`, { toStageId: stages[1].id });
    await write(member, 'POST', `/api/v1/tasks/${open.id}/done`);
    await write(member, 'POST', `/api/v1/tasks/${open.id}/undone`);
    await write(member, 'POST', `/api/v1/tasks/${open.id}/work-times`, { hours: 1.5 });
    const upload = await uploadFile(app, member.accessToken, open.id, Buffer.from('x'), 'x.txt');
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    await write(owner, 'PATCH', `/api/v1/tasks/${open.id}`, { assigneeId: owner.id });
    await write(owner, 'PATCH', `/api/v1/tasks/${open.id}`, { name: 'Renamed' });
    await step('a comment, a move, done, undone, work time, an upload, a reassignment', [7, 7, 0]);

    // A child task: its own entries and one on its parent.
    const child = await created<TaskBody>(owner, 'POST', `/api/v1/tasks/${open.id}/children`, {
      name: 'Child',
    });
    await step('a child task', [2, 2, 0]);

    // Private tasks: their entries go to those on them only.
    await write(owner, 'PATCH', `/api/v1/projects/${project.id}`, { openTaskPrivate: true });
    const hidden = await createTask(app, owner.accessToken, project.id, stages[0].id);
    await write(owner, 'POST', `/api/v1/tasks/${hidden.id}/comments`, { content: 'Secret' });
    await step('a private task and a comment on it', [2, 0, 0]);
    await write(owner, 'POST', `/api/v1/tasks/${hidden.id}/members`, { memberId: member.id });
    await step('a task member added to it', [0, 2, 0]);
    await write(owner, 'DELETE', `/api/v1/tasks/${hidden.id}/members/${member.id}`);
    await step('the task member removed', [0, -2, 0]);
    await write(owner, 'PATCH', `/api/v1/tasks/${hidden.id}`, { assigneeId: member.id });
    await step('assigned to the member', [1, 3, 0]);
    await write(owner, 'DELETE', `/api/v1/tasks/${hidden.id}/members/${member.id}`);
    await step('the assignee removed from it', [0, -3, 0]);
    const assigned = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    await step('a private task created for the member', [2, 2, 0]);

    // The recycle bin: a task leaves the feeds with its child tasks, and comes back.
    await write(member, 'POST', `/api/v1/tasks/${open.id}/recycle`);
    await step('a task recycled with its child', [-11, -11, 0]);
    await write(owner, 'POST', `/api/v1/tasks/${open.id}/restore`);
    await step('restored with its child (the recycling entry too)', [13, 13, 0]);
    await write(owner, 'POST', `/api/v1/tasks/${child.id}/recycle`);
    await step('a child recycled on its own', [-1, -1, 0]);
    await write(owner, 'DELETE', `/api/v1/tasks/${child.id}`);
    await step("deleted for good (the project's entry saying so)", [1, 1, 0]);
    await write(owner, 'POST', `/api/v1/tasks/${assigned.id}/recycle`);
    await step("the member's private task recycled", [-2, -2, 0]);

    // Members joining and leaving, and the project's own states.
    await write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: newcomer.id });
    // They see what the member sees: no private task is either's.
    await step('a member joined', [0, 0, totals[1]]);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/archive`);
    await write(owner, 'DELETE', `/api/v1/projects/${project.id}`);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/restore`);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/unarchive`);
    await step('the project archived, recycled, restored, unarchived', [0, 0, 0]);
    await write(owner, 'DELETE', `/api/v1/projects/${project.id}/members/${member.id}`);
    await step('a member left', [0, -totals[1], 0]);
  });

  it('keeps the activity feed totals exact through the private flag, task member lists, task batches, leaving and deleting a project', async () => {
    const [owner, member, other] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
    const everyone = [owner, member, other];
    const { project, stages } = await board(app, owner, member);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: other.id });
    const open = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      assigneeId: member.id,
    });
    const flagged = await createTask(app, owner.accessToken, project.id, stages[1].id);
    await write(owner, 'POST', `/api/v1/tasks/${flagged.id}/comments`, { content: 'Note' });
    let totals = await expectFeeds('set up', everyone);
    const step = async (name: string, changes: number[]) => {
      totals = await expectFeeds(name, everyone, totals, changes);
    };

    await write(owner, 'PATCH', `/api/v1/tasks/${flagged.id}`, { private: true });
    await step('a task made private: only its creator sees it', [0, -2, -2]);
    await write(owner, 'PUT', `/api/v1/tasks/${flagged.id}/members`, { memberIds: [member.id] });
    await step('its member list set', [0, 2, 0]);
    await write(owner, 'PATCH', `/api/v1/tasks/${flagged.id}`, { private: false });
    await step('made public again', [0, 0, 2]);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/tasks/assign`, {
      taskIds: [open.id, flagged.id],
      assigneeId: other.id,
    });
    await step('both tasks given to one member in a batch', [2, 2, 2]);
    await write(owner, 'POST', `/api/v1/stages/${stages[1].id}/recycle-tasks`);
    // Its entries (created, commented, assigned) leave the feeds.
    await step("a stage's tasks recycled in a batch", [-3, -3, -3]);
    await write(owner, 'PATCH', `/api/v1/tasks/${open.id}`, { assigneeId: member.id });
    await step('the open task given back', [1, 1, 1]);
    await write(member, 'POST', `/api/v1/projects/${project.id}/leave`);
    await step('its assignee left the project (the task unassigned)', [1, -totals[1], 1]);
    await write(owner, 'DELETE', `/api/v1/projects/${project.id}`);
    await write(owner, 'POST', `/api/v1/projects/${project.id}/purge`);
    await step('the project deleted for good', [-totals[0], 0, -totals[2]]);
  });

  it('keeps the activity feed totals exact under concurrent writes to one project', async () => {
    const [owner, ...members] = await Promise.all(
      Array.from({ length: 4 }, () => registerMember(app)),
    );
    const { project, stages } = await board(app, owner, members[0]);
    const open = await createTask(app, owner.accessToken, project.id, stages[0].id);
    await write(owner, 'PATCH', `/api/v1/projects/${project.id}`, { openTaskPrivate: true });
    const hidden = await createTask(app, owner.accessToken, project.id, stages[0].id);
    const others = await Promise.all(
      [0, 1].map(() => createTask(app, owner.accessToken, project.id, stages[0].id)),
    );
    await Promise.all([
      ...members
        .slice(1)
        .map((member) =>
          attempt(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: member.id }),
        ),
      attempt(owner, 'DELETE', `/api/v1/projects/${project.id}/members/${members[0].id}`),
      ...[open, hidden].flatMap((task) => [
        attempt(owner, 'POST', `/api/v1/tasks/${task.id}/comments`, { content: 'One' }),
        attempt(owner, 'POST', `/api/v1/tasks/${task.id}/comments`, { content: 'Two' }),
        attempt(owner, 'POST', `/api/v1/tasks/${task.id}/work-times`, { hours: 1 }),
      ]),
      ...members
        .slice(1)
        .map((member) =>
          attempt(owner, 'POST', `/api/v1/tasks/${hidden.id}/members`, { memberId: member.id }),
        ),
      attempt(owner, 'POST', `/api/v1/tasks/${open.id}/recycle`),
      attempt(owner, 'POST', `/api/v1/tasks/${others[0].id}/done`),
      attempt(owner, 'POST', `/api/v1/tasks/${others[1].id}/move`, { toStageId: stages[1].id }),
    ]);
    await Promise.all([
      attempt(owner, 'POST', `/api/v1/tasks/${open.id}/restore`),
      attempt(owner, 'POST', `/api/v1/projects/${project.id}/members`, { memberId: members[0].id }),
      attempt(owner, 'PATCH', `/api/v1/tasks/${hidden.id}`, { assigneeId: members[1].id }),
      attempt(owner, 'DELETE', `/api/v1/tasks/${hidden.id}/members/${members[2].id}`),
      attempt(owner, 'POST', `/api/v1/tasks/${others[1].id}/recycle`),
      attempt(owner, 'POST', `/api/v1/tasks/${open.id}/comments`, { content: 'Three' }),
    ]);
    const totals = await expectFeeds('after concurrent writes', [owner, ...members]);
    assert.ok(
      totals.every((total) => total > 0),
      `every member sees some entries: ${totals.join(', ')}`,
    );
  });
});
