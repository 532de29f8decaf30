import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ancestorsOf,
  buildTree,
  depthAfterMove,
  depthOf,
  isWithin,
  pathUnder,
  subtreePrefix,
} from '@/modules/organization/department-tree';

describe('department tree arithmetic', () => {
  it('places a department under its parent: the parent’s path and id', () => {
    assert.equal(pathUnder(null), '');
    assert.equal(pathUnder({ id: 3, path: '' }), '3/');
    assert.equal(pathUnder({ id: 8, path: '3/' }), '3/8/');
  });

  it('reads ancestors and depth from a path, 1 at the top', () => {
    assert.deepEqual(ancestorsOf(''), []);
    assert.deepEqual(ancestorsOf('3/8/'), [3, 8]);
    assert.equal(depthOf(''), 1);
    assert.equal(depthOf('3/8/'), 3);
  });

  it('tells a department’s own subtree apart from a sibling whose id shares its digits', () => {
    const department = { id: 8, path: '3/' };
    assert.equal(subtreePrefix(department), '3/8/');
    assert.equal(isWithin(department, department), true);
    assert.equal(isWithin({ id: 9, path: '3/8/' }, department), true);
    assert.equal(isWithin({ id: 10, path: '3/8/9/' }, department), true);
    assert.equal(isWithin({ id: 81, path: '3/' }, department), false);
    assert.equal(isWithin({ id: 12, path: '3/81/' }, department), false);
    assert.equal(isWithin({ id: 3, path: '' }, department), false);
  });

  it('measures the deepest department of a subtree after a move', () => {
    // A top department with two levels below it, moved under a department at depth 4.
    assert.equal(depthAfterMove('', '1/2/3/4/', ['5/', '5/6/']), 7);
    // Moved up a level: everything rises by one.
    assert.equal(depthAfterMove('1/2/', '1/', ['1/2/5/']), 3);
    // A lone department moving to the top.
    assert.equal(depthAfterMove('1/', '', []), 1);
  });

  it('builds the forest by parent, siblings in the order given, orphans at the top', () => {
    const tree = buildTree([
      { id: 1, parentId: null },
      { id: 2, parentId: 1 },
      { id: 3, parentId: 1 },
      { id: 4, parentId: 3 },
      { id: 5, parentId: 99 },
    ]);
    const shape = (
      nodes: ReturnType<typeof buildTree<{ id: number; parentId: number | null }>>,
    ): unknown => nodes.map((node) => [node.item.id, shape(node.children)]);
    assert.deepEqual(shape(tree), [
      [
        1,
        [
          [2, []],
          [3, [[4, []]]],
        ],
      ],
      [5, []],
    ]);
  });
});
