import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import {
  notificationGrpcClient,
  notificationsOf,
  unreadCount,
  type NotificationBody,
} from '../support/notifications';
import {
  board,
  projectGrpcClients,
  sql,
  type PageBody,
  type ProblemBody,
  type ProjectBody,
  type StageBody,
} from '../support/projects';

interface Team {
  owner: RegisteredMember;
  members: RegisteredMember[];
  project: ProjectBody;
  stages: StageBody[];
}

describe('notifications', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app?.close();
  });

  /** A project of a new owner with `size` new members in it (each told they were added). */
  async function team(size = 1): Promise<Team> {
    const [owner, ...members] = await Promise.all(
      Array.from({ length: size + 1 }, () => registerMember(app)),
    );
    const { project, stages } = await board(app, owner, members[0]);
    for (const extra of members.slice(1)) {
      const added = await call(app, 'POST', `/api/v1/projects/${project.id}/members`, {
        token: owner.accessToken,
        body: { memberId: extra.id },
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
    }
    return { owner, members, project, stages };
  }

  async function newTask(
    { project, stages }: Team,
    who: RegisteredMember,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; name: string }> {
    const response = await call<{ id: string; name: string }>(
      app,
      'POST',
      `/api/v1/projects/${project.id}/tasks`,
      {
        token: who.accessToken,
        body: {
          stageId: stages[0].id,
          name: `Task ${Math.random().toString(36).slice(2)}`,
          ...extra,
        },
      },
    );
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  const ofKind = async (who: RegisteredMember, kind: string) =>
    (await notificationsOf(app, who.accessToken, 'pageSize=100')).items.filter(
      (item) => item.kind === kind,
    );

  describe('over REST', () => {
    it('tells the assignee of a task created for them, and not the member who created it', async () => {
      const crew = await team();
      const [member] = crew.members;
      const task = await newTask(crew, crew.owner, { assigneeId: member.id });
      await newTask(crew, crew.owner, { assigneeId: crew.owner.id });

      const [assigned, ...more] = await ofKind(member, 'taskAssigned');
      assert.equal(more.length, 0);
      assert.equal(assigned.taskId, task.id);
      assert.equal(assigned.projectId, crew.project.id);
      assert.equal(assigned.actor?.id, crew.owner.id);
      assert.equal(assigned.actor?.name, crew.owner.input.name);
      assert.equal(assigned.content, `assigned you the task ${task.name}`);
      assert.equal(assigned.read, false);
      assert.ok(!Number.isNaN(Date.parse(assigned.createdAt)));
      assert.deepEqual(await ofKind(crew.owner, 'taskAssigned'), []);
    });

    it('tells the new assignee on reassignment, but not who assigned, nor a member who takes it', async () => {
      const crew = await team(2);
      const [member, other] = crew.members;
      const task = await newTask(crew, crew.owner);
      const assign = async (who: RegisteredMember, assigneeId: string) => {
        const response = await call(app, 'PATCH', `/api/v1/tasks/${task.id}`, {
          token: who.accessToken,
          body: { assigneeId },
        });
        assert.equal(response.status, 200, JSON.stringify(response.body));
      };

      await assign(crew.owner, member.id);
      await assign(crew.owner, member.id); // unchanged: no second notification
      assert.equal((await ofKind(member, 'taskAssigned')).length, 1);

      await assign(other, other.id);
      assert.deepEqual(await ofKind(other, 'taskAssigned'), []);

      await assign(other, crew.owner.id);
      const [toOwner] = await ofKind(crew.owner, 'taskAssigned');
      assert.equal(toOwner.actor?.id, other.id);
      assert.equal(toOwner.taskId, task.id);
      assert.deepEqual(await ofKind(other, 'taskAssigned'), []);
    });

    it('tells each mentioned project member once, with the comment, and never its author', async () => {
      const crew = await team(2);
      const [member, other] = crew.members;
      const task = await newTask(crew, crew.owner);
      const response = await call<{ id: string }>(
        app,
        'POST',
        `/api/v1/tasks/${task.id}/comments`,
        {
          token: crew.owner.accessToken,
          body: {
            content: 'Look at this',
            mentions: [member.id, other.id, member.id, crew.owner.id],
          },
        },
      );
      assert.equal(response.status, 201, JSON.stringify(response.body));

      for (const mentioned of [member, other]) {
        const [notification, ...more] = await ofKind(mentioned, 'mentioned');
        assert.equal(more.length, 0);
        assert.equal(notification.taskId, task.id);
        assert.equal(notification.projectId, crew.project.id);
        assert.equal(notification.actor?.id, crew.owner.id);
        assert.equal(notification.content, `mentioned you in a comment on the task ${task.name}`);
      }
      assert.deepEqual(await ofKind(crew.owner, 'mentioned'), []);
    });

    it('writes the mention notifications in the comment transaction: both or neither', async () => {
      const crew = await team();
      const [member] = crew.members;
      const task = await newTask(crew, crew.owner);
      await sql(
        app,
        "CREATE TRIGGER refuse_notifications BEFORE INSERT ON notification FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'",
      );
      try {
        const response = await call(app, 'POST', `/api/v1/tasks/${task.id}/comments`, {
          token: crew.owner.accessToken,
          body: { content: 'Never stored', mentions: [member.id] },
        });
        assert.equal(response.status, 500, JSON.stringify(response.body));
      } finally {
        await sql(app, 'DROP TRIGGER refuse_notifications');
      }
      const comments = await sql(app, 'SELECT id FROM project_activity WHERE content = ?', [
        'Never stored',
      ]);
      assert.deepEqual(comments, []);
      assert.deepEqual(await ofKind(member, 'mentioned'), []);
    });

    it('refuses a mention of a non-member with 400 naming mentions, writing nothing', async () => {
      const crew = await team();
      const [member] = crew.members;
      const outsider = await registerMember(app);
      const task = await newTask(crew, crew.owner);
      const response = await call<ProblemBody>(app, 'POST', `/api/v1/tasks/${task.id}/comments`, {
        token: crew.owner.accessToken,
        body: { content: 'Hello outsider', mentions: [member.id, outsider.id] },
      });
      assert.equal(response.status, 400);
      assert.deepEqual(
        response.body.errors?.map((error) => error.field),
        ['mentions'],
      );
      const activity = await call<PageBody<unknown>>(
        app,
        'GET',
        `/api/v1/tasks/${task.id}/activity?type=comments`,
        { token: crew.owner.accessToken },
      );
      assert.equal(activity.body.total, 0);
      assert.deepEqual(await ofKind(member, 'mentioned'), []);
      assert.equal((await notificationsOf(app, outsider.accessToken)).total, 0);
    });

    it('keeps a comment on a private task that mentions a member who cannot see it, and does not tell them', async () => {
      const crew = await team(2);
      const [member, other] = crew.members;
      const privately = await call(app, 'PATCH', `/api/v1/projects/${crew.project.id}`, {
        token: crew.owner.accessToken,
        body: { openTaskPrivate: true },
      });
      assert.equal(privately.status, 200);
      const task = await newTask(crew, crew.owner, { assigneeId: member.id });
      const hidden = await call<{ id: string; content: string }>(
        app,
        'POST',
        `/api/v1/tasks/${task.id}/comments`,
        { token: crew.owner.accessToken, body: { content: 'Secret', mentions: [other.id] } },
      );
      assert.equal(hidden.status, 201);
      assert.equal(hidden.body.content, 'Secret');
      assert.deepEqual(await ofKind(other, 'mentioned'), []);

      const seen = await call(app, 'POST', `/api/v1/tasks/${task.id}/comments`, {
        token: crew.owner.accessToken,
        body: { content: 'Secret', mentions: [member.id] },
      });
      assert.equal(seen.status, 201);
      assert.equal((await ofKind(member, 'mentioned')).length, 1);
    });

    it('tells a member added to a project', async () => {
      const crew = await team();
      const [added, ...more] = await ofKind(crew.members[0], 'addedToProject');
      assert.equal(more.length, 0);
      assert.equal(added.projectId, crew.project.id);
      assert.equal(added.taskId, null);
      assert.equal(added.actor?.id, crew.owner.id);
      assert.equal(added.content, `added you to the project ${crew.project.name}`);
      assert.deepEqual(await ofKind(crew.owner, 'addedToProject'), []);
    });

    it('counts unread ones, and lists newest first in pages, or only the unread', async () => {
      const crew = await team();
      const [member] = crew.members;
      const tasks = [];
      for (let index = 0; index < 4; index++) {
        tasks.push(await newTask(crew, crew.owner, { assigneeId: member.id }));
      }
      // Added to the project, then four tasks.
      assert.equal(await unreadCount(app, member.accessToken), 5);
      const first = await notificationsOf(app, member.accessToken, 'page=1&pageSize=2');
      const second = await notificationsOf(app, member.accessToken, 'page=2&pageSize=2');
      const third = await notificationsOf(app, member.accessToken, 'page=3&pageSize=2');
      assert.equal(first.total, 5);
      assert.deepEqual(
        [...first.items, ...second.items, ...third.items].map((item) => item.taskId),
        [...tasks.map((task) => task.id).reverse(), null],
      );
      assert.deepEqual([first.page, first.pageSize], [1, 2]);

      const read = await call<NotificationBody>(
        app,
        'POST',
        `/api/v1/me/notifications/${first.items[0].id}/read`,
        { token: member.accessToken },
      );
      assert.equal(read.status, 200);
      assert.equal(read.body.read, true);
      assert.ok(read.body.readAt);
      assert.equal(await unreadCount(app, member.accessToken), 4);
      const unread = await notificationsOf(app, member.accessToken, 'unreadOnly=true');
      assert.equal(unread.total, 4);
      assert.ok(unread.items.every((item) => !item.read));
      assert.ok(!unread.items.some((item) => item.id === first.items[0].id));
    });

    it('lists only the kinds asked for, and counts the unread ones of each kind', async () => {
      const crew = await team();
      const [member] = crew.members;
      const task = await newTask(crew, crew.owner, { assigneeId: member.id });
      const counted = await call<{ unread: number; byKind: Record<string, number> }>(
        app,
        'GET',
        '/api/v1/me/notifications/unread-count',
        { token: member.accessToken },
      );
      assert.deepEqual(counted.body, {
        unread: 2,
        byKind: { taskAssigned: 1, mentioned: 0, addedToProject: 1, invited: 0, system: 0 },
      });
      const tasksOnly = await notificationsOf(
        app,
        member.accessToken,
        'kinds=taskAssigned,mentioned',
      );
      assert.deepEqual(
        tasksOnly.items.map((item) => [item.kind, item.taskId]),
        [['taskAssigned', task.id]],
      );
      assert.equal(tasksOnly.total, 1);
      const projectsOnly = await notificationsOf(app, member.accessToken, 'kinds=addedToProject');
      assert.deepEqual(
        projectsOnly.items.map((item) => item.kind),
        ['addedToProject'],
      );
      assert.equal((await notificationsOf(app, member.accessToken, 'kinds=')).total, 2);
      const refused = await call<ProblemBody>(app, 'GET', '/api/v1/me/notifications?kinds=spam', {
        token: member.accessToken,
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.errors?.[0].field, 'kinds');
    });

    it('searches by a text the sentence contains and by when it was stored', async () => {
      const crew = await team();
      const [member] = crew.members;
      const alpha = await newTask(crew, crew.owner, {
        assigneeId: member.id,
        name: 'Alpha 100%_x',
      });
      await newTask(crew, crew.owner, { assigneeId: member.id, name: 'Beta 100 x' });
      const search = (query: string) => notificationsOf(app, member.accessToken, query);
      const literal = await search(`keyword=${encodeURIComponent('100%_')}`);
      assert.deepEqual(
        literal.items.map((item) => item.taskId),
        [alpha.id],
        'wildcards are taken literally',
      );
      assert.equal(literal.total, 1);
      assert.equal((await search('keyword=BETA')).total, 1, 'any case');
      assert.equal((await search('keyword=')).total, 3, 'an empty keyword narrows nothing');
      const hour = 60 * 60 * 1000;
      const at = (offset: number) =>
        encodeURIComponent(new Date(Date.now() + offset).toISOString());
      assert.equal((await search(`createdFrom=${at(-hour)}&createdBefore=${at(hour)}`)).total, 3);
      assert.equal((await search(`createdFrom=${at(hour)}`)).total, 0);
      assert.equal((await search(`createdBefore=${at(-hour)}`)).total, 0);
      assert.equal((await search(`keyword=alpha&createdFrom=${at(-hour)}`)).total, 1);
      for (const [query, field] of [
        [`createdFrom=${at(hour)}&createdBefore=${at(-hour)}`, 'createdBefore'],
        ['createdFrom=yesterday', 'createdFrom'],
        [`keyword=${'k'.repeat(101)}`, 'keyword'],
      ]) {
        const refused = await call<ProblemBody>(app, 'GET', `/api/v1/me/notifications?${query}`, {
          token: member.accessToken,
        });
        assert.equal(refused.status, 400, query);
        assert.equal(refused.body.errors?.[0].field, field, query);
      }
    });

    it('marks one read, again without change, and answers 404 for someone else’s', async () => {
      const crew = await team();
      const [member] = crew.members;
      const [notification] = (await notificationsOf(app, member.accessToken)).items;
      const path = `/api/v1/me/notifications/${notification.id}/read`;

      const byOwner = await call(app, 'POST', path, { token: crew.owner.accessToken });
      assert.equal(byOwner.status, 404);
      assert.equal(await unreadCount(app, member.accessToken), 1);

      const once = await call<NotificationBody>(app, 'POST', path, { token: member.accessToken });
      const twice = await call<NotificationBody>(app, 'POST', path, { token: member.accessToken });
      assert.equal(once.status, 200);
      assert.equal(twice.status, 200);
      assert.equal(twice.body.readAt, once.body.readAt);
      assert.equal(await unreadCount(app, member.accessToken), 0);

      const unknown = await call(app, 'POST', `/api/v1/me/notifications/${crew.project.id}/read`, {
        token: member.accessToken,
      });
      assert.equal(unknown.status, 404);
    });

    it('marks all read and answers how many were unread', async () => {
      const crew = await team();
      const [member] = crew.members;
      await newTask(crew, crew.owner, { assigneeId: member.id });
      await newTask(crew, crew.owner, { assigneeId: member.id });
      const response = await call<{ marked: number }>(
        app,
        'POST',
        '/api/v1/me/notifications/read-all',
        { token: member.accessToken },
      );
      assert.equal(response.status, 200);
      assert.equal(response.body.marked, 3);
      assert.equal(await unreadCount(app, member.accessToken), 0);
      const again = await call<{ marked: number }>(
        app,
        'POST',
        '/api/v1/me/notifications/read-all',
        { token: member.accessToken },
      );
      assert.equal(again.body.marked, 0);
      assert.equal((await notificationsOf(app, member.accessToken)).total, 3);
      // The owner's own are untouched by the member's.
      await newTask(crew, member, { assigneeId: crew.owner.id });
      assert.equal(await unreadCount(app, crew.owner.accessToken), 1);
    });

    it('keeps only the newest notifications.maxPerMember of a member, unread ones too, live', async () => {
      await reconfigure(app, { notifications: { maxPerMember: 3 } });
      try {
        const crew = await team();
        const [member] = crew.members;
        const tasks = [];
        for (let index = 0; index < 4; index++) {
          tasks.push(await newTask(crew, crew.owner, { assigneeId: member.id }));
        }
        const kept = await notificationsOf(app, member.accessToken);
        assert.equal(kept.total, 3);
        assert.deepEqual(
          kept.items.map((item) => item.taskId),
          tasks
            .slice(1)
            .map((task) => task.id)
            .reverse(),
        );
      } finally {
        await reconfigure(app, { notifications: { maxPerMember: 500 } });
      }
    });

    it('drops a read notification notifications.retentionDays after it was read, keeping unread ones', async () => {
      await reconfigure(app, { notifications: { retentionDays: 7 } });
      try {
        const crew = await team();
        const [member] = crew.members;
        await newTask(crew, crew.owner, { assigneeId: member.id });
        await newTask(crew, crew.owner, { assigneeId: member.id });
        const [newest, middle, oldest] = (await notificationsOf(app, member.accessToken)).items;
        for (const { id } of [newest, middle]) {
          const read = await call(app, 'POST', `/api/v1/me/notifications/${id}/read`, {
            token: member.accessToken,
          });
          assert.equal(read.status, 200);
        }
        // The newest read eight days ago, the middle one read just now, the oldest unread and
        // as old as the newest.
        const rowId = (notification: NotificationBody) => decodeId(notification.id, 'notification');
        await sql(
          app,
          'UPDATE notification SET readAt = NOW() - INTERVAL 8 DAY, createdAt = NOW() - INTERVAL 9 DAY WHERE id = ?',
          [rowId(newest)],
        );
        await sql(app, 'UPDATE notification SET createdAt = NOW() - INTERVAL 9 DAY WHERE id = ?', [
          rowId(oldest),
        ]);
        const stored = await notificationsOf(app, member.accessToken);
        assert.equal(stored.total, 3, 'nothing is pruned until something is stored for them');

        const latest = await newTask(crew, crew.owner, { assigneeId: member.id });
        const pruned = await notificationsOf(app, member.accessToken);
        assert.deepEqual(
          pruned.items.map((item) => item.id),
          [pruned.items[0].id, middle.id, oldest.id],
        );
        assert.equal(pruned.items[0].taskId, latest.id);
      } finally {
        await reconfigure(app, { notifications: { retentionDays: 30 } });
      }
    });
  });

  describe('over gRPC', () => {
    let notifications: Client;
    let projects: Client;
    let tasks: Client;

    before(() => {
      notifications = notificationGrpcClient(app);
      ({ projects, tasks } = projectGrpcClients(app));
    });

    after(() => {
      notifications?.close();
      projects?.close();
      tasks?.close();
    });

    interface NotificationMessage {
      id: string;
      kind: string;
      content: string;
      actor: { id: string; name: string } | null;
      projectId: string;
      taskId: string;
      read: boolean;
      readAt: string;
    }

    const rpc = <T>(client: Client, method: string, request: object, who: RegisteredMember) =>
      unary<object, T>(client, method, request, bearer(who.accessToken));
    const list = (who: RegisteredMember, request: object = {}) =>
      rpc<{ items: NotificationMessage[]; total: number; page: number; pageSize: number }>(
        notifications,
        'ListNotifications',
        request,
        who,
      );
    const countUnread = async (who: RegisteredMember) =>
      (await rpc<{ unread: number }>(notifications, 'CountUnread', {}, who)).unread;
    const kindsOf = async (who: RegisteredMember) =>
      (await list(who, { pageSize: 100 })).items.map((item) => item.kind);

    it('tells the assignee of a task created or reassigned over gRPC, not the actor', async () => {
      const crew = await team(2);
      const [member, other] = crew.members;
      const created = await rpc<{ id: string; name: string }>(
        tasks,
        'CreateTask',
        {
          projectId: crew.project.id,
          stageId: crew.stages[0].id,
          name: 'Over gRPC',
          assigneeId: member.id,
        },
        crew.owner,
      );
      const [assigned] = (await list(member)).items;
      assert.equal(assigned.kind, 'taskAssigned');
      assert.equal(assigned.taskId, created.id);
      assert.equal(assigned.actor?.id, crew.owner.id);

      await rpc(tasks, 'UpdateTask', { id: created.id, assigneeId: other.id }, member);
      const [reassigned] = (await list(other)).items;
      assert.equal(reassigned.kind, 'taskAssigned');
      assert.equal(reassigned.actor?.id, member.id);
      // The member who reassigned it was told only of the first assignment.
      assert.equal((await kindsOf(member)).filter((kind) => kind === 'taskAssigned').length, 1);
      assert.deepEqual(await kindsOf(crew.owner), []);
    });

    it('tells the mentioned members of a comment, and refuses a non-member: INVALID_ARGUMENT, nothing written', async () => {
      const crew = await team(2);
      const [member, other] = crew.members;
      const outsider = await registerMember(app);
      const task = await rpc<{ id: string }>(
        tasks,
        'CreateTask',
        { projectId: crew.project.id, stageId: crew.stages[0].id, name: 'Mentioned' },
        crew.owner,
      );
      await assert.rejects(
        rpc(
          tasks,
          'AddComment',
          { taskId: task.id, content: 'Hi', mentions: [member.id, outsider.id] },
          crew.owner,
        ),
        rejectsWith(status.INVALID_ARGUMENT, 'mentions'),
      );
      const comments = await rpc<{ total: number }>(
        tasks,
        'ListActivity',
        { taskId: task.id, type: 'comments' },
        crew.owner,
      );
      assert.equal(comments.total, 0);
      assert.ok(!(await kindsOf(member)).includes('mentioned'));

      await rpc(
        tasks,
        'AddComment',
        { taskId: task.id, content: 'Hi', mentions: [other.id, other.id] },
        member,
      );
      const mentions = (await list(other)).items.filter((item) => item.kind === 'mentioned');
      assert.equal(mentions.length, 1);
      assert.equal(mentions[0].actor?.id, member.id);
      assert.equal(mentions[0].taskId, task.id);
    });

    it('keeps a comment on a private task mentioning a member who cannot see it, not telling them', async () => {
      const crew = await team(2);
      const [member, other] = crew.members;
      await rpc(
        projects,
        'UpdateProject',
        { id: crew.project.id, openTaskPrivate: true },
        crew.owner,
      );
      const task = await rpc<{ id: string; private: boolean }>(
        tasks,
        'CreateTask',
        {
          projectId: crew.project.id,
          stageId: crew.stages[0].id,
          name: 'Private',
          assigneeId: member.id,
        },
        crew.owner,
      );
      assert.equal(task.private, true);
      await rpc(
        tasks,
        'AddComment',
        { taskId: task.id, content: 'Between us', mentions: [other.id, member.id] },
        crew.owner,
      );
      const comments = await rpc<{ total: number }>(
        tasks,
        'ListActivity',
        { taskId: task.id, type: 'comments' },
        crew.owner,
      );
      assert.equal(comments.total, 1, 'the comment is kept');
      assert.ok(!(await kindsOf(other)).includes('mentioned'), 'the hidden member is not told');
      assert.ok((await kindsOf(member)).includes('mentioned'));
    });

    it('tells a member added to a project over gRPC', async () => {
      const [owner, member] = await Promise.all([registerMember(app), registerMember(app)]);
      const project = await rpc<{ id: string }>(
        projects,
        'CreateProject',
        { name: 'Joined' },
        owner,
      );
      await rpc(projects, 'AddMember', { projectId: project.id, memberId: member.id }, owner);
      const [added] = (await list(member)).items;
      assert.equal(added.kind, 'addedToProject');
      assert.equal(added.projectId, project.id);
      assert.equal(added.taskId, '');
      assert.equal(added.content, 'added you to the project Joined');
    });

    it('lists by kind and counts the unread ones of each kind, as REST does', async () => {
      const crew = await team();
      const [member] = crew.members;
      await rpc(
        tasks,
        'CreateTask',
        {
          projectId: crew.project.id,
          stageId: crew.stages[0].id,
          name: 'By kind',
          assigneeId: member.id,
        },
        crew.owner,
      );
      const counted = await rpc<{ unread: number; byKind: Record<string, number> }>(
        notifications,
        'CountUnread',
        {},
        member,
      );
      assert.equal(counted.unread, 2);
      assert.deepEqual(counted.byKind, {
        taskAssigned: 1,
        mentioned: 0,
        addedToProject: 1,
        invited: 0,
        system: 0,
      });
      const notices = await list(member, { kinds: ['addedToProject', 'invited'] });
      assert.deepEqual(
        notices.items.map((item) => item.kind),
        ['addedToProject'],
      );
      await assert.rejects(
        list(member, { kinds: ['spam'] }),
        rejectsWith(status.INVALID_ARGUMENT, 'kinds'),
      );
    });

    it('searches by keyword and time as REST does', async () => {
      const crew = await team();
      const [member] = crew.members;
      const found = await newTask(crew, crew.owner, { assigneeId: member.id, name: 'Gamma ray' });
      await newTask(crew, crew.owner, { assigneeId: member.id, name: 'Delta' });
      const gamma = await list(member, { keyword: 'gamma' });
      assert.deepEqual([gamma.total, gamma.items.map((item) => item.taskId)], [1, [found.id]]);
      const later = new Date(Date.now() + 60 * 60 * 1000).toISOString();
      assert.equal((await list(member, { createdBefore: later })).total, 3);
      assert.equal((await list(member, { createdFrom: later })).total, 0);
      await assert.rejects(
        list(member, { createdFrom: 'soon' }),
        rejectsWith(status.INVALID_ARGUMENT, 'createdFrom'),
      );
    });

    it('counts, lists in pages, marks one and all read; someone else’s is NOT_FOUND', async () => {
      const crew = await team();
      const [member] = crew.members;
      for (let index = 0; index < 2; index++) {
        await rpc(
          tasks,
          'CreateTask',
          {
            projectId: crew.project.id,
            stageId: crew.stages[0].id,
            name: `Task ${index}`,
            assigneeId: member.id,
          },
          crew.owner,
        );
      }
      assert.equal(await countUnread(member), 3);
      const page = await list(member, { page: 2, pageSize: 2 });
      assert.deepEqual([page.total, page.page, page.pageSize, page.items.length], [3, 2, 2, 1]);
      assert.equal(page.items[0].kind, 'addedToProject');
      const [newest] = (await list(member, { pageSize: 1 })).items;
      assert.equal(newest.content, 'assigned you the task Task 1');

      await assert.rejects(
        rpc(notifications, 'MarkRead', { notificationId: newest.id }, crew.owner),
        rejectsWith(status.NOT_FOUND),
      );
      const read = await rpc<NotificationMessage>(
        notifications,
        'MarkRead',
        { notificationId: newest.id },
        member,
      );
      assert.equal(read.read, true);
      assert.equal(await countUnread(member), 2);
      const unread = await list(member, { unreadOnly: true });
      assert.equal(unread.total, 2);
      assert.ok(unread.items.every((item) => !item.read));

      const all = await rpc<{ marked: number }>(notifications, 'MarkAllRead', {}, member);
      assert.equal(all.marked, 2);
      assert.equal(await countUnread(member), 0);
    });
  });
});
