import { In, type EntityManager } from 'typeorm';
import { addToTotals, type TotalChange } from '@/infra/database/list-totals';
import { Activity, Project, ProjectMember, Task, TaskMember } from './entities';

/**
 * The activity feed, fanned out: per member, one member_feed row for each entry of the
 * projects they belong to that they may see (a project's own entries; a task's while the task
 * is off the recycle bin, and if private only theirs: creator, assignee, task member), and its
 * counter (`list_total`, list `activity`), which changes by the rows inserted and deleted.
 *
 * Every write that changes that set changes the rows and the counters in its own transaction,
 * holding the project's row lock first (lockProjectFeed), which member joins and leaves take
 * too: an entry written, a task recycled, restored or deleted for good, a task's assignee or
 * task members changed, a member joining or leaving, a project deleted for good. Under that
 * lock the project's members, its tasks' visibility and its entries stand still, so the rows
 * change by exactly the entries whose viewers the write changed. A project's archiving and
 * recycling leave its feed as it is.
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

/** Per project member: the ids of the entries they see, of `taskIds`' entries only. */
export type FeedShares = Map<number, Set<number>>;

/**
 * Per project member: the entries of `taskIds` they see now (read in the transaction, under
 * the project's lock).
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
  const listed = await manager
    .createQueryBuilder(Activity, 'entry')
    .select('entry.id', 'id')
    .addSelect('entry.taskId', 'taskId')
    .where('entry.taskId IN (:...ids)', { ids })
    .getRawMany<{ id: number | string; taskId: number | string }>();
  const entries = new Map<number, number[]>();
  for (const row of listed) {
    const taskId = Number(row.taskId);
    const found = entries.get(taskId);
    if (found) found.push(Number(row.id));
    else entries.set(taskId, [Number(row.id)]);
  }
  const members = await projectMemberIds(manager, projectId);
  const live = tasks.filter((task) => !task.deleted && entries.has(task.id));
  const privateIds = live.filter((task) => task.private).map((task) => task.id);
  const onTask = privateIds.length
    ? await manager.find(TaskMember, {
        select: { taskId: true, memberId: true },
        where: { taskId: In(privateIds) },
      })
    : [];
  const inProject = new Set(members);
  for (const task of live) {
    const viewers = task.private
      ? new Set(
          [
            task.createdBy,
            task.assigneeId,
            ...onTask.filter((row) => row.taskId === task.id).map((row) => row.memberId),
          ].filter((id): id is number => id !== null && inProject.has(id)),
        )
      : members;
    for (const memberId of viewers) {
      const seen = shares.get(memberId) ?? new Set<number>();
      for (const entryId of entries.get(task.id)!) seen.add(entryId);
      shares.set(memberId, seen);
    }
  }
  return shares;
}

/**
 * Runs `write` (which may change the tasks' visibility or add or delete their entries) and
 * brings each project member's feed (rows and counter) to what they see of the tasks' entries
 * after it. The project's lock must be held.
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
 * Brings each project member's feed to what they see of the tasks' entries now against
 * `before` (feedSharesOfTasks of the same tasks, earlier in the transaction, under the lock):
 * the entries they see now and did not are fanned out to them, those they no longer see taken
 * out, and each counter changes by the rows inserted and deleted.
 */
export async function changeFeedsSince(
  manager: EntityManager,
  projectId: number,
  taskIds: number[],
  before: FeedShares,
): Promise<void> {
  const after = await feedSharesOfTasks(manager, projectId, taskIds);
  const added: FeedRow[] = [];
  const removed = new Map<number, number[]>();
  for (const memberId of new Set([...before.keys(), ...after.keys()])) {
    const had = before.get(memberId) ?? new Set<number>();
    const has = after.get(memberId) ?? new Set<number>();
    for (const activityId of has) {
      if (!had.has(activityId)) added.push({ memberId, activityId, projectId });
    }
    const gone = [...had].filter((activityId) => !has.has(activityId));
    if (gone.length) removed.set(memberId, gone);
  }
  const changes = await deleteFeedRows(manager, removed);
  changes.push(...(await insertFeedRows(manager, added)));
  await addToTotals(manager, changes);
}

/**
 * Fans `entries` just written (their ids filled in by the insert) out to those who see them: a
 * project entry (no task) to every project member, a task's to its viewers; their counters
 * grow by as much. The project's lock must be held.
 */
export async function addEntriesToFeeds(
  manager: EntityManager,
  entries: (Pick<Activity, 'projectId' | 'taskId'> & { id?: number })[],
): Promise<void> {
  const perTask = new Map<string, { projectId: number; taskId: number | null; ids: number[] }>();
  for (const entry of entries) {
    if (typeof entry.id !== 'number') throw new Error('an activity entry without its id');
    const key = `${entry.projectId}:${entry.taskId ?? ''}`;
    const found = perTask.get(key);
    if (found) found.ids.push(entry.id);
    else perTask.set(key, { projectId: entry.projectId, taskId: entry.taskId, ids: [entry.id] });
  }
  const rows: FeedRow[] = [];
  for (const { projectId, taskId, ids } of perTask.values()) {
    const viewers =
      taskId === null
        ? await projectMemberIds(manager, projectId)
        : await taskViewerIds(manager, projectId, taskId);
    for (const memberId of viewers) {
      for (const activityId of ids) rows.push({ memberId, activityId, projectId });
    }
  }
  await addToTotals(manager, await insertFeedRows(manager, rows));
}

/**
 * Fans the project's entries the member sees out to them, as they join: answers how many (what
 * their counter gains). Under the project's lock.
 */
export async function joinProjectFeed(
  manager: EntityManager,
  projectId: number,
  memberId: number,
): Promise<number> {
  return changeRows(
    manager,
    `INSERT INTO member_feed (memberId, activityId, projectId)
     SELECT ?, entry.id, entry.projectId FROM project_activity entry
     LEFT JOIN task ON task.id = entry.taskId
     WHERE entry.projectId = ? AND ${visibleEntry('?')}
     ORDER BY entry.id`,
    [memberId, projectId, memberId, memberId, memberId],
  );
}

/**
 * Takes the project's entries out of the member's feed, as they leave or the project is
 * deleted for good: answers how many (what their counter loses). Under the project's lock.
 */
export async function leaveProjectFeed(
  manager: EntityManager,
  projectId: number,
  memberId: number,
): Promise<number> {
  return changeRows(manager, 'DELETE FROM member_feed WHERE projectId = ? AND memberId = ?', [
    projectId,
    memberId,
  ]);
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

/** One fanned-out row: an entry the member sees. */
interface FeedRow {
  memberId: number;
  activityId: number;
  projectId: number;
}

/** Rows per INSERT and ids per DELETE statement. */
const FEED_BATCH = 500;

/**
 * Inserts the rows in (memberId, activityId) order, in batches: answers each member's counter
 * change, the rows inserted.
 */
async function insertFeedRows(manager: EntityManager, rows: FeedRow[]): Promise<TotalChange[]> {
  if (rows.length === 0) return [];
  const sorted = [...rows].sort((a, b) => a.memberId - b.memberId || a.activityId - b.activityId);
  for (let at = 0; at < sorted.length; at += FEED_BATCH) {
    const batch = sorted.slice(at, at + FEED_BATCH);
    await manager.query(
      `INSERT INTO member_feed (memberId, activityId, projectId) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}`,
      batch.flatMap((row) => [row.memberId, row.activityId, row.projectId]),
    );
  }
  const counts = new Map<number, number>();
  for (const row of sorted) counts.set(row.memberId, (counts.get(row.memberId) ?? 0) + 1);
  return [...counts].map(([memberId, delta]) => ({ memberId, list: 'activity', delta }));
}

/**
 * Deletes each member's rows of the entries given, in member order: answers each member's
 * counter change, minus the rows deleted.
 */
async function deleteFeedRows(
  manager: EntityManager,
  entries: Map<number, number[]>,
): Promise<TotalChange[]> {
  const changes: TotalChange[] = [];
  for (const memberId of [...entries.keys()].sort((a, b) => a - b)) {
    const ids = entries.get(memberId)!.sort((a, b) => a - b);
    let deleted = 0;
    for (let at = 0; at < ids.length; at += FEED_BATCH) {
      const batch = ids.slice(at, at + FEED_BATCH);
      deleted += await changeRows(
        manager,
        `DELETE FROM member_feed WHERE memberId = ? AND activityId IN (${batch.map(() => '?').join(', ')})`,
        [memberId, ...batch],
      );
    }
    if (deleted) changes.push({ memberId, list: 'activity', delta: -deleted });
  }
  return changes;
}

/** Runs an INSERT or DELETE in `manager`'s transaction: answers the rows it changed. */
async function changeRows(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<number> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('the feed changes in a transaction only');
  const result = await runner.query(sql, parameters, true);
  return Number(result.affected ?? 0);
}
