import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Menu } from '@/modules/organization/entities';
import { menuTree, type MenuEntry } from '@/modules/organization/menu-tree';

function row(id: number, parentId: number, node: string, extra: Partial<Menu> = {}): Menu {
  return {
    id,
    parentId,
    title: `Entry ${id}`,
    icon: '',
    url: `page/${id}`,
    filePath: `page/${id}`,
    params: '',
    node,
    sort: 0,
    status: 1,
    isInner: false,
    values: '',
    showSlider: true,
    ...extra,
  };
}

type Shape = number | [number, Shape[]];
const shape = (entries: MenuEntry[]): Shape[] =>
  entries.map((entry) => (entry.children ? [entry.id, shape(entry.children)] : entry.id));

describe('the menu tree', () => {
  const rows = [
    row(1, 0, '#'),
    row(2, 1, 'a/shown'),
    row(3, 1, 'a/hidden'),
    row(4, 0, '#'),
    row(5, 4, 'b/hidden'),
    row(6, 0, '#', { url: 'home' }),
    row(7, 0, 'c/shown', { sort: -1 }),
  ];
  const shows = (entry: Menu) => entry.node === '#' || entry.node.endsWith('/shown');

  it('orders by sort, then id, and keeps a group while one of its entries shows', () => {
    assert.deepEqual(shape(menuTree(rows, shows)), [7, [1, [2]], 6]);
  });

  it('keeps an entry without a node and without children: a page anyone may open', () => {
    assert.ok(menuTree(rows, shows).some((entry) => entry.id === 6));
  });

  it('drops what the filter refuses together with everything under it', () => {
    assert.deepEqual(shape(menuTree(rows, (entry) => entry.id !== 1 && shows(entry))), [7, 6]);
  });

  it('leaves a leaf without children and an entry whose children all hide as a leaf', () => {
    const tree = menuTree([row(1, 0, 'x/shown'), row(2, 1, 'x/hidden')], shows);
    assert.equal(tree[0].children, undefined);
    assert.equal('children' in tree[0], false);
  });

  it('adds the texts and full URL of the original', () => {
    const [entry] = menuTree(
      [row(1, 0, 'x/shown', { url: 'project/list', values: 'my', status: 0, isInner: true })],
      () => true,
    );
    assert.deepEqual(
      [entry.fullUrl, entry.statusText, entry.innerText],
      ['project/list/my', '禁用', '内页'],
    );
    const [plain] = menuTree([row(1, 0, 'x/shown', { url: 'home' })], () => true);
    assert.deepEqual(
      [plain.fullUrl, plain.statusText, plain.innerText],
      ['home', '使用中', '导航'],
    );
  });
});
