import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ADMIN_GRANTS,
  grants,
  isCatalogued,
  MEMBER_GRANTS,
  nodeAndGroups,
  parentOf,
  PERMISSION_NODES,
} from '@/modules/organization/permission-catalogue';

describe('the permission-node catalogue', () => {
  it('holds each node once, under the original ids', () => {
    const nodes = PERMISSION_NODES.map((entry) => entry.node);
    assert.equal(new Set(nodes).size, nodes.length);
    const ids = PERMISSION_NODES.map((entry) => entry.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(PERMISSION_NODES.find((entry) => entry.node === 'project/auth/add')?.id, 389);
  });

  it('puts every node but the root under a catalogued group', () => {
    assert.equal(parentOf('project'), null);
    assert.equal(parentOf('project/auth/add'), 'project/auth');
    assert.equal(parentOf('project/auth'), 'project');
    assert.deepEqual(
      PERMISSION_NODES.filter((entry) => entry.node !== 'project' && !parentOf(entry.node)).map(
        (entry) => entry.node,
      ),
      [],
    );
  });

  it('lists a node and the groups above it, nearest first', () => {
    assert.deepEqual(nodeAndGroups('project/auth/add'), [
      'project/auth/add',
      'project/auth',
      'project',
    ]);
    assert.deepEqual(nodeAndGroups('project'), ['project']);
  });

  it('grants a node to a role holding it or a group above it, and nothing beside it', () => {
    assert.equal(grants(new Set(['project/auth/add']), 'project/auth/add'), true);
    assert.equal(grants(new Set(['project/auth']), 'project/auth/add'), true);
    assert.equal(grants(new Set(['project']), 'project/task/read'), true);
    assert.equal(grants(new Set(['project/auth/add']), 'project/auth'), false);
    assert.equal(grants(new Set(['project/auth/add']), 'project/auth/del'), false);
    // A prefix of a word is no group: project/task does not grant project/task_member/index.
    assert.equal(grants(new Set(['project/task']), 'project/task_member/index'), false);
  });

  it("gives the seeded roles catalogued nodes only: admin all of them, member the original member's", () => {
    assert.deepEqual([...ADMIN_GRANTS].sort(), PERMISSION_NODES.map((entry) => entry.node).sort());
    assert.deepEqual(
      MEMBER_GRANTS.filter((node) => !isCatalogued(node)),
      [],
    );
    assert.ok(MEMBER_GRANTS.includes('project/index/index'));
    assert.ok(!MEMBER_GRANTS.includes('project/auth/add'));
  });
});
