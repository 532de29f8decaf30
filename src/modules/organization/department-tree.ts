/**
 * Department tree arithmetic on `path`, the ancestor ids from the top of the tree, each
 * followed by '/' ("3/8/" for a department under 8, itself under 3; "" at the top).
 */

/** Deepest a department may sit: 1 is the top of the tree. */
export const MAX_DEPARTMENT_DEPTH = 10;

export interface TreePlace {
  id: number;
  path: string;
}

/** The path of a department placed under `parent`, or at the top when there is none. */
export function pathUnder(parent: TreePlace | null): string {
  return parent ? `${parent.path}${parent.id}/` : '';
}

/** The ancestor ids of a path, from the top down. */
export function ancestorsOf(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** 1 at the top of the tree. */
export function depthOf(path: string): number {
  return ancestorsOf(path).length + 1;
}

/** The path every department of `department`'s subtree (below it) starts with. */
export function subtreePrefix(department: TreePlace): string {
  return `${department.path}${department.id}/`;
}

/** Whether `candidate` is `department` itself or sits anywhere below it. */
export function isWithin(candidate: TreePlace, department: TreePlace): boolean {
  return candidate.id === department.id || candidate.path.startsWith(subtreePrefix(department));
}

/**
 * How deep the deepest department of a subtree sits once its top moves from `oldPath` to
 * `newPath`, given the paths of the departments below it.
 */
export function depthAfterMove(oldPath: string, newPath: string, below: string[]): number {
  const shift = depthOf(newPath) - depthOf(oldPath);
  return Math.max(depthOf(oldPath), ...below.map(depthOf)) + shift;
}

export interface TreeNode<T> {
  item: T;
  children: TreeNode<T>[];
}

/**
 * The forest of `items` by parent, siblings in the order given. An item whose parent is not
 * among them is a root: a partial list still shows every item once.
 */
export function buildTree<T extends { id: number; parentId: number | null }>(
  items: T[],
): TreeNode<T>[] {
  const nodes = new Map(items.map((item) => [item.id, { item, children: [] as TreeNode<T>[] }]));
  const roots: TreeNode<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.item.parentId === null ? undefined : nodes.get(node.item.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
