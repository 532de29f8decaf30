import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type Client } from '@grpc/grpc-js';
import { decodeId } from '@/common/public-id';
import { startTestApp, type TestApp } from '../support/app';
import { createChildTask } from '../support/child-tasks';
import { bearer, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { board, createTask, projectGrpcClients, sql } from '../support/projects';

interface Node {
  task: { id: string; name: string; stageId: string };
  children: Node[];
}

interface Tree {
  stages: { stage: { id: string; name: string }; tasks: Node[] }[];
  truncated: boolean;
}

/** The tree as names: stage → [task → [child → ...]]. */
function shape(tree: Tree) {
  const names = (nodes: Node[]): unknown[] =>
    nodes.map((node) =>
      node.children.length ? [node.task.name, names(node.children)] : node.task.name,
    );
  return tree.stages.map(({ stage, tasks }) => [stage.name, names(tasks)]);
}

describe("a project's task tree", () => {
  let app: TestApp;
  let tasks: Client;
  let owner: RegisteredMember;
  let member: RegisteredMember;
  let stranger: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    ({ tasks } = projectGrpcClients(app));
    [owner, member, stranger] = [
      await registerMember(app),
      await registerMember(app),
      await registerMember(app),
    ];
  });
  after(async () => {
    tasks?.close();
    await app?.close();
  });

  /** Stages from the template; A (with A1, which has A1a), B, a private P (with P1); C. */
  async function treeProject() {
    const { project, stages } = await board(app, owner, member);
    const task = (stage: number, name: string) =>
      createTask(app, owner.accessToken, project.id, stages[stage].id, { name });
    const a = await task(0, 'A');
    await task(0, 'B');
    const a1 = await createChildTask(app, owner.accessToken, a.id, { name: 'A1' });
    await createChildTask(app, owner.accessToken, a1.id, { name: 'A1a' });
    const p = await task(0, 'P');
    await createChildTask(app, owner.accessToken, p.id, { name: 'P1' });
    await sql(app, 'UPDATE task SET private = 1 WHERE id = ?', [decodeId(p.id, 'task')]);
    await task(1, 'C');
    const recycled = await task(1, 'Gone');
    const bin = await call(app, 'POST', `/api/v1/tasks/${recycled.id}/recycle`, {
      token: owner.accessToken,
    });
    assert.equal(bin.status, 200);
    return { project, stages };
  }

  const tree = async (projectId: string, who: RegisteredMember) => {
    const answer = await call<Tree>(app, 'GET', `/api/v1/projects/${projectId}/task-tree`, {
      token: who.accessToken,
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };

  it('nests the tasks a member sees under their stages and parents, in board order', async () => {
    const { project, stages } = await treeProject();
    const [first, second, third] = stages.map((stage) => stage.name);
    const asOwner = await tree(project.id, owner);
    assert.equal(asOwner.truncated, false);
    assert.deepEqual(shape(asOwner), [
      [first, [['A', [['A1', ['A1a']]]], 'B', ['P', ['P1']]]],
      [second, ['C']],
      [third, []],
    ]);
    // The member sees neither the private task nor its child.
    assert.deepEqual(shape(await tree(project.id, member)), [
      [first, [['A', [['A1', ['A1a']]]], 'B']],
      [second, ['C']],
      [third, []],
    ]);
  });

  it('shows a project to its members only', async () => {
    const { project } = await treeProject();
    const refused = await call(app, 'GET', `/api/v1/projects/${project.id}/task-tree`, {
      token: stranger.accessToken,
    });
    assert.equal(refused.status, 404);
    const unknown = await call(app, 'GET', '/api/v1/projects/not-an-id/task-tree', {
      token: owner.accessToken,
    });
    assert.equal(unknown.status, 404);
  });

  it('offers the same over gRPC', async () => {
    const { project, stages } = await treeProject();
    const viaGrpc = await unary<object, Tree>(
      tasks,
      'GetTaskTree',
      { projectId: project.id },
      bearer(member.accessToken),
    );
    assert.deepEqual(shape(viaGrpc), [
      [stages[0].name, [['A', [['A1', ['A1a']]]], 'B']],
      [stages[1].name, ['C']],
      [stages[2].name, []],
    ]);
    await assert.rejects(
      unary(tasks, 'GetTaskTree', { projectId: project.id }, bearer(stranger.accessToken)),
      rejectsWith(status.NOT_FOUND),
    );
  });
});
