import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ancestorIds,
  childPath,
  EXECUTION_STATUSES,
  executionStatusOf,
  levelOf,
  MAX_TASK_LEVEL,
  mayHaveChildren,
  ROOT_PATH,
  storedExecutionStatus,
  subtreeCondition,
} from '@/modules/project/task-tree';

describe('child task paths', () => {
  it('writes a child path as its ancestors root first, then its parent', () => {
    const child = childPath({ id: 12, path: ROOT_PATH });
    assert.equal(child, '/12/');
    assert.equal(childPath({ id: 40, path: child }), '/12/40/');
    assert.deepEqual(ancestorIds('/12/40/'), [12, 40]);
    assert.deepEqual(ancestorIds(ROOT_PATH), []);
  });

  it('matches a whole subtree with one prefix, in its project only', () => {
    const [where, params] = subtreeCondition({ id: 12, path: '/3/', projectId: 7 });
    assert.match(where, /projectId = :projectId AND path LIKE :subtree/);
    assert.deepEqual(params, { projectId: 7, subtree: '/3/12/%' });
  });

  it('counts levels from the board and stops children at the deepest level', () => {
    assert.equal(levelOf(ROOT_PATH), 1);
    assert.equal(levelOf('/1/2/'), 3);
    assert.equal(mayHaveChildren('/1/2/3/'), true, 'level 4 may have level-5 children');
    assert.equal(levelOf('/1/2/3/4/'), MAX_TASK_LEVEL);
    assert.equal(mayHaveChildren('/1/2/3/4/'), false);
  });
});

describe('execution states', () => {
  it('keeps the original numbering: 0 not started, 1 finished, 2 in progress, 3 suspended, 4 testing', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map(executionStatusOf), [
      'notStarted',
      'finished',
      'inProgress',
      'suspended',
      'testing',
    ]);
    for (const status of EXECUTION_STATUSES) {
      assert.equal(executionStatusOf(storedExecutionStatus(status)), status);
    }
  });
});
