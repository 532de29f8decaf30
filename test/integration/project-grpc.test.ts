import assert from 'node:assert/strict';
import type { ProjectView } from '@/modules/project/dto/project.views';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { registerMember, type RegisteredMember } from '../support/members';
import { projectGrpcClients } from '../support/projects';

interface Page<T> {
  items: T[];
  total: number;
}

interface ProjectMessage {
  id: string;
  name: string;
  description: string;
  myRole: string;
  collected: boolean;
  archived: boolean;
  deleted: boolean;
  owner: { id: string };
}

interface TaskMessage {
  id: string;
  stageId: string;
  sort: number;
  done: boolean;
  assignee: { id: string } | null;
}

describe('projects and tasks over gRPC (msproject.project.v1)', () => {
  let app: TestApp;
  let projects: Client;
  let tasks: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let outsider: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    ({ projects, tasks } = projectGrpcClients(app));
    [owner, member, outsider] = await Promise.all([
      registerMember(app),
      registerMember(app),
      registerMember(app),
    ]);
  });

  after(async () => {
    projects?.close();
    tasks?.close();
    await app?.close();
  });

  const as = (who: RegisteredMember) => bearer(who.accessToken);
  const project = <T>(method: string, request: object, who = owner) =>
    unary<object, T>(projects, method, request, as(who));
  const task = <T>(method: string, request: object, who = owner) =>
    unary<object, T>(tasks, method, request, as(who));

  async function sharedBoard() {
    const templates = await project<Page<{ id: string; stages: string[] }>>('ListTemplates', {
      scope: 'system',
    });
    const created = await project<ProjectMessage>('CreateProject', {
      name: 'Over gRPC',
      templateId: templates.items[0].id,
    });
    await project('AddMember', { projectId: created.id, memberId: member.id });
    const stages = await task<Page<{ id: string; name: string }>>('ListStages', {
      projectId: created.id,
    });
    assert.deepEqual(
      stages.items.map((stage) => stage.name),
      templates.items[0].stages,
    );
    return { project: created, stages: stages.items };
  }

  it('creates, lists, reads, updates, archives, recycles, restores and collects projects', async () => {
    const someone = await registerMember(app);
    const created = await project<ProjectMessage>('CreateProject', { name: 'P1' }, someone);
    assert.equal(created.myRole, 'owner');
    assert.equal(created.description, '');
    const listed = await project<Page<ProjectMessage>>('ListProjects', {}, someone);
    assert.deepEqual(
      listed.items.map((item) => item.id),
      [created.id],
    );
    const updated = await project<ProjectMessage>(
      'UpdateProject',
      { id: created.id, name: 'P1 renamed', description: 'about' },
      someone,
    );
    assert.equal(updated.name, 'P1 renamed');
    assert.equal(updated.description, 'about');
    const cleared = await project<ProjectMessage>(
      'UpdateProject',
      { id: created.id, description: '' },
      someone,
    );
    assert.equal(cleared.description, '');
    assert.equal(cleared.name, 'P1 renamed');
    const collected = await project<ProjectMessage>(
      'SetCollected',
      { id: created.id, collected: true },
      someone,
    );
    assert.equal(collected.collected, true);
    const filter = async (name: string) =>
      (await project<Page<ProjectMessage>>('ListProjects', { filter: name }, someone)).total;
    assert.equal(await filter('collected'), 1);
    await project('ArchiveProject', { id: created.id, archived: true }, someone);
    assert.deepEqual([await filter('mine'), await filter('archived')], [0, 1]);
    await project('ArchiveProject', { id: created.id, archived: false }, someone);
    const recycled = await project<ProjectMessage>('RecycleProject', { id: created.id }, someone);
    assert.equal(recycled.deleted, true);
    assert.deepEqual([await filter('mine'), await filter('recycled')], [0, 1]);
    await project('RestoreProject', { id: created.id }, someone);
    assert.equal(await filter('mine'), 1);
    const got = await project<ProjectMessage>('GetProject', { id: created.id }, someone);
    assert.equal(got.owner.id, someone.id);
  });

  it('validates requests with INVALID_ARGUMENT naming the field', async () => {
    await assert.rejects(
      project('CreateProject', { name: '' }),
      rejectsWith(status.INVALID_ARGUMENT, 'name'),
    );
    await assert.rejects(
      project('ListProjects', { filter: 'all-of-them' }),
      rejectsWith(status.INVALID_ARGUMENT, 'filter'),
    );
    await assert.rejects(
      project('ListProjects', { pageSize: 1000 }),
      rejectsWith(status.INVALID_ARGUMENT, 'pageSize'),
    );
  });

  it('keeps the project settings, refuses a bad prefix, and computes the schedule from the tasks when asked', async () => {
    const { project: board, stages } = await sharedBoard();
    type Settings = ProjectMessage &
      Pick<ProjectView, 'schedule' | 'autoUpdateSchedule' | 'private'> & {
        prefix: string;
        openPrefix: boolean;
        openBeginTime: boolean;
      };
    const updated = await project<Settings>('UpdateProject', {
      id: board.id,
      private: false,
      prefix: 'GR',
      openPrefix: true,
      openBeginTime: true,
      autoUpdateSchedule: true,
      schedule: 10,
    });
    assert.deepEqual(
      [
        updated.private,
        updated.prefix,
        updated.openPrefix,
        updated.openBeginTime,
        updated.autoUpdateSchedule,
      ],
      [false, 'GR', true, true, true],
    );
    const [a] = [
      await task<TaskMessage>('CreateTask', {
        projectId: board.id,
        stageId: stages[0].id,
        name: 'a',
      }),
      await task<TaskMessage>('CreateTask', {
        projectId: board.id,
        stageId: stages[0].id,
        name: 'b',
      }),
    ];
    await task('SetDone', { id: a.id, done: true });
    assert.equal((await project<Settings>('GetProject', { id: board.id })).schedule, 50);
    await task('SetDone', { id: a.id, done: false });
    assert.equal((await project<Settings>('GetProject', { id: board.id })).schedule, 0);
    await assert.rejects(
      project('UpdateProject', { id: board.id, prefix: 'G-R' }),
      rejectsWith(status.INVALID_ARGUMENT, 'prefix'),
    );
    const cleared = await project<Settings>('UpdateProject', {
      id: board.id,
      prefix: '',
      autoUpdateSchedule: false,
    });
    assert.deepEqual([cleared.prefix, cleared.schedule], ['', 10], 'the schedule as set');
  });

  it('lists templates by scope and members of a project', async () => {
    const system = await project<Page<{ isSystem: boolean }>>('ListTemplates', { scope: 'system' });
    assert.equal(system.total, 4);
    const mine = await project<Page<unknown>>('ListTemplates', { scope: 'mine' });
    assert.equal(mine.total, 0);
    const { project: board } = await sharedBoard();
    const members = await project<Page<{ member: { id: string }; role: string }>>(
      'ListMembers',
      { projectId: board.id },
      member,
    );
    assert.deepEqual(
      members.items.map((row) => [row.member.id, row.role]),
      [
        [owner.id, 'owner'],
        [member.id, 'member'],
      ],
    );
    await project('RemoveMember', { projectId: board.id, memberId: member.id });
    await assert.rejects(
      project('GetProject', { id: board.id }, member),
      rejectsWith(status.NOT_FOUND),
    );
  });

  it('answers FAILED_PRECONDITION to writes the state forbids, ALREADY_EXISTS to duplicates', async () => {
    const { project: board, stages } = await sharedBoard();
    await assert.rejects(
      project('RemoveMember', { projectId: board.id, memberId: owner.id }),
      rejectsWith(status.FAILED_PRECONDITION, 'memberId', 'failed_precondition'),
    );
    await assert.rejects(
      project('AddMember', { projectId: board.id, memberId: member.id }),
      rejectsWith(status.ALREADY_EXISTS, 'memberId', 'already_exists'),
    );
    await project('RecycleProject', { id: board.id });
    await assert.rejects(
      task('CreateTask', { projectId: board.id, stageId: stages[0].id, name: 'x' }),
      rejectsWith(status.FAILED_PRECONDITION, undefined, 'project_recycled'),
    );
    await assert.rejects(
      task('CreateStage', { projectId: board.id, name: 'x' }),
      rejectsWith(status.FAILED_PRECONDITION, undefined, 'project_recycled'),
    );
  });

  it('answers NOT_FOUND to non-members and PERMISSION_DENIED to members on owner-only RPCs', async () => {
    const { project: board, stages } = await sharedBoard();
    const created = await task<TaskMessage>('CreateTask', {
      projectId: board.id,
      stageId: stages[0].id,
      name: 't',
    });
    const calls: [Client, string, object, boolean?][] = [
      [projects, 'GetProject', { id: board.id }],
      [projects, 'UpdateProject', { id: board.id, name: 'x' }, true],
      [projects, 'ArchiveProject', { id: board.id, archived: true }, true],
      [projects, 'RecycleProject', { id: board.id }, true],
      [projects, 'RestoreProject', { id: board.id }, true],
      [projects, 'SetCollected', { id: board.id, collected: true }],
      [projects, 'ListMembers', { projectId: board.id }],
      [projects, 'AddMember', { projectId: board.id, memberId: outsider.id }, true],
      [projects, 'RemoveMember', { projectId: board.id, memberId: owner.id }, true],
      [tasks, 'ListStages', { projectId: board.id }],
      [tasks, 'CreateStage', { projectId: board.id, name: 'x' }, true],
      [tasks, 'ListTasks', { stageId: stages[0].id }],
      [tasks, 'CreateTask', { projectId: board.id, stageId: stages[0].id, name: 'x' }],
      [tasks, 'GetTask', { id: created.id }],
      [tasks, 'UpdateTask', { id: created.id, name: 'x' }],
      [tasks, 'MoveTask', { id: created.id, toStageId: stages[1].id }],
      [tasks, 'SetDone', { id: created.id, done: true }],
      [tasks, 'ListTaskMembers', { taskId: created.id }],
      [tasks, 'ListActivity', { taskId: created.id }],
      [tasks, 'AddComment', { taskId: created.id, content: 'x' }],
    ];
    for (const [client, method, request] of calls) {
      await assert.rejects(
        unary(client, method, request, as(outsider)),
        rejectsWith(status.NOT_FOUND),
        method,
      );
    }
    for (const [client, method, request, ownerOnly] of calls) {
      if (!ownerOnly) continue;
      await assert.rejects(
        unary(client, method, request, as(member)),
        rejectsWith(status.PERMISSION_DENIED),
        method,
      );
    }
  });

  it('runs a board: create, move, done, my tasks, members, comments and activity', async () => {
    const { project: board, stages } = await sharedBoard();
    const stage = await task<{ id: string; name: string }>('CreateStage', {
      projectId: board.id,
      name: 'Extra',
    });
    assert.equal(stage.name, 'Extra');
    const a = await task<TaskMessage>('CreateTask', {
      projectId: board.id,
      stageId: stages[0].id,
      name: 'a',
      assigneeId: member.id,
    });
    assert.equal(a.sort, 65536);
    assert.equal(a.assignee?.id, member.id);
    const b = await task<TaskMessage>('CreateTask', {
      projectId: board.id,
      stageId: stages[0].id,
      name: 'b',
    });
    assert.equal(b.assignee, null);
    await task('MoveTask', { id: b.id, toStageId: stages[0].id, beforeTaskId: a.id }, member);
    const listed = await task<Page<TaskMessage>>('ListTasks', { stageId: stages[0].id });
    assert.deepEqual(
      listed.items.map((item) => item.id),
      [b.id, a.id],
    );
    const finished = await task<TaskMessage>('SetDone', { id: a.id, done: true }, member);
    assert.equal(finished.done, true);
    const assigned = await task<Page<TaskMessage>>(
      'ListMyTasks',
      { view: 'assigned', done: true },
      member,
    );
    assert.ok(assigned.items.some((item) => item.id === a.id));
    const open = await task<Page<TaskMessage>>(
      'ListMyTasks',
      { view: 'assigned', done: false },
      member,
    );
    assert.equal(
      open.items.some((item) => item.id === a.id),
      false,
    );
    const updated = await task<TaskMessage>('UpdateTask', { id: b.id, assigneeId: owner.id });
    assert.equal(updated.assignee?.id, owner.id);
    const unassigned = await task<TaskMessage>('UpdateTask', { id: b.id, assigneeId: '' });
    assert.equal(unassigned.assignee, null);
    const taskMembers = await task<Page<{ member: { id: string } }>>('ListTaskMembers', {
      taskId: a.id,
    });
    assert.equal(taskMembers.total, 2);
    await task('AddComment', { taskId: a.id, content: 'nice' }, member);
    const comments = await task<Page<{ content: string }>>('ListActivity', {
      taskId: a.id,
      type: 'comments',
    });
    assert.deepEqual(
      comments.items.map((entry) => entry.content),
      ['nice'],
    );
    const all = await task<Page<{ type: string }>>('ListActivity', { taskId: a.id });
    assert.deepEqual(
      all.items.map((entry) => entry.type),
      ['comment', 'done', 'assign', 'create'],
    );
    const feed = await task<Page<{ content: string }>>('ListActivity', {}, member);
    assert.ok(feed.items.some((entry) => entry.content === 'nice'));
  });

  it('edits, reorders and deletes stages, and manages task members, as REST does', async () => {
    const { project: board, stages } = await sharedBoard();
    const renamed = await task<{ id: string; name: string; description: string }>('UpdateStage', {
      id: stages[0].id,
      name: 'Inbox',
      description: 'new work',
    });
    assert.equal(renamed.name, 'Inbox');
    const cleared = await task<{ name: string; description: string }>('UpdateStage', {
      id: stages[0].id,
      description: '',
    });
    assert.deepEqual([cleared.name, cleared.description], ['Inbox', '']);
    await assert.rejects(
      task('UpdateStage', { id: stages[0].id, name: 'Theirs' }, member),
      rejectsWith(status.PERMISSION_DENIED),
    );

    const reversed = [...stages].reverse().map((stage) => stage.id);
    const reordered = await task<Page<{ id: string }>>('ReorderStages', {
      projectId: board.id,
      stageIds: reversed,
    });
    assert.deepEqual(
      reordered.items.map((stage) => stage.id),
      reversed,
    );
    await assert.rejects(
      task('ReorderStages', { projectId: board.id, stageIds: reversed.slice(1) }),
      rejectsWith(status.INVALID_ARGUMENT, 'stageIds'),
    );

    const created = await task<{ id: string }>('CreateTask', {
      projectId: board.id,
      stageId: stages[1].id,
      name: 'Shared work',
    });
    await assert.rejects(
      task('DeleteStage', { id: stages[1].id }),
      rejectsWith(status.FAILED_PRECONDITION),
    );
    const added = await task<{ member: { id: string }; isOwner: boolean }>('AddTaskMember', {
      taskId: created.id,
      memberId: member.id,
    });
    assert.equal(added.member.id, member.id);
    await assert.rejects(
      task('AddTaskMember', { taskId: created.id, memberId: outsider.id }),
      rejectsWith(status.INVALID_ARGUMENT, 'memberId'),
    );
    const withMember = await task<Page<{ member: { id: string } }>>('ListTaskMembers', {
      taskId: created.id,
    });
    assert.ok(withMember.items.some((entry) => entry.member.id === member.id));
    await task('RemoveTaskMember', { taskId: created.id, memberId: member.id });
    const without = await task<Page<{ member: { id: string } }>>('ListTaskMembers', {
      taskId: created.id,
    });
    assert.ok(!without.items.some((entry) => entry.member.id === member.id));

    const empty = await task<{ id: string }>('CreateStage', { projectId: board.id, name: 'Spare' });
    await task('DeleteStage', { id: empty.id });
    const after = await task<Page<{ id: string }>>('ListStages', { projectId: board.id });
    assert.ok(!after.items.some((stage) => stage.id === empty.id));
  });

  it('reads field presence from the wire: an unset optional field changes nothing, "" clears', async () => {
    const { project: board, stages } = await sharedBoard();
    const created = await task<TaskMessage & { description: string }>('CreateTask', {
      projectId: board.id,
      stageId: stages[0].id,
      name: 'Presence',
      description: 'kept',
      assigneeId: member.id,
    });
    const renamed = await task<TaskMessage & { description: string; name: string }>('UpdateTask', {
      id: created.id,
      name: 'Renamed',
    });
    assert.deepEqual(
      [renamed.name, renamed.description, renamed.assignee?.id],
      ['Renamed', 'kept', member.id],
    );
    const cleared = await task<TaskMessage & { description: string }>('UpdateTask', {
      id: created.id,
      description: '',
      assigneeId: '',
    });
    assert.equal(cleared.description, '');
    assert.equal(cleared.assignee, null);
    await task('SetDone', { id: created.id, done: true });
    const undone = await task<TaskMessage>('SetDone', { id: created.id, done: false });
    assert.equal(undone.done, false);
    const created2 = await task<{ id: string }>('CreateTask', {
      projectId: board.id,
      stageId: stages[0].id,
      name: 'Done one',
      assigneeId: owner.id,
    });
    await task('SetDone', { id: created2.id, done: true });
    const open = await task<Page<{ id: string }>>('ListMyTasks', { view: 'assigned', done: false });
    const closed = await task<Page<{ id: string }>>('ListMyTasks', {
      view: 'assigned',
      done: true,
    });
    const every = await task<Page<{ id: string }>>('ListMyTasks', { view: 'assigned' });
    assert.ok(!open.items.some((item) => item.id === created2.id));
    assert.ok(closed.items.some((item) => item.id === created2.id));
    assert.ok(every.items.some((item) => item.id === created2.id));
  });
});
