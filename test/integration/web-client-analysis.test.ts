import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { bearer, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { personalOrganization } from '../support/organizations';
import { board, createTask, projectGrpcClients } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

interface Analysis {
  projectCount: number;
  projectSchedule: number;
  projectList: { 日期: string; 数量: number }[];
  taskCount: number;
  taskOverdueCount: number;
  taskOverduePercent: number;
  taskList: { 日期: string; 任务: number }[];
}

/** Today in the web client's zone, `YYYY-MM-DD`. */
function todayIn(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
}

describe("the original web client's analysis page", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let helper: RegisteredMember;
  let stranger: RegisteredMember;
  let organizationCode = '';

  before(async () => {
    app = await startTestApp();
    [owner, helper, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
    organizationCode = await personalOrganization(app, owner.accessToken);
  });
  after(() => app?.close());

  const as = (who: RegisteredMember, organization = organizationCode) => ({
    token: who.accessToken,
    organizationCode: organization,
  });

  it('counts my projects and their tasks in the organization, overdue ones and the daily series', async () => {
    const empty = await clientOk<Analysis>(app, 'project/project/analysis', { type: 1 }, as(owner));
    assert.deepEqual(
      [empty.projectCount, empty.taskCount, empty.taskOverduePercent, empty.projectSchedule],
      [0, 0, 0, 0],
    );

    const first = await board(app, owner, helper);
    const second = await board(app, owner, helper);
    const scheduled = await call(app, 'PATCH', `/api/v1/projects/${second.project.id}`, {
      token: owner.accessToken,
      body: { schedule: 40 },
    });
    assert.equal(scheduled.status, 200, JSON.stringify(scheduled.body));
    const past = new Date(Date.now() - 86_400_000).toISOString();
    const stage = first.stages[0].id;
    await createTask(app, owner.accessToken, first.project.id, stage, { endAt: past });
    const late = await createTask(app, owner.accessToken, first.project.id, stage, {
      endAt: past,
    });
    const done = await call(app, 'POST', `/api/v1/tasks/${late.id}/done`, {
      token: owner.accessToken,
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    await createTask(app, owner.accessToken, second.project.id, second.stages[0].id);
    // A project of someone else's is none of mine.
    await board(app, stranger, helper);

    const data = await clientOk<Analysis>(app, 'project/project/analysis', { type: 1 }, as(owner));
    assert.equal(data.projectCount, 2);
    assert.equal(data.projectSchedule, 20, 'the mean of 0 and 40');
    assert.equal(data.taskCount, 3);
    assert.equal(data.taskOverdueCount, 2, 'one open past its end, one done after it');
    assert.equal(data.taskOverduePercent, 67);

    const today = todayIn('Asia/Shanghai');
    const [, month, day] = today.split('-');
    assert.equal(data.projectList.length, Number(month), 'every month of the year so far');
    assert.deepEqual(data.projectList.at(-1), { 日期: `${month}月`, 数量: 2 });
    assert.equal(data.taskList.length, Number(day), 'every day of the month so far');
    assert.deepEqual(data.taskList.at(-1), { 日期: `${month}月${Number(day)}日`, 任务: 3 });

    // The same figures over REST and gRPC.
    const rest = await call<{ taskCount: number; taskOverdueCount: number }>(
      app,
      'GET',
      `/api/v1/organizations/${organizationCode}/projects/analysis?timeZone=Asia/Shanghai`,
      { token: owner.accessToken },
    );
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    assert.deepEqual([rest.body.taskCount, rest.body.taskOverdueCount], [3, 2]);
    const grpc = await unary<object, { projectCount: number; tasksByDay: unknown[] }>(
      projectGrpcClients(app).projects,
      'GetProjectAnalysis',
      { organizationId: organizationCode, timeZone: 'Asia/Shanghai' },
      bearer(owner.accessToken),
    );
    assert.equal(grpc.projectCount, 2);
    assert.equal(grpc.tasksByDay.length, Number(day));
  });

  it("refuses an organization that is not the caller's, and a bad time zone", async () => {
    assertClientCode(
      await clientCall(app, 'project/project/analysis', { type: 1 }, as(stranger)),
      403,
      "another member's organization",
    );
    assertClientCode(
      await clientCall(app, 'project/project/analysis', { type: 1 }),
      401,
      'no token',
    );
    const badZone = await call(
      app,
      'GET',
      `/api/v1/organizations/${organizationCode}/projects/analysis?timeZone=Mars/Base`,
      { token: owner.accessToken },
    );
    assert.equal(badZone.status, 400);
  });
});
