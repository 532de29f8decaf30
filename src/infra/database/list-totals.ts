import { Column, Entity, PrimaryColumn, type EntityManager } from 'typeorm';
import type { RawQuery } from './raw-reads';

/**
 * The member lists whose `total` is kept in a counter row instead of counted on every page:
 * a count over a member's rows grows with them, a counter row is one primary-key read.
 */
export const LISTS = [
  // A member's projects by state (mirrored on project_member.projectState).
  'projects:active',
  'projects:archived',
  'projects:recycled',
  // Collected and not in the recycle bin.
  'projects:collected',
  'notifications',
  'notifications:unread',
  // The activity feed: the entries of the member's projects that they may see.
  'activity',
  // "My tasks" per view, all and done (see the project module's task-totals.ts).
  'tasks:assigned',
  'tasks:assigned:done',
  'tasks:created',
  'tasks:created:done',
  'tasks:participating',
  'tasks:participating:done',
] as const;
export type ListName = (typeof LISTS)[number];

/**
 * How many rows a member's list holds. Every write that adds a row to such a list or takes
 * one out changes its counter in the same transaction (see addToTotals), so a counter is
 * exact whenever the rows are.
 */
@Entity('list_total')
export class ListTotal {
  @PrimaryColumn({ type: 'int' })
  memberId: number;

  @PrimaryColumn({ type: 'varchar', length: 24 })
  list: ListName;

  @Column({ type: 'int', default: 0 })
  total: number;
}

export interface TotalChange {
  memberId: number;
  list: ListName;
  delta: number;
}

const isSqlite = (manager: EntityManager) => manager.connection.options.type === 'better-sqlite3';

/** The upsert tail that adds the inserted `total` to an existing counter. */
const addOnConflict = (manager: EntityManager) =>
  isSqlite(manager)
    ? 'ON CONFLICT (memberId, list) DO UPDATE SET total = total + excluded.total'
    : 'ON DUPLICATE KEY UPDATE total = total + VALUES(total)';

/**
 * Adds each change to its member's counter, within `manager`'s transaction. Counter rows are
 * locked in (memberId, list) order, so concurrent writers never wait on each other in a cycle.
 */
export async function addToTotals(manager: EntityManager, changes: TotalChange[]): Promise<void> {
  const summed = new Map<string, TotalChange>();
  for (const change of changes) {
    const key = `${change.memberId}\u0000${change.list}`;
    const found = summed.get(key);
    if (found) found.delta += change.delta;
    else summed.set(key, { ...change });
  }
  const rows = [...summed.values()]
    .filter((change) => change.delta !== 0)
    .sort((a, b) => a.memberId - b.memberId || a.list.localeCompare(b.list));
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO list_total (memberId, list, total) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')} ${addOnConflict(manager)}`,
    rows.flatMap((row) => [row.memberId, row.list, row.delta]),
  );
}

/**
 * Adds `delta` to `list` of every member of the project; with `collectorsOnly`, of those who
 * collected it only.
 */
export async function addToTotalsOfProjectMembers(
  manager: EntityManager,
  projectId: number,
  list: ListName,
  delta: number,
  collectorsOnly = false,
): Promise<void> {
  const from = collectorsOnly
    ? 'project_member member INNER JOIN project_collection collection ON collection.projectId = member.projectId AND collection.memberId = member.memberId'
    : 'project_member member';
  const order = isSqlite(manager) ? '' : 'ORDER BY member.memberId';
  await manager.query(
    `INSERT INTO list_total (memberId, list, total)
     SELECT member.memberId, ?, ? FROM ${from} WHERE member.projectId = ? ${order}
     ${addOnConflict(manager)}`,
    [list, delta, projectId],
  );
}

/** One list's total, 0 for a member who never had a row on it. */
export async function readTotal(
  query: RawQuery,
  memberId: number,
  list: ListName,
): Promise<number> {
  const rows = (await query('SELECT total FROM list_total WHERE memberId = ? AND list = ?', [
    memberId,
    list,
  ])) as { total: number | string }[];
  return rows.length ? Number(rows[0].total) : 0;
}

/**
 * Every counter and every membership's projectState computed afresh from the rows, in one
 * transaction: for a schema built from the entities (the embedded SQLite profile), where no
 * migration filled them.
 */
export async function rebuildTotals(manager: EntityManager): Promise<void> {
  await manager.query(
    `UPDATE project_member SET projectState = (
       SELECT CASE WHEN project.deleted THEN 'recycled' WHEN project.archived THEN 'archived'
         ELSE 'active' END
       FROM project WHERE project.id = project_member.projectId)
     WHERE projectId IN (SELECT id FROM project)`,
  );
  await manager.query('DELETE FROM list_total');
  // Per list: whose rows (the member column) and which.
  const counted: [ListName, string, string][] = [
    ['projects:active', 'memberId', "project_member WHERE projectState = 'active'"],
    ['projects:archived', 'memberId', "project_member WHERE projectState = 'archived'"],
    ['projects:recycled', 'memberId', "project_member WHERE projectState = 'recycled'"],
    [
      'projects:collected',
      'collection.memberId',
      `project_collection collection INNER JOIN project_member membership
         ON membership.projectId = collection.projectId AND membership.memberId = collection.memberId
       WHERE membership.projectState <> 'recycled'`,
    ],
    ['notifications', 'memberId', 'notification WHERE 1 = 1'],
    ['notifications:unread', 'memberId', 'notification WHERE readAt IS NULL'],
  ];
  for (const [list, member, rows] of counted) {
    await manager.query(
      `INSERT INTO list_total (memberId, list, total)
       SELECT ${member}, ?, COUNT(*) FROM ${rows} GROUP BY ${member}`,
      [list],
    );
  }
  await manager.query('DELETE FROM member_feed');
  await manager.query(MEMBER_FEED_SQL);
  await manager.query(FEED_TOTALS_SQL);
}

/**
 * Every member's activity feed fanned out from the rows (member_feed), by the feed's rule:
 * their projects' entries, a task's while it is off the recycle bin and, if private, theirs
 * to see (its creator, its assignee, its task members).
 */
export const MEMBER_FEED_SQL = `INSERT INTO member_feed (memberId, activityId, projectId)
  SELECT membership.memberId, entry.id, entry.projectId
  FROM project_member membership
  INNER JOIN project_activity entry ON entry.projectId = membership.projectId
  LEFT JOIN task ON task.id = entry.taskId
  WHERE entry.taskId IS NULL OR (task.deleted = 0 AND (task.private = 0
    OR task.createdBy = membership.memberId OR task.assigneeId = membership.memberId
    OR EXISTS (SELECT 1 FROM task_member viewer
      WHERE viewer.taskId = task.id AND viewer.memberId = membership.memberId)))`;

/** Every member's activity feed counter: their rows of member_feed (MEMBER_FEED_SQL's). */
export const FEED_TOTALS_SQL = `INSERT INTO list_total (memberId, list, total)
  SELECT memberId, 'activity', COUNT(*) FROM member_feed GROUP BY memberId`;
