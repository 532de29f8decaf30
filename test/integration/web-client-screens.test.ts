import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import { clientTime } from '@/modules/web-client/client-time';
import { filesDirectory, reconfigure, startTestApp, type TestApp } from '../support/app';
import { fileGrpcClient, TINY_PNG, uploadFile, type FileBody } from '../support/files';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { logIn, registerMember, type RegisteredMember } from '../support/members';
import { notificationGrpcClient, notificationsOf, unreadCount } from '../support/notifications';
import { personalOrganization } from '../support/organizations';
import {
  board,
  createTask,
  projectGrpcClients,
  sql,
  type StageBody,
  type TaskBody,
} from '../support/projects';
import {
  assertClientCode,
  clientCall,
  clientOk,
  md5,
  type ClientCallOptions,
} from '../support/web-client';

type Data = Record<string, unknown>;
type List = { list: Data[]; total: number; page: number };

const HOUR_MS = 60 * 60 * 1000;

describe("the original web client's screens: Files tab, notifications, Overview, settings", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let colleague: RegisteredMember;
  let stranger: RegisteredMember;
  let projectCode = '';
  let stages: StageBody[] = [];
  const organizationCodes = new Map<string, string>();

  /** The client's headers of `member`: the bearer token and the current organization. */
  const as = (member: RegisteredMember): ClientCallOptions => ({
    token: member.accessToken,
    organizationCode: organizationCodes.get(member.id),
  });

  async function newTask(body: Record<string, unknown> = {}): Promise<TaskBody> {
    return createTask(app, owner.accessToken, projectCode, stages[0].id, body);
  }

  async function uploaded(name: string, member = owner): Promise<FileBody> {
    const task = await newTask();
    const file = await uploadFile(app, member.accessToken, task.id, Buffer.from(name), name);
    assert.equal(file.status, 201, JSON.stringify(file.body));
    return file.body;
  }

  async function restFile(id: string, member = owner) {
    return call<FileBody>(app, 'GET', `/api/v1/files/${id}`, { token: member.accessToken });
  }

  before(async () => {
    app = await startTestApp();
    owner = await registerMember(app);
    colleague = await registerMember(app);
    stranger = await registerMember(app);
    for (const member of [owner, colleague, stranger]) {
      organizationCodes.set(member.id, await personalOrganization(app, member.accessToken));
    }
    ({
      project: { id: projectCode },
      stages,
    } = await board(app, owner, colleague));
  });
  after(() => app?.close());

  describe('the Files tab', () => {
    it("lists the project's files with the fields the tab reads and a link that downloads", async () => {
      const file = await uploaded('report.final.pdf');
      const files = await clientOk<List>(
        app,
        'project/file',
        { page: 1, pageSize: 50, projectCode, deleted: 0 },
        as(owner),
      );
      const row = files.list.find((item) => item.code === file.id);
      assert.ok(row, 'the uploaded file is listed');
      assert.equal(row.title, 'report.final', 'the title the tab edits has no extension');
      assert.equal(row.fullName, 'report.final.pdf');
      assert.equal(row.extension, 'pdf');
      assert.equal(row.size, Buffer.byteLength('report.final.pdf'));
      assert.equal(row.creatorName, owner.input.name);
      const link = await fetch(`${app.baseUrl}${String(row.file_url)}`, {
        headers: { authorization: `bearer ${owner.accessToken}` },
      });
      assert.equal(link.status, 200, 'file_url downloads the file');
      assert.equal(Buffer.from(await link.arrayBuffer()).toString(), 'report.final.pdf');

      const read = await clientOk<Data>(app, 'project/file/read', { fileCode: file.id }, as(owner));
      assert.equal(read.fullName, 'report.final.pdf');

      const hidden = await clientCall(
        app,
        'project/file',
        { page: 1, pageSize: 50, projectCode, deleted: 0 },
        as(stranger),
      );
      assertClientCode(hidden, 4041, 'a stranger does not learn of the project');
    });

    it('renames a file as the tab does, the extension kept, as /api/v1 then shows it', async () => {
      const file = await uploaded('draft.txt');
      const renamed = await clientOk<Data>(
        app,
        'project/file/edit',
        { title: 'minutes', fileCode: file.id },
        as(owner),
      );
      assert.equal(renamed.fullName, 'minutes.txt');
      assert.equal((await restFile(file.id)).body.title, 'minutes.txt');

      const refused = await clientCall(
        app,
        'project/file/edit',
        { title: 'taken over', fileCode: file.id },
        as(colleague),
      );
      assertClientCode(refused, 403, 'neither its uploader nor the project owner');
      const empty = await clientCall(
        app,
        'project/file/edit',
        { title: '', fileCode: file.id },
        as(owner),
      );
      assertClientCode(empty, 400, 'an empty title');
      assert.match(empty.body.msg, /title/);
      assert.equal((await restFile(file.id)).body.title, 'minutes.txt');
    });

    it('moves a file to the recycle bin and back, the bin listing it meanwhile', async () => {
      const file = await uploaded('plan.md');
      await clientOk(app, 'project/file/recycle', { fileCode: file.id }, as(owner));
      assert.equal((await restFile(file.id)).status, 404, 'off the Files tab');
      const bin = await clientOk<List>(
        app,
        'project/file',
        { page: 1, pageSize: 10, projectCode, deleted: 1 },
        as(owner),
      );
      const row = bin.list.find((item) => item.code === file.id);
      assert.ok(row, 'in the recycle bin');
      assert.notEqual(row.deleted_time, '');
      const live = await clientOk<List>(
        app,
        'project/file',
        { page: 1, pageSize: 50, projectCode, deleted: 0 },
        { ...as(owner), minItems: 0 },
      );
      assert.equal(
        live.list.some((item) => item.code === file.id),
        false,
      );

      const refused = await clientCall(
        app,
        'project/file/recovery',
        { fileCode: file.id },
        as(colleague),
      );
      assertClientCode(refused, 403, 'restoring is the project owner’s');
      await clientOk(app, 'project/file/recovery', { fileCode: file.id }, as(owner));
      const restored = await restFile(file.id);
      assert.equal(restored.status, 200);
      assert.equal(restored.body.deleted, false);
    });

    it('deletes a file in the recycle bin for good, its bytes with it; a live one stays', async () => {
      const file = await uploaded('obsolete.csv');
      const [row] = await sql<{ storageKey: string }>(
        app,
        'SELECT storageKey FROM file WHERE title = ?',
        ['obsolete.csv'],
      );
      const objectPath = `${filesDirectory(app.database)}/${row.storageKey}`;
      const live = await clientCall(app, 'project/file/delete', { fileCode: file.id }, as(owner));
      assertClientCode(live, 409, 'not in the recycle bin');
      assert.equal((await restFile(file.id)).status, 200);

      await clientOk(app, 'project/file/recycle', { fileCode: file.id }, as(owner));
      const member = await clientCall(
        app,
        'project/file/delete',
        { fileCode: file.id },
        as(colleague),
      );
      assertClientCode(member, 403, 'the project owner only');
      await clientOk(app, 'project/file/delete', { fileCode: file.id }, as(owner));
      const bin = await call<{ items: { id: string }[] }>(
        app,
        'GET',
        `/api/v1/projects/${projectCode}/files?deleted=true&pageSize=100`,
        { token: owner.accessToken },
      );
      assert.equal(
        bin.body.items.some((item) => item.id === file.id),
        false,
        'gone from the recycle bin',
      );
      assert.equal(
        (await sql(app, 'SELECT id FROM file WHERE title = ?', ['obsolete.csv'])).length,
        0,
      );
      await assert.rejects(stat(objectPath), /ENOENT/, 'its stored bytes are gone');
    });

    it('deletes a recycled file for good over REST and gRPC alike', async () => {
      const viaRest = await uploaded('rest.bin');
      const viaGrpc = await uploaded('grpc.bin');
      for (const file of [viaRest, viaGrpc]) {
        const recycled = await call(app, 'DELETE', `/api/v1/files/${file.id}`, {
          token: owner.accessToken,
        });
        assert.equal(recycled.status, 204);
      }
      const member = await call(app, 'DELETE', `/api/v1/recycled-files/${viaRest.id}`, {
        token: colleague.accessToken,
      });
      assert.equal(member.status, 403);
      const purged = await call(app, 'DELETE', `/api/v1/recycled-files/${viaRest.id}`, {
        token: owner.accessToken,
      });
      assert.equal(purged.status, 204);
      const again = await call(app, 'DELETE', `/api/v1/recycled-files/${viaRest.id}`, {
        token: owner.accessToken,
      });
      assert.equal(again.status, 404);

      const client = fileGrpcClient(app);
      try {
        await assert.rejects(
          unary(client, 'purgeFile', { id: viaGrpc.id }, bearer(colleague.accessToken)),
          rejectsWith(status.PERMISSION_DENIED),
        );
        await unary(client, 'purgeFile', { id: viaGrpc.id }, bearer(owner.accessToken));
        await assert.rejects(
          unary(client, 'purgeFile', { id: viaGrpc.id }, bearer(owner.accessToken)),
          rejectsWith(status.NOT_FOUND),
        );
      } finally {
        client.close();
      }
      const live = await uploaded('kept.bin');
      const refused = await call(app, 'DELETE', `/api/v1/recycled-files/${live.id}`, {
        token: owner.accessToken,
      });
      assert.equal(refused.status, 409);
      assert.equal((await restFile(live.id)).status, 200);
    });
  });

  describe('the notifications page', () => {
    /** Tasks assigned to the colleague by the owner: one notification each, newest first. */
    async function notified(count: number): Promise<string[]> {
      for (let index = 0; index < count; index++) await newTask({ assigneeId: colleague.id });
      const page = await notificationsOf(app, colleague.accessToken, 'pageSize=100');
      return page.items.slice(0, count).map((item) => item.id);
    }

    async function clearAll(member: RegisteredMember) {
      for (const item of (await notificationsOf(app, member.accessToken, 'pageSize=100')).items) {
        const gone = await call(app, 'DELETE', `/api/v1/me/notifications/${item.id}`, {
          token: member.accessToken,
        });
        assert.equal(gone.status, 204);
      }
    }

    it('lists my notifications with what a row opens, and no announcement while none was sent', async () => {
      await clearAll(colleague);
      const [newest] = await notified(2);
      const page = await clientOk<List>(
        app,
        'project/notify',
        { page: 1, pageSize: 10, type: 'notice' },
        as(colleague),
      );
      assert.equal(page.total, 2);
      assert.equal(page.list[0].id, newest);
      assert.equal(page.list[0].is_read, 0);
      assert.equal(page.list[0].action, 'task');
      // The sentence in the client's language, with who did it and the task's name.
      const sentence = String(page.list[0].content);
      assert.ok(sentence.startsWith(`${owner.input.name}将任务「`), sentence);
      assert.ok(sentence.endsWith('」指派给你'), sentence);
      const opened = JSON.parse(String(page.list[0].send_data)) as Data;
      const rest = await notificationsOf(app, colleague.accessToken);
      assert.equal(opened.code, rest.items[0].taskId);
      assert.equal(opened.project_code, projectCode);

      const system = await clientOk<List>(
        app,
        'project/notify',
        { page: 1, pageSize: 10, type: 'system' },
        { ...as(colleague), minItems: 0 },
      );
      assert.deepEqual(system.list, []);
    });

    it('searches by title and by a range of days in the configured zone', async () => {
      await clearAll(colleague);
      await notified(2);
      const search = (params: Record<string, unknown>, minItems = 1) =>
        clientOk<List>(
          app,
          'project/notify',
          { page: 1, pageSize: 10, type: 'notice', ...params },
          { ...as(colleague), minItems },
        );
      assert.equal((await search({ title: '指派' })).total, 2, "the shown title's kind");
      assert.equal((await search({ title: '组织邀请' }, 0)).total, 0);
      const [first] = (await notificationsOf(app, colleague.accessToken)).items;
      const word = first.content.split(' ').at(-1)!;
      assert.equal((await search({ title: word })).total, 1, 'else the sentence');
      const zone = app.app.get<ConfigService<AppConfig, true>>(ConfigService).get('webClient', {
        infer: true,
      }).timeZone;
      const day = (offset: number) =>
        clientTime(new Date(Date.now() + offset * 24 * 60 * 60 * 1000), zone).slice(0, 10);
      assert.equal((await search({ date: `${day(0)}~${day(0)}` })).total, 2, 'today is in');
      assert.equal((await search({ date: `${day(-3)}~${day(-1)}` }, 0)).total, 0);
      assert.equal((await search({ date: `${day(1)}~${day(2)}` }, 0)).total, 0);
      assert.equal((await search({ date: '' })).total, 2);
      for (const date of ['2024-02-30~2024-03-01', `${day(0)}~${day(-1)}`, 'today']) {
        const refused = await clientCall(
          app,
          'project/notify',
          { page: 1, pageSize: 10, type: 'notice', title: '', date },
          as(colleague),
        );
        assertClientCode(refused, 400, date);
        assert.match(refused.body.msg, /^date/);
      }
    });

    it('marks the selected ones read and deletes them, as /api/v1 then shows', async () => {
      await clearAll(colleague);
      const [third, second, first] = await notified(3);
      await clientOk(
        app,
        'project/notify/setReadied',
        { ids: JSON.stringify([first]) },
        as(colleague),
      );
      const afterRead = await notificationsOf(app, colleague.accessToken);
      assert.deepEqual(
        afterRead.items.map((item) => [item.id, item.read]),
        [
          [third, false],
          [second, false],
          [first, true],
        ],
      );
      const listed = await clientOk<List>(
        app,
        'project/notify',
        { page: 1, pageSize: 10, type: 'notice' },
        as(colleague),
      );
      assert.equal(listed.list.find((item) => item.id === first)?.is_read, 1);

      await clientOk(
        app,
        'project/notify/batchDel',
        { ids: JSON.stringify([second, third]) },
        as(colleague),
      );
      assert.deepEqual(
        (await notificationsOf(app, colleague.accessToken)).items.map((item) => item.id),
        [first],
      );
      await clientOk(app, 'project/notify/delete', { id: first }, as(colleague));
      assert.equal((await notificationsOf(app, colleague.accessToken)).total, 0);
      const again = await clientCall(app, 'project/notify/delete', { id: first }, as(colleague));
      assertClientCode(again, 4041, 'already deleted');

      const bad = await clientCall(
        app,
        'project/notify/batchDel',
        { ids: '["not-an-id"]' },
        as(colleague),
      );
      assertClientCode(bad, 400, 'an id that is none');
      assert.match(bad.body.msg, /ids/);
    });

    it("leaves someone else's notifications alone", async () => {
      await clearAll(colleague);
      const [mine] = await notified(1);
      for (const [route, params] of [
        ['project/notify/batchDel', { ids: JSON.stringify([mine]) }],
        ['project/notify/setReadied', { ids: JSON.stringify([mine]) }],
      ] as const) {
        await clientOk(app, route, params, as(stranger));
      }
      const other = await clientCall(app, 'project/notify/delete', { id: mine }, as(stranger));
      assertClientCode(other, 4041, "another member's notification");
      const kept = await notificationsOf(app, colleague.accessToken);
      assert.deepEqual(
        kept.items.map((item) => [item.id, item.read]),
        [[mine, false]],
      );
    });

    it("marks everything read from the header's clear", async () => {
      await notified(2);
      assert.ok((await unreadCount(app, colleague.accessToken)) >= 2);
      await clientOk(app, 'project/notify/_clearAll', {}, as(colleague));
      assert.equal(await unreadCount(app, colleague.accessToken), 0);
    });

    it('deletes a notification over REST and gRPC alike, someone else’s not found', async () => {
      await clearAll(colleague);
      const [viaGrpc, viaRest] = await notified(2);
      const foreign = await call(app, 'DELETE', `/api/v1/me/notifications/${viaRest}`, {
        token: stranger.accessToken,
      });
      assert.equal(foreign.status, 404);
      const gone = await call(app, 'DELETE', `/api/v1/me/notifications/${viaRest}`, {
        token: colleague.accessToken,
      });
      assert.equal(gone.status, 204);
      const client = notificationGrpcClient(app);
      try {
        await assert.rejects(
          unary(
            client,
            'deleteNotification',
            { notificationId: viaGrpc },
            bearer(stranger.accessToken),
          ),
          rejectsWith(status.NOT_FOUND),
        );
        await unary(
          client,
          'deleteNotification',
          { notificationId: viaGrpc },
          bearer(colleague.accessToken),
        );
      } finally {
        client.close();
      }
      assert.equal((await notificationsOf(app, colleague.accessToken)).total, 0);
    });
  });

  describe('the Overview tab', () => {
    let statsProject = '';

    before(async () => {
      const made = await board(app, owner, colleague);
      statsProject = made.project.id;
      const stageId = made.stages[0].id;
      const task = (body: Record<string, unknown>) =>
        createTask(app, owner.accessToken, statsProject, stageId, body);
      const past = new Date(Date.now() - 48 * HOUR_MS).toISOString();
      const soon = new Date(Date.now() + 5 * 60 * 1000).toISOString();
      await task({ assigneeId: owner.id, endAt: past });
      await task({ assigneeId: owner.id, endAt: soon });
      await task({});
      const late = await task({ assigneeId: owner.id, endAt: past });
      const done = await call(app, 'POST', `/api/v1/tasks/${late.id}/done`, {
        token: owner.accessToken,
      });
      assert.equal(done.status, 200, JSON.stringify(done.body));
    });

    it('counts the tasks by state as the stats panel reads them', async () => {
      const stats = await clientOk<Data>(
        app,
        'project/project/_projectStats',
        { projectCode: statsProject },
        as(owner),
      );
      assert.deepEqual(stats, {
        total: 4,
        unDone: 3,
        done: 1,
        overdue: 1,
        toBeAssign: 1,
        expireToday: 1,
        doneOverdue: 1,
      });
    });

    it('draws the daily chart and the burn-down from the same counts REST and gRPC answer', async () => {
      const zone = app.app.get<ConfigService<AppConfig, true>>(ConfigService).get('webClient', {
        infer: true,
      }).timeZone;
      const rest = await call<{
        total: number;
        days: { date: string; created: number; undone: number }[];
      }>(app, 'GET', `/api/v1/projects/${statsProject}/task-stats?days=15&timeZone=${zone}`, {
        token: owner.accessToken,
      });
      assert.equal(rest.status, 200, JSON.stringify(rest.body));
      assert.equal(rest.body.days.length, 15);
      assert.deepEqual(rest.body.days.at(-1), {
        date: rest.body.days.at(-1)!.date,
        created: 4,
        undone: 3,
      });

      const daily = await clientOk<Data[]>(
        app,
        'project/task/dateTotalForProject',
        { projectCode: statsProject },
        as(owner),
      );
      assert.deepEqual(
        daily,
        rest.body.days.map((day) => ({ date: day.date, total: day.created })),
      );
      const report = await clientOk<{
        date: string[];
        undoneTask: number[];
        baseLineList: number[];
      }>(app, 'project/project/_getProjectReport', { projectCode: statsProject }, as(owner));
      assert.deepEqual(
        report.date,
        rest.body.days.map((day) => day.date),
      );
      assert.deepEqual(
        report.undoneTask,
        rest.body.days.map((day) => day.undone),
      );
      assert.equal(report.baseLineList.length, 15);
      assert.equal(report.baseLineList.at(-1), 0, 'the ideal line ends at none open');

      const { projects } = projectGrpcClients(app);
      try {
        const viaGrpc = await unary<
          object,
          { total: number; doneOverdue: number; days: unknown[] }
        >(
          projects,
          'getTaskStats',
          { projectId: statsProject, days: 15, timeZone: zone },
          bearer(owner.accessToken),
        );
        assert.equal(viaGrpc.total, 4);
        assert.equal(viaGrpc.doneOverdue, 1);
        assert.deepEqual(viaGrpc.days, rest.body.days);
        await assert.rejects(
          unary(
            projects,
            'getTaskStats',
            { projectId: statsProject },
            bearer(stranger.accessToken),
          ),
          rejectsWith(status.NOT_FOUND),
        );
        await assert.rejects(
          unary(
            projects,
            'getTaskStats',
            { projectId: statsProject, timeZone: 'Mars/Olympus' },
            bearer(owner.accessToken),
          ),
          rejectsWith(status.INVALID_ARGUMENT, 'timeZone'),
        );
      } finally {
        projects.close();
      }
    });

    it('counts only the tasks on the board, and tells a stranger nothing', async () => {
      const stats = await call<{ total: number }>(
        app,
        'GET',
        `/api/v1/projects/${statsProject}/task-stats`,
        { token: colleague.accessToken },
      );
      assert.equal(stats.body.total, 4);
      const extra = await createTask(
        app,
        owner.accessToken,
        statsProject,
        (
          await call<{ items: StageBody[] }>(
            app,
            'GET',
            `/api/v1/projects/${statsProject}/stages`,
            {
              token: owner.accessToken,
            },
          )
        ).body.items[0].id,
      );
      const recycled = await call(app, 'POST', `/api/v1/tasks/${extra.id}/recycle`, {
        token: owner.accessToken,
      });
      assert.equal(recycled.status, 200);
      const after = await clientOk<Data>(
        app,
        'project/project/_projectStats',
        { projectCode: statsProject },
        as(owner),
      );
      assert.equal(after.total, 4, 'a task in the recycle bin is not counted');

      for (const route of [
        'project/project/_projectStats',
        'project/task/dateTotalForProject',
        'project/project/_getProjectReport',
        'project/project_info',
      ]) {
        const hidden = await clientCall(app, route, { projectCode: statsProject }, as(stranger));
        assertClientCode(hidden, 4041, route);
      }
      const badZone = await call(
        app,
        'GET',
        `/api/v1/projects/${statsProject}/task-stats?timeZone=Nowhere%2FAtAll`,
        { token: owner.accessToken },
      );
      assert.equal(badZone.status, 400);
      assert.match(JSON.stringify(badZone.body), /timeZone/);
    });

    it("pages the project's activity with the task each entry is about", async () => {
      const page = await clientCall<List>(
        app,
        'project/project/getLogBySelfProject',
        { page: 1, pageSize: 20, projectCode: statsProject },
        as(owner),
      );
      assert.equal(page.body.code, 200, JSON.stringify(page.body));
      const rest = await call<{ items: { id: string; taskId: string | null }[]; total: number }>(
        app,
        'GET',
        `/api/v1/projects/${statsProject}/activity?pageSize=20`,
        { token: owner.accessToken },
      );
      assert.equal(rest.status, 200);
      assert.equal(page.body.data.total, rest.body.total);
      assert.deepEqual(
        page.body.data.list.map((line) => line.code),
        rest.body.items.map((item) => item.id),
      );
      const tasks = await call<{ items: { id: string; name: string }[] }>(
        app,
        'GET',
        `/api/v1/tasks?view=assigned&pageSize=100`,
        { token: owner.accessToken },
      );
      const names = new Map(tasks.body.items.map((task) => [task.id, task.name]));
      const taskLines = page.body.data.list.filter((line) => line.action_type === 'task');
      assert.ok(taskLines.length > 0);
      for (const line of taskLines) {
        const source = line.sourceInfo as { name: string; code: string };
        assert.equal(source.code, line.source_code);
        if (names.has(source.code)) assert.equal(source.name, names.get(source.code));
      }
      const { projects } = projectGrpcClients(app);
      try {
        const viaGrpc = await unary<object, { items: { id: string }[] }>(
          projects,
          'listProjectActivity',
          { projectId: statsProject, pageSize: 20 },
          bearer(owner.accessToken),
        );
        assert.deepEqual(
          viaGrpc.items.map((item) => item.id),
          rest.body.items.map((item) => item.id),
        );
      } finally {
        projects.close();
      }
      const hidden = await clientCall(
        app,
        'project/project/getLogBySelfProject',
        { page: 1, pageSize: 20, projectCode: statsProject },
        as(stranger),
      );
      assertClientCode(hidden, 4041, "a stranger's look at the project's activity");
      const home = await clientCall<unknown[]>(
        app,
        'project/project/getLogBySelfProject',
        {},
        as(owner),
      );
      assert.ok(Array.isArray(home.body.data), 'the home page still gets a list');
    });
  });

  describe('the task detail', () => {
    it('assigns a task to a project member and to nobody, as /api/v1 then shows', async () => {
      const task = await newTask();
      const assigned = await clientOk<Data>(
        app,
        'project/task/assignTask',
        { taskCode: task.id, executorCode: colleague.id },
        as(owner),
      );
      assert.equal(assigned.assign_to, colleague.id);
      const rest = await call<{ assignee: { id: string } | null }>(
        app,
        'GET',
        `/api/v1/tasks/${task.id}`,
        { token: owner.accessToken },
      );
      assert.equal(rest.body.assignee?.id, colleague.id);
      await clientOk(
        app,
        'project/task/assignTask',
        { taskCode: task.id, executorCode: '' },
        as(owner),
      );
      const cleared = await call<{ assignee: unknown }>(app, 'GET', `/api/v1/tasks/${task.id}`, {
        token: owner.accessToken,
      });
      assert.equal(cleared.body.assignee, null);
      const outsider = await clientCall(
        app,
        'project/task/assignTask',
        { taskCode: task.id, executorCode: stranger.id },
        as(owner),
      );
      assertClientCode(outsider, 400, 'not a member of the project');
    });

    it('changes and deletes logged work time, its author or the owner only', async () => {
      const task = await newTask();
      const logged = await call<{ id: string }>(
        app,
        'POST',
        `/api/v1/tasks/${task.id}/work-times`,
        {
          token: colleague.accessToken,
          body: { hours: 1 },
        },
      );
      assert.equal(logged.status, 201);
      const edit = {
        beginTime: '2024-05-01 09:30',
        num: '2.5',
        content: '评审',
        taskCode: task.id,
        code: logged.body.id,
      };
      const other = await registerMember(app);
      const refused = await clientCall(app, 'project/task/editTaskWorkTime', edit, {
        token: other.accessToken,
      });
      assertClientCode(refused, 4041, 'someone outside the project');
      await clientOk(app, 'project/task/editTaskWorkTime', edit, as(owner));
      const list = await call<{ items: { id: string; hours: number; description: string }[] }>(
        app,
        'GET',
        `/api/v1/tasks/${task.id}/work-times`,
        { token: owner.accessToken },
      );
      assert.deepEqual(
        list.body.items.map((item) => [item.id, item.hours, item.description]),
        [[logged.body.id, 2.5, '评审']],
      );
      const tooMuch = await clientCall(
        app,
        'project/task/editTaskWorkTime',
        { ...edit, num: '25' },
        as(owner),
      );
      assertClientCode(tooMuch, 400, 'more than 24 hours');
      assert.match(tooMuch.body.msg, /num/);

      await clientOk(app, 'project/task/delTaskWorkTime', { code: logged.body.id }, as(colleague));
      const after = await call<{ items: unknown[] }>(
        app,
        'GET',
        `/api/v1/tasks/${task.id}/work-times`,
        { token: owner.accessToken },
      );
      assert.deepEqual(after.body.items, []);
    });

    it("unlinks a file from its task into the project's recycle bin", async () => {
      const file = await uploaded('linked.txt');
      await clientOk(app, 'project/source_link/delete', { sourceCode: file.id }, as(owner));
      assert.equal((await restFile(file.id)).status, 404);
      const bin = await call<{ items: { id: string }[] }>(
        app,
        'GET',
        `/api/v1/projects/${projectCode}/files?deleted=true&pageSize=100`,
        { token: owner.accessToken },
      );
      assert.ok(bin.body.items.some((item) => item.id === file.id));
    });
  });

  describe('screens of features msproject does not have', () => {
    it("opens the project space's 日程 tab: its menu entry, and the calls it makes on opening", async () => {
      type Entry = { id: number; url: string; file_path: string; params: string; is_inner: number };
      type Menu = Entry & { children?: Menu[] };
      const flat = (items: Menu[]): Entry[] =>
        items.flatMap((item) => [item, ...flat(item.children ?? [])]);
      const menu = flat(await clientOk<Menu[]>(app, 'project/index', {}, as(owner)));
      const tab = menu.find((entry) => entry.url === 'project/space/events');
      assert.ok(tab, 'no menu entry: the client sends the tab to its 404 page');
      assert.deepEqual(
        [tab.id, tab.file_path, tab.params, tab.is_inner],
        [169, 'project/space/events', ':code', 1],
      );
      // What project/space/events.vue calls when it opens, with its params.
      const opening: [string, Record<string, unknown>][] = [
        ['project/events', { projectCode, deleted: 0, page: 1, pageSize: 50 }],
        ['project/project/read', { projectCode }],
        ['project/project/selfList', { archive: 0, pageSize: 300 }],
        ['project/project_member/index', { projectCode, pageSize: 300 }],
      ];
      for (const [route, params] of opening) {
        const answer = await clientCall(app, route, params, as(owner));
        assert.deepEqual([answer.status, answer.body.code], [200, 200], route);
      }
    });

    it('answers their lists empty, for what the caller may see', async () => {
      const events = await clientOk<List>(
        app,
        'project/events',
        { page: 1, pageSize: 50, projectCode, deleted: 0 },
        { ...as(owner), minItems: 0 },
      );
      assert.deepEqual([events.list, events.total], [[], 0]);
      const month = await clientOk<List>(
        app,
        'project/events/getEventsListByCalendar',
        { date: '2024-05-01 00:00:00', memberCodes: '[]' },
        { ...as(owner), minItems: 0 },
      );
      assert.deepEqual(month.list, []);
      const hidden = await clientCall(app, 'project/events', { projectCode }, as(stranger));
      assertClientCode(hidden, 4041, 'project/events');
    });

    it('refuses their writes with a message the client shows, not a 404', async () => {
      for (const [route, params, message] of [
        ['project/events/save', { title: '周会', projectCode }, /calendar/],
      ] as const) {
        const answer = await clientCall(app, route, params, as(owner));
        assertClientCode(answer, 409, route);
        assert.match(answer.body.msg, message, route);
      }
    });
  });

  describe('personal settings and the archive', () => {
    it('changes my name and description as the settings page sends them', async () => {
      const member = await registerMember(app);
      organizationCodes.set(member.id, await personalOrganization(app, member.accessToken));
      const changed = await clientOk<Data>(
        app,
        'project/index/editPersonal',
        { name: '李四', description: '负责测试', code: member.id, avatar: '' },
        as(member),
      );
      assert.equal(changed.name, '李四');
      const me = await call<{ name: string; description: string | null; avatar: string | null }>(
        app,
        'GET',
        '/api/v1/me',
        { token: member.accessToken },
      );
      assert.equal(me.body.name, '李四');
      assert.equal(me.body.description, '负责测试');
      assert.equal(me.body.avatar, null, 'an empty avatar leaves none');

      const avatar = 'https://example.test/me.png';
      await clientOk(
        app,
        'project/index/editPersonal',
        { name: '李四', description: '', code: member.id, avatar },
        as(member),
      );
      const after = await call<{ description: string | null; avatar: string | null }>(
        app,
        'GET',
        '/api/v1/me',
        { token: member.accessToken },
      );
      assert.equal(after.body.avatar, avatar);
      assert.equal(after.body.description, null);

      const bad = await clientCall(
        app,
        'project/index/editPersonal',
        { name: '', description: '', code: member.id, avatar: 'javascript:alert(1)' },
        as(member),
      );
      assertClientCode(bad, 400, 'a bad name and avatar');
    });

    it('uploads my avatar as the settings page does; every avatar the client is shown loads without the bearer header', async () => {
      const uploadAvatar = (bytes: Buffer) => {
        const body = new FormData();
        body.append('code', owner.id);
        body.append('avatar', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'me.png');
        return fetch(`${app.baseUrl}/project/index/uploadAvatar`, {
          method: 'POST',
          headers: { authorization: `bearer ${owner.accessToken}` },
          body,
        });
      };
      const notImage = (await (await uploadAvatar(Buffer.from('png'))).json()) as Data;
      assert.equal(notImage.code, 400);
      assert.match(String(notImage.msg), /^avatar: /);

      const answer = (await (await uploadAvatar(TINY_PNG)).json()) as { code: number; data: Data };
      assert.equal(answer.code, 200, JSON.stringify(answer));
      const url = String(answer.data.url);
      const image = await fetch(`${app.baseUrl}${url}`);
      assert.equal(image.status, 200, url);
      assert.ok(Buffer.from(await image.arrayBuffer()).equals(TINY_PNG));
      // Each upload answers a link of its own: the page shows the new image, not its cache.
      const again = (await (await uploadAvatar(TINY_PNG)).json()) as { data: Data };
      assert.notEqual(String(again.data.url), url, 'a second upload answers a new link');

      // The page sends the link it was given back with the rest of the form: nothing changes.
      await clientOk(
        app,
        'project/index/editPersonal',
        { name: owner.input.name, description: '', code: owner.id, avatar: url },
        as(owner),
      );
      const me = await call<{ avatar: string | null }>(app, 'GET', '/api/v1/me', {
        token: owner.accessToken,
      });
      assert.equal(me.body.avatar, null, 'still the uploaded image');

      const loads = async (link: unknown, label: string) => {
        assert.equal(typeof link, 'string', label);
        assert.match(String(link), /^\/api\/v1\/members\/[^/]+\/avatar\?/, label);
        const followed = await fetch(`${app.baseUrl}${String(link)}`);
        assert.equal(followed.status, 200, `${label}: ${String(link)}`);
        assert.match(followed.headers.get('content-type') ?? '', /^image\//, label);
      };
      const members = await clientOk<List>(
        app,
        'project/project_member/index',
        { projectCode, pageSize: 30 },
        as(owner),
      );
      for (const row of members.list) await loads(row.avatar, 'a project member');
      const task = await newTask({ assigneeId: colleague.id });
      await clientOk(
        app,
        'project/task/createComment',
        { taskCode: task.id, comment: 'looks good', mentions: '[]' },
        as(colleague),
      );
      const log = await clientOk<List>(
        app,
        'project/task/taskLog',
        { taskCode: task.id, all: 1, comment: 0, pageSize: 20 },
        as(owner),
      );
      for (const line of log.list) await loads((line.member as Data).avatar, 'a log line');
      const home = await clientOk<Data[]>(
        app,
        'project/project/getLogBySelfProject',
        {},
        as(owner),
      );
      await loads(home[0].member_avatar, 'the home page');

      // Behind a proxy that strips /gateway, the links carry it.
      await reconfigure(app, { webClient: { linkBase: '/gateway' } });
      try {
        const behind = await clientOk<List>(
          app,
          'project/project_member/index',
          { projectCode, pageSize: 30 },
          as(owner),
        );
        const link = String(behind.list[0].avatar);
        assert.match(link, /^\/gateway\/api\/v1\/members\//);
        await loads(link.slice('/gateway'.length), 'behind the proxy');
      } finally {
        await reconfigure(app, { webClient: { linkBase: '' } });
      }
    });

    it('changes my password as the security page sends it, ending my other sessions', async () => {
      const member = await registerMember(app);
      const other = await logIn(app, member.input);
      const mine = as(member);
      const form = (current: string, next: string, confirm = next) => ({
        password: md5(current),
        newPassword: md5(next),
        confirmPassword: md5(confirm),
        id: member.id,
      });
      const wrong = await clientCall(
        app,
        'project/index/editPassword',
        form('not my password', 'Another-pass-1'),
        mine,
      );
      assertClientCode(wrong, 400, 'a wrong current password is not a logout');
      assert.match(wrong.body.msg, /^password: /);
      const differ = await clientCall(
        app,
        'project/index/editPassword',
        form(member.input.password, 'Another-pass-1', 'Another-pass-2'),
        mine,
      );
      assertClientCode(differ, 400, 'the confirmation differs');
      assert.match(differ.body.msg, /confirmPassword/);

      await clientOk(
        app,
        'project/index/editPassword',
        form(member.input.password, 'Another-pass-1'),
        mine,
      );
      const oldLogin = await clientCall(app, 'project/login', {
        account: member.input.account,
        password: md5(member.input.password),
      });
      assertClientCode(oldLogin, 400, 'the old password no longer logs in');
      await clientOk(app, 'project/login', {
        remember_me: true,
        account: member.input.account,
        password: md5('Another-pass-1'),
        clientid: undefined,
      });
      const ended = await call(app, 'GET', '/api/v1/me', { token: other.accessToken });
      assert.equal(ended.status, 401, 'the other session ended');
      const kept = await call(app, 'GET', '/api/v1/me', { token: member.accessToken });
      assert.equal(kept.status, 200, 'the session that changed it goes on');

      const rest = await call(app, 'POST', '/api/v1/me/password', {
        token: member.accessToken,
        body: { password: 'Another-pass-1', newPassword: 'short' },
      });
      assert.equal(rest.status, 400);
      assert.match(JSON.stringify(rest.body), /newPassword/);
      const changed = await call(app, 'POST', '/api/v1/me/password', {
        token: member.accessToken,
        body: { password: 'Another-pass-1', newPassword: 'Third-pass-123' },
      });
      assert.equal(changed.status, 204);
      assert.equal(
        (await logIn(app, { ...member.input, password: 'Third-pass-123' })).accessToken.length > 0,
        true,
      );
    });

    it('archives a project and takes it out again, owner only', async () => {
      const member = await clientCall(
        app,
        'project/project/archive',
        { projectCode },
        as(colleague),
      );
      assertClientCode(member, 403, 'owner only');
      await clientOk(app, 'project/project/archive', { projectCode }, as(owner));
      const archived = await call<{ archived: boolean }>(
        app,
        'GET',
        `/api/v1/projects/${projectCode}`,
        {
          token: owner.accessToken,
        },
      );
      assert.equal(archived.body.archived, true);
      const listed = await clientOk<List>(
        app,
        'project/project',
        { page: 1, pageSize: 100, selectBy: 'archive' },
        as(owner),
      );
      assert.ok(listed.list.some((project) => project.code === projectCode));

      await clientOk(app, 'project/project/recoveryArchive', { projectCode }, as(owner));
      const back = await call<{ archived: boolean }>(
        app,
        'GET',
        `/api/v1/projects/${projectCode}`,
        {
          token: owner.accessToken,
        },
      );
      assert.equal(back.body.archived, false);
    });
  });
});
