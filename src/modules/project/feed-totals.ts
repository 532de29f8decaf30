import { In, type EntityManager } from 'typeorm';
import { addToTotals, type TotalChange } from '@/infra/database/list-totals';
import { Activity, Project, ProjectMember, Task, TaskMember } from './entities';

/**
 * The activity feed's counter (`list_total`, list `activity`): per member, the entries of the
 * projects they belong to that they may see (a project's own entries; a task's while the task
 * is off the recycle bin and open, or private and theirs: creator, assignee, task member).
 *
 * Every write that changes that set changes the counters in its own transaction, holding the
 * project's row lock first (lockProjectFeed), which member joins and leaves take too: an
 * entry written, a task recycled, restored or deleted for good, a task's assignee or task
 * members changed, a member joining or leaving. Under that lock the project's members, its
 * tasks' visibility and its entries stand still, so a counter changes by exactly what the
 * write changed. A project's archiving and recycling leave its feed as it is.
 */

const isSqlite = (manager: EntityManager) => manager.connection.options.type === 'better-sqlite3';

/**
 * Takes the project's row lock, before any other lock of the transaction (stages, tasks), as
 * task creation does; SQLite serializes writers by itself.
 */
export async function lockProjectFeed(manager: EntityManager, projectId: number): Promise<void> {
  if (isSqlite(manager)) return;
  await manager
    .createQueryBuilder(Project, 'project')
    .select('project.id')
    .where('project.id = :projectId', { projectId })
    .setLock('pessimistic_write')
    .getRawOne();
}

/** How many of the project's entries each member sees, of `taskIds`' entries only. */
export type FeedShares = Map<number, number>;

/**
 * Per project member: the number of entries of `taskIds` they see now (read in the
 * transaction, under the project's lock).
 */
export async function feedSharesOfTasks(
  manager: EntityManager,
  projectId: number,
  taskIds: number[],
): Promise<FeedShares> {
  const shares: FeedShares = new Map();
  const ids = [...new Set(taskIds)];
  if (ids.length === 0) return shares;
  const tasks = await manager.find(Task, {
    select: { id: true, private: true, createdBy: true, assigneeId: true, deleted: true },
    where: { id: In(ids), projectId },
  });
  const counted = await manager
    .createQueryBuilder(Activity, 'entry')
    .select('entry.taskId', 'taskId')
    .addSelect('COUNT(*)', 'entries')
    .where('entry.taskId IN (:...ids)', { ids })
    .groupBy('entry.taskId')
    .getRawMany<{ taskId: number; entries: number | string }>();
  const members = await projectMemberIds(manager, projectId);
  const entries = new Map(counted.map((row) => [Number(row.taskId), Number(row.entries)]));
  const live = tasks.filter((task) => !task.deleted && (entries.get(task.id) ?? 0) > 0);
  const privateIds = live.filter((task) => task.private).map((task) => task.id);
  const onTask = privateIds.length
    ? await manager.find(TaskMember, {
        select: { taskId: true, memberId: true },
        where: { taskId: In(privateIds) },
      })
    : [];
  const inProject = new Set(members);
  for (const task of live) {
    const count = entries.get(task.id)!;
    const viewers = task.private
      ? new Set(
          [
            task.createdBy,
            task.assigneeId,
            ...onTask.filter((row) => row.taskId === task.id).map((row) => row.memberId),
          ].filter((id): id is number => id !== null && inProject.has(id)),
        )
      : members;
    for (const memberId of viewers) shares.set(memberId, (shares.get(memberId) ?? 0) + count);
  }
  return shares;
}

/**
 * Runs `write` (which may change the tasks' visibility or add or delete their entries) and
 * changes each project member's counter by what they see of the tasks' entries after it
 * against before it. The project's lock must be held.
 */
export async function trackFeedOfTasks<T>(
  manager: EntityManager,
  projectId: number,
  taskIds: number[],
  write: () => Promise<T>,
): Promise<T> {
  const before = await feedSharesOfTasks(manager, projectId, taskIds);
  const result = await write();
  await changeFeedsSince(manager, projectId, taskIds, before);
  return result;
}

/**
 * Changes each project member's counter by what they see of the tasks' entries now against
 * `before` (feedSharesOfTasks of the same tasks, earlier in the transaction, under the lock).
 */
export async function changeFeedsSince(
  manager: EntityManager,
  projectId: number,
  taskIds: number[],
  before: FeedShares,
): Promise<void> {
  const after = await feedSharesOfTasks(manager, projectId, taskIds);
  const changes: TotalChange[] = [];
  for (const memberId of new Set([...before.keys(), ...after.keys()])) {
    const delta = (after.get(memberId) ?? 0) - (before.get(memberId) ?? 0);
    if (delta !== 0) changes.push({ memberId, list: 'activity', delta });
  }
  await addToTotals(manager, changes);
}

/**
 * Counts `entries` just written into the feeds of those who see them: a project entry (no
 * task) into every project member's, a task's into its viewers'. The project's lock must be
 * held.
 */
export async function addEntriesToFeeds(
  manager: EntityManager,
  entries: Pick<Activity, 'projectId' | 'taskId'>[],
): Promise<void> {
  const changes: TotalChange[] = [];
  const perTask = new Map<string, { projectId: number; taskId: number | null; count: number }>();
  for (const entry of entries) {
    const key = `${entry.projectId}:${entry.taskId ?? ''}`;
    const found = perTask.get(key);
    if (found) found.count++;
    else perTask.set(key, { projectId: entry.projectId, taskId: entry.taskId, count: 1 });
  }
  for (const { projectId, taskId, count } of perTask.values()) {
    const viewers =
      taskId === null
        ? await projectMemberIds(manager, projectId)
        : await taskViewerIds(manager, projectId, taskId);
    for (const memberId of viewers) changes.push({ memberId, list: 'activity', delta: count });
  }
  await addToTotals(manager, changes);
}

/**
 * The number of the project's entries the member sees as its member: what their feed gains
 * when they join, and loses when they leave (counted under the project's lock).
 */
export async function feedShareOfMember(
  manager: EntityManager,
  projectId: number,
  memberId: number,
): Promise<number> {
  const [row] = await manager.query<{ total: number | string }[]>(
    `SELECT COUNT(*) AS total FROM project_activity entry
     LEFT JOIN task ON task.id = entry.taskId
     WHERE entry.projectId = ? AND ${visibleEntry('?')}`,
    [projectId, memberId, memberId, memberId],
  );
  return Number(row.total);
}

/**
 * Whether the entry (`entry`, its task joined as `task`) is one the member (`viewer`, an
 * expression used three times) sees; the same rule as the feed's page.
 */
export const visibleEntry = (viewer: string) =>
  `(entry.taskId IS NULL OR (task.deleted = 0 AND (task.private = 0 OR task.createdBy = ${viewer}
    OR task.assigneeId = ${viewer}
    OR EXISTS (SELECT 1 FROM task_member viewer WHERE viewer.taskId = task.id AND viewer.memberId = ${viewer}))))`;

async function projectMemberIds(manager: EntityManager, projectId: number): Promise<number[]> {
  const rows = await manager.find(ProjectMember, {
    select: { memberId: true },
    where: { projectId },
  });
  return rows.map((row) => row.memberId);
}

/** The project's members who see the task (none while it is in the recycle bin). */
async function taskViewerIds(
  manager: EntityManager,
  projectId: number,
  taskId: number,
): Promise<number[]> {
  const task = await manager.findOne(Task, {
    select: { id: true, private: true, createdBy: true, assigneeId: true, deleted: true },
    where: { id: taskId },
  });
  if (!task || task.deleted) return [];
  const members = await projectMemberIds(manager, projectId);
  if (!task.private) return members;
  const onTask = await manager.find(TaskMember, {
    select: { memberId: true },
    where: { taskId },
  });
  const viewers = new Set([task.createdBy, task.assigneeId, ...onTask.map((row) => row.memberId)]);
  return members.filter((memberId) => viewers.has(memberId));
}
