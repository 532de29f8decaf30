import type { EntityManager } from 'typeorm';
import {
  addToTotals,
  readTotal,
  type ListName,
  type TotalChange,
} from '@/infra/database/list-totals';
import type { RawQuery } from '@/infra/database/raw-reads';
import type { TaskView } from './dto/project.schemas';
import { subtreePattern } from './task-tree';

/**
 * "My tasks" per view: a task is on a member's list when it is out of the bin, the member is
 * on it in the view's way, and they belong to its project while the project is out of the bin
 * (archived projects' tasks stay listed). Each view keeps two counters in list_total, all its
 * tasks and the done ones; the undone ones are the difference.
 */
export const TASK_LISTS: Record<TaskView, { all: ListName; done: ListName }> = {
  assigned: { all: 'tasks:assigned', done: 'tasks:assigned:done' },
  created: { all: 'tasks:created', done: 'tasks:created:done' },
  participating: { all: 'tasks:participating', done: 'tasks:participating:done' },
};

/** Where each view starts from, and the column naming the member whose list a row is on. */
export const MY_TASKS: Record<TaskView, { from: string; member: string }> = {
  assigned: { from: 'task', member: 'task.assigneeId' },
  created: { from: 'task', member: 'task.createdBy' },
  participating: {
    from: 'task_member participant INNER JOIN task ON task.id = participant.taskId',
    member: 'participant.memberId',
  },
};

/** The rows of one view on their members' lists (a WHERE clause to go on with `AND`). */
function listedRows(view: TaskView): string {
  const { from, member } = MY_TASKS[view];
  return `${from} INNER JOIN project_member membership
    ON membership.projectId = task.projectId AND membership.memberId = ${member}
    AND membership.projectState <> 'recycled'
    WHERE task.deleted = 0`;
}

/**
 * Which tasks a write can move on or off members' lists: given ones, a task with its
 * descendants, or a project's (of one member only, when their membership changes).
 */
export type TaskScope =
  | { taskIds: number[] }
  | { subtreeOf: { id: number; path: string; projectId: number } }
  | { projectId: number; memberId?: number };

function scopeSql(scope: TaskScope, member: string): [string, unknown[]] {
  if ('taskIds' in scope) {
    return [`task.id IN (${scope.taskIds.map(() => '?').join(', ')})`, scope.taskIds];
  }
  if ('subtreeOf' in scope) {
    const task = scope.subtreeOf;
    return [
      '(task.id = ? OR (task.projectId = ? AND task.path LIKE ?))',
      [task.id, task.projectId, subtreePattern(task)],
    ];
  }
  return scope.memberId === undefined
    ? ['task.projectId = ?', [scope.projectId]]
    : [`task.projectId = ? AND ${member} = ?`, [scope.projectId, scope.memberId]];
}

/**
 * How many of the scope's tasks each member's lists hold now, as changes adding them. Read
 * under the locks of the write (its project's row, see changingTaskLists), so nothing counted
 * moves meanwhile.
 */
export async function countTaskLists(
  manager: EntityManager,
  scope: TaskScope,
): Promise<TotalChange[]> {
  if ('taskIds' in scope && scope.taskIds.length === 0) return [];
  const views = Object.keys(MY_TASKS) as TaskView[];
  const parts: string[] = [];
  const parameters: unknown[] = [];
  for (const view of views) {
    const { member } = MY_TASKS[view];
    const [where, bound] = scopeSql(scope, member);
    parts.push(
      `SELECT '${view}' AS taskView, ${member} AS memberId, task.done AS done, COUNT(*) AS tasks
       FROM ${listedRows(view)} AND ${where} GROUP BY ${member}, task.done`,
    );
    parameters.push(...bound);
  }
  const rows = await manager.query<
    {
      taskView: TaskView;
      memberId: number | string;
      done: number | string;
      tasks: number | string;
    }[]
  >(parts.join(' UNION ALL '), parameters);
  const changes: TotalChange[] = [];
  for (const row of rows) {
    const memberId = Number(row.memberId);
    const delta = Number(row.tasks);
    const lists = TASK_LISTS[row.taskView];
    changes.push({ memberId, list: lists.all, delta });
    if (Number(row.done) === 1) changes.push({ memberId, list: lists.done, delta });
  }
  return changes;
}

export const negated = (changes: TotalChange[]): TotalChange[] =>
  changes.map((change) => ({ ...change, delta: -change.delta }));

/**
 * Runs a write that moves the scope's tasks on or off members' lists, and adds the difference
 * it made to their counters, in the write's transaction. The caller holds the row lock of the
 * tasks' project: every write that changes who a task is listed for (its assignee, members,
 * done, bin, its project's bin, the project's members) takes it first, so they come one at a
 * time per project, and the counters are changed last (after any notification counter).
 */
export async function changingTaskLists<T>(
  manager: EntityManager,
  scope: TaskScope,
  write: () => Promise<T>,
): Promise<T> {
  const before = await countTaskLists(manager, scope);
  const result = await write();
  const after = await countTaskLists(manager, scope);
  await addToTotals(manager, [...after, ...negated(before)]);
  return result;
}

/** The total of one view of the member's tasks, all or done or not done, from its counters. */
export async function readTaskTotal(
  query: RawQuery,
  memberId: number,
  view: TaskView,
  done: boolean | undefined,
): Promise<number> {
  const lists = TASK_LISTS[view];
  if (done !== undefined) {
    return done ? readTotal(query, memberId, lists.done) : undoneTotal(query, memberId, lists);
  }
  return readTotal(query, memberId, lists.all);
}

async function undoneTotal(
  query: RawQuery,
  memberId: number,
  lists: { all: ListName; done: ListName },
): Promise<number> {
  const rows = (await query(
    'SELECT list, total FROM list_total WHERE memberId = ? AND list IN (?, ?)',
    [memberId, lists.all, lists.done],
  )) as { list: ListName; total: number | string }[];
  const total = (list: ListName) => Number(rows.find((row) => row.list === list)?.total ?? 0);
  return total(lists.all) - total(lists.done);
}

/**
 * The statements that fill the task counters from the rows, into a list_total holding none
 * of them: the embedded profile's start (rebuildTotals) and the growth benchmark's seeding.
 */
export function fillTaskTotalsSql(): { sql: string; parameters: unknown[] }[] {
  return (Object.keys(MY_TASKS) as TaskView[]).flatMap((view) => {
    const { member } = MY_TASKS[view];
    const fill = (list: ListName, doneOnly: boolean) => ({
      sql: `INSERT INTO list_total (memberId, list, total)
        SELECT ${member}, ?, COUNT(*) FROM ${listedRows(view)}
        ${doneOnly ? 'AND task.done = 1' : ''} GROUP BY ${member}`,
      parameters: [list],
    });
    return [fill(TASK_LISTS[view].all, false), fill(TASK_LISTS[view].done, true)];
  });
}

/** Fills the task counters afresh (list_total holding none of them) in `manager`'s transaction. */
export async function fillTaskTotals(manager: EntityManager): Promise<void> {
  for (const { sql, parameters } of fillTaskTotalsSql()) await manager.query(sql, parameters);
}
