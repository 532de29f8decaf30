/**
 * Child tasks: where a task sits in its tree (Task.path) and the rules of the tree that are
 * pure arithmetic. A task on the board is level 1; children go down to MAX_TASK_LEVEL.
 */

/** The deepest a child task may sit: a task on the board and four levels below it. */
export const MAX_TASK_LEVEL = 5;

/** The path of a task on the board. */
export const ROOT_PATH = '/';

/** The path of a new child of `parent`: its ancestors, then the parent itself. */
export function childPath(parent: { id: number; path: string }): string {
  return `${parent.path}${parent.id}/`;
}

/** A LIKE pattern matching every descendant of the task (children, theirs, ...). */
export function subtreePattern(task: { id: number; path: string }): string {
  return `${childPath(task)}%`;
}

/** A query condition (with its parameters) on the task's descendants, in its project. */
export function subtreeCondition(task: {
  id: number;
  path: string;
  projectId: number;
}): [string, Record<string, unknown>] {
  return [
    'projectId = :projectId AND path LIKE :subtree',
    { projectId: task.projectId, subtree: subtreePattern(task) },
  ];
}

/** The ancestors' ids of a task, root first. */
export function ancestorIds(path: string): number[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((id) => Number(id));
}

/** 1 on the board, 2 for its children, ... */
export function levelOf(path: string): number {
  return ancestorIds(path).length + 1;
}

/** Whether a child may be added under a task with this path. */
export function mayHaveChildren(path: string): boolean {
  return levelOf(path) < MAX_TASK_LEVEL;
}

/** Execution states, by their stored number (the original's `status`). */
export const EXECUTION_STATUSES = [
  'notStarted',
  'finished',
  'inProgress',
  'suspended',
  'testing',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export function executionStatusOf(stored: number): ExecutionStatus {
  return EXECUTION_STATUSES[stored] ?? 'notStarted';
}

export function storedExecutionStatus(status: ExecutionStatus): number {
  return EXECUTION_STATUSES.indexOf(status);
}
