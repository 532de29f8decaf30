import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { createChildTask } from '../support/child-tasks';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, createTask } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Row = Record<string, unknown> & { name: string; type: string; tasks?: Row[] };

describe("the original web client's table view (project/task_stages/taskTree)", () => {
  let app: TestApp;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    [owner, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
  });
  after(() => app?.close());

  it('answers the stages with their tasks and child tasks nested under tasks', async () => {
    const { project, stages } = await board(app, owner, member);
    const parent = await createTask(app, owner.accessToken, project.id, stages[0].id, {
      name: 'Parent',
    });
    await createChildTask(app, owner.accessToken, parent.id, { name: 'Child' });
    await createTask(app, owner.accessToken, project.id, stages[1].id, { name: 'Other' });

    const rows = await clientOk<Row[]>(
      app,
      'project/task_stages/taskTree',
      { projectCode: project.id },
      { token: member.accessToken },
    );
    assert.deepEqual(
      rows.map((row) => [row.type, row.name]),
      stages.map((stage) => ['stage', stage.name]),
    );
    const [top] = rows[0].tasks!;
    assert.deepEqual(
      [top.type, top.name, top.code, top.project_code],
      ['task', 'Parent', parent.id, project.id],
    );
    assert.deepEqual(
      top.tasks!.map((child) => [child.type, child.name, child.tasks]),
      [['task', 'Child', []]],
    );
    assert.deepEqual(
      rows[1].tasks!.map((task) => task.name),
      ['Other'],
    );
  });

  it('answers 4041 to someone outside the project', async () => {
    const { project } = await board(app, owner, member);
    assertClientCode(
      await clientCall(
        app,
        'project/task_stages/taskTree',
        { projectCode: project.id },
        { token: stranger.accessToken },
      ),
      4041,
      'a stranger',
    );
  });
});
