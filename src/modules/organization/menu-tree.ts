import type { Menu } from './entities';

/** A menu entry as the original served it: the row, its texts and full URL, its children. */
export interface MenuEntry extends Menu {
  statusText: string;
  innerText: string;
  /** `url/values` when the entry has a default parameter value, else `url`. */
  fullUrl: string;
  /** Absent on a leaf (the original web client tells leaves by it). */
  children?: MenuEntry[];
}

const STATUS_TEXT: Record<number, string> = { 0: '禁用', 1: '使用中' };
const INNER_TEXT = { false: '导航', true: '内页' } as const;

/** The node of an entry that needs none: a group, or a page anyone may open. */
export const NO_NODE = '#';

export function entryOf(row: Menu, children: MenuEntry[] = []): MenuEntry {
  const entry: MenuEntry = {
    ...row,
    statusText: STATUS_TEXT[row.status] ?? '',
    innerText: INNER_TEXT[String(Boolean(row.isInner)) as 'true' | 'false'],
    fullUrl: row.values ? `${row.url}/${row.values}` : row.url,
  };
  if (children.length) entry.children = children;
  return entry;
}

/**
 * The menu as a tree (by sort, then id), with only the rows `shows` lets through and their
 * subtrees. An entry without a node ("#") that has children in the menu is a group: kept only
 * while one of them is; one without children is a page anyone may open (the home page).
 */
export function menuTree(rows: readonly Menu[], shows: (row: Menu) => boolean): MenuEntry[] {
  const ordered = [...rows].sort((a, b) => a.sort - b.sort || a.id - b.id);
  const childrenOf = new Map<number, Menu[]>();
  for (const row of ordered) {
    const siblings = childrenOf.get(row.parentId) ?? [];
    siblings.push(row);
    childrenOf.set(row.parentId, siblings);
  }
  const build = (parentId: number): MenuEntry[] =>
    (childrenOf.get(parentId) ?? []).flatMap((row) => {
      if (!shows(row)) return [];
      const children = build(row.id);
      const emptyGroup = row.node === NO_NODE && childrenOf.has(row.id) && children.length === 0;
      return emptyGroup ? [] : [entryOf(row, children)];
    });
  return build(0);
}
