import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, createTask, type StageBody } from '../support/projects';
import { assertClientCode, clientCall, clientOk } from '../support/web-client';

type Data = Record<string, unknown>;

/**
 * The settings screen's rule as it sends it (`JSON.stringify(currentTaskWorkflowRule)`), with
 * `lastResult.action` set as its save does: 0 (move) after an assignment, 3 after a move.
 */
function screenRule(rule: {
  name: string;
  stage: string;
  condition: number;
  conditionMember?: string;
  result: number;
  resultValue: string;
  lastValue?: string;
  state?: number;
}) {
  return JSON.stringify({
    taskWorkflowName: rule.name,
    firstObj: rule.stage,
    firstAction: { action: rule.condition, value: rule.conditionMember ?? '' },
    firstResult: { action: rule.result, value: rule.resultValue },
    lastResult: { action: rule.result ? 0 : 3, value: rule.lastValue ?? '' },
    state: { action: -1, value: rule.state ?? -1 },
    taskStates: [
      { id: -1, name: '不做修改' },
      { id: 1, name: '已完成' },
      { id: 2, name: '未完成' },
    ],
  });
}

describe("the original web client's task flow settings", () => {
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

  const as = (who: RegisteredMember) => ({ token: who.accessToken });

  async function newBoard(): Promise<{ projectCode: string; stages: StageBody[] }> {
    const { project, stages } = await board(app, owner, member);
    return { projectCode: project.id, stages };
  }

  const list = (projectCode: string, who = owner) =>
    clientOk<Data[]>(app, 'project/task_workflow', { projectCode }, { ...as(who), minItems: 0 });
  const rules = (taskWorkflowCode: string, who = owner) =>
    clientOk<Data[]>(
      app,
      'project/task_workflow/_getTaskWorkflowRules',
      { taskWorkflowCode },
      as(who),
    );
  const readTask = (taskCode: string) =>
    clientOk<Data>(app, 'project/task/read', { taskCode }, as(owner));

  it('adds a rule, lists it, reads its rows back, edits and deletes it, as the screen does', async () => {
    const { projectCode, stages } = await newBoard();
    assert.deepEqual(await list(projectCode), []);
    await clientOk(
      app,
      'project/task_workflow/save',
      {
        taskWorkflowName: '进入测试',
        taskWorkflowRules: screenRule({
          name: '进入测试',
          stage: stages[1].id,
          condition: 0,
          result: 3,
          resultValue: member.id,
          lastValue: stages[2].id,
          state: 1,
        }),
        projectCode,
      },
      as(owner),
    );
    const [workflow] = await list(projectCode, member);
    assert.equal(workflow.name, '进入测试');
    const code = workflow.code as string;
    // The rows the screen reads back: the stage, the condition, the results, the state.
    const rows = await rules(code, member);
    assert.deepEqual(
      rows.map((row) => [row.sort, row.action, row.object_code]),
      [
        [1, 0, stages[1].id],
        [2, 0, ''],
        [3, 3, member.id],
        [4, 0, stages[2].id],
        [5, 1, ''],
      ],
    );

    await clientOk(
      app,
      'project/task_workflow/edit',
      {
        taskWorkflowName: '指派给我',
        taskWorkflowRules: screenRule({
          name: '指派给我',
          stage: stages[0].id,
          condition: 3,
          conditionMember: owner.id,
          result: 0,
          resultValue: stages[1].id,
        }),
        taskWorkflowCode: code,
      },
      as(owner),
    );
    assert.deepEqual(
      (await list(projectCode)).map((row) => row.name),
      ['指派给我'],
    );
    assert.deepEqual(
      (await rules(code)).map((row) => [row.sort, row.action, row.object_code]),
      [
        [1, 0, stages[0].id],
        [2, 3, owner.id],
        [3, 0, stages[1].id],
      ],
    );
    // The same workflow through /api/v1.
    const rest = await call<{ trigger: Data; actions: Data[] }>(
      app,
      'GET',
      `/api/v1/task-workflows/${code}`,
      as(owner),
    );
    assert.deepEqual(rest.body.trigger, {
      stageId: stages[0].id,
      event: 'assigned',
      memberId: owner.id,
    });

    await clientOk(app, 'project/task_workflow/delete', { taskWorkflowCode: code }, as(owner));
    assert.deepEqual(await list(projectCode), []);
  });

  it('applies a saved rule when the board moves a task into its stage', async () => {
    const { projectCode, stages } = await newBoard();
    await clientOk(
      app,
      'project/task_workflow/save',
      {
        taskWorkflowName: '自动指派',
        taskWorkflowRules: screenRule({
          name: '自动指派',
          stage: stages[1].id,
          condition: 0,
          result: 3,
          resultValue: member.id,
          lastValue: stages[2].id,
          state: 1,
        }),
        projectCode,
      },
      as(owner),
    );
    const task = await createTask(app, owner.accessToken, projectCode, stages[0].id);
    // The board's drag and drop into the rule's stage.
    await clientOk(
      app,
      'project/task/sort',
      { preTaskCode: task.id, nextTaskCode: '', toStageCode: stages[1].id },
      as(owner),
    );
    const moved = await readTask(task.id);
    assert.equal(moved.stage_code, stages[2].id, 'moved on by the rule');
    assert.equal(moved.assign_to, member.id);
    assert.equal(moved.done, 1);
    const log = await clientOk<{ list: Data[] }>(
      app,
      'project/task/taskLog',
      { taskCode: task.id, all: 1, pageSize: 100, comment: 0 },
      as(owner),
    );
    assert.deepEqual(log.list.map((entry) => entry.type).sort(), [
      'assign',
      'create',
      'done',
      'move',
      'move',
    ]);

    // Marked undone from the board: no rule of that stage, nothing else changes.
    await clientOk(app, 'project/task/taskDone', { taskCode: task.id, done: 0 }, as(member));
    assert.equal((await readTask(task.id)).stage_code, stages[2].id);
  });

  it('refuses members, strangers and bad rules, changing nothing', async () => {
    const { projectCode, stages } = await newBoard();
    const save = (who: RegisteredMember, rule: string, name = '规则') =>
      clientCall(
        app,
        'project/task_workflow/save',
        { taskWorkflowName: name, taskWorkflowRules: rule, projectCode },
        as(who),
      );
    const rule = screenRule({
      name: '规则',
      stage: stages[0].id,
      condition: 1,
      result: 0,
      resultValue: stages[2].id,
    });
    assertClientCode(await save(member, rule), 403, 'a member who does not own the project');
    assertClientCode(await save(stranger, rule), 4041, 'a stranger');
    const notJson = await save(owner, '{not json');
    assertClientCode(notJson, 400, 'not JSON');
    assert.match(notJson.body.msg, /taskWorkflowRules/);
    const noResult = await save(
      owner,
      screenRule({ name: '规则', stage: stages[0].id, condition: 1, result: -1, resultValue: '' }),
    );
    assertClientCode(noResult, 400, 'no result chosen');
    assert.match(noResult.body.msg, /taskWorkflowRules/);
    const outsider = await save(
      owner,
      screenRule({
        name: '规则',
        stage: stages[0].id,
        condition: 0,
        result: 3,
        resultValue: stranger.id,
      }),
    );
    assertClientCode(outsider, 400, 'an assignee outside the project');
    assertClientCode(await save(owner, rule, '  '), 400, 'no name');
    assert.deepEqual(await list(projectCode), []);

    await clientOk(
      app,
      'project/task_workflow/save',
      { taskWorkflowName: '规则', taskWorkflowRules: rule, projectCode },
      as(owner),
    );
    const [{ code }] = await list(projectCode);
    assertClientCode(
      await clientCall(app, 'project/task_workflow/delete', { taskWorkflowCode: code }, as(member)),
      403,
      'a member deletes',
    );
    assertClientCode(
      await clientCall(
        app,
        'project/task_workflow/_getTaskWorkflowRules',
        { taskWorkflowCode: code },
        as(stranger),
      ),
      4041,
      'a stranger reads the rules',
    );
    assertClientCode(
      await clientCall(
        app,
        'project/task_workflow/edit',
        { taskWorkflowCode: 'nope', taskWorkflowName: '规则', taskWorkflowRules: rule },
        as(owner),
      ),
      4041,
      'an unknown workflow',
    );
    assert.equal((await list(projectCode)).length, 1);
  });
});
