import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { readTotal } from '@/infra/database/list-totals';
import { hydrator, onReadRunner } from '@/infra/database/raw-reads';
import { BoardLocks } from './board-locks';
import { offset, visibleTask } from './board-queries';
import type { Paging } from './dto/project.schemas';
import { Activity, ProjectMember, Task, type ActivityType } from './entities';
import { addEntriesToFeeds, lockProjectFeed } from './feed-totals';

export interface NewActivity {
  projectId: number;
  taskId: number | null;
  memberId: number;
  type: ActivityType;
  content: string;
  toMemberId?: number | null;
}

/** The activity stream of projects and tasks, comments included. */
@Injectable()
export class ActivityRepository {
  constructor(
    @InjectRepository(Activity) private readonly activity: Repository<Activity>,
    private readonly locks: BoardLocks,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Adds the entry, counted in its viewers' feeds under the project's lock; with `alongside`,
   * that work too, in one transaction (all or nothing).
   */
  async addActivity(
    entry: NewActivity,
    alongside?: (manager: EntityManager, added: Activity) => Promise<void>,
  ): Promise<Activity> {
    return this.locks.transaction(async (manager) => {
      await lockProjectFeed(manager, entry.projectId);
      const activity = manager.getRepository(Activity);
      const added = await activity.save(
        activity.create({ ...entry, isComment: entry.type === 'comment' }),
      );
      await addEntriesToFeeds(manager, [added]);
      await alongside?.(manager, added);
      return added;
    });
  }

  async listTaskActivity(taskId: number, commentsOnly: boolean, paging: Paging) {
    const [rows, total] = await this.activity.findAndCount({
      where: commentsOnly ? { taskId, isComment: true } : { taskId },
      order: { id: 'DESC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  /** MariaDB's hint to join the tables in the order written (SQLite has none). */
  private get straightJoin(): string {
    return this.dataSource.options.type === 'better-sqlite3' ? '' : 'STRAIGHT_JOIN';
  }

  /**
   * The newest entries of every project the member belongs to (or of the one `projectId`), but
   * of tasks hidden to them and of recycled tasks. The total is the member's feed counter
   * (see feed-totals.ts).
   */
  async listForMemberProjects(memberId: number, paging: Paging) {
    const parameters = [memberId, memberId, memberId, memberId];
    const toEntry = hydrator(this.dataSource, Activity);
    const mariadb = this.dataSource.options.type !== 'better-sqlite3';
    const { page, walk } = memberActivitySql(this.straightJoin);
    const skip = offset(paging);
    return onReadRunner(this.dataSource, async (query) => {
      const total = await readTotal(query, memberId, 'activity');
      const wanted = Math.min(paging.pageSize, Math.max(total - skip, 0));
      if (wanted === 0) return { rows: [], total };
      // A member with many entries: walk the newest entries of every project, keeping the
      // member's, until the page is full. The walk examines at most a bounded number of rows
      // per entry of the page, fewer than the member's entries (their entries may all be old,
      // then the page comes short), and the page then sorts the member's entries.
      const walkLimit = (skip + paging.pageSize) * WALK_ROWS_PER_ENTRY;
      if (mariadb && walkLimit < total) {
        const walked = (await query(walk, [
          ...parameters,
          paging.pageSize,
          skip,
          walkLimit,
        ])) as Record<string, unknown>[];
        if (walked.length >= wanted) return { rows: walked.slice(0, wanted).map(toEntry), total };
      }
      const raw = (await query(page, [...parameters, paging.pageSize, skip])) as Record<
        string,
        unknown
      >[];
      return { rows: raw.map(toEntry), total };
    });
  }

  /** One of the member's projects' entries, newest first, as listForMemberProjects sees them. */
  async listForMemberProject(memberId: number, projectId: number, paging: Paging) {
    const [rows, total] = await this.activity
      .createQueryBuilder('entry')
      .where('entry.projectId = :projectId', { projectId })
      .innerJoin(
        ProjectMember,
        'membership',
        'membership.projectId = entry.projectId AND membership.memberId = :memberId',
        { memberId },
      )
      .leftJoin(Task, 'task', 'task.id = entry.taskId')
      .andWhere(`(entry.taskId IS NULL OR (task.deleted = :live AND ${visibleTask('task')}))`, {
        live: false,
        open: false,
        viewerId: memberId,
      })
      .orderBy('entry.id', 'DESC')
      .skip(offset(paging))
      .take(paging.pageSize)
      .getManyAndCount();
    return { rows, total };
  }
}

/**
 * Rows the walk over the newest entries may examine per entry of the page (entries,
 * memberships and tasks): the member's entries make up at least about 1 % of the recent ones,
 * or the page sorts theirs.
 */
const WALK_ROWS_PER_ENTRY = 100;

/** visibleTask's rule for an entry of `task`, with positional parameters (the member's). */
const VISIBLE_ENTRY = `(entry.taskId IS NULL OR (task.deleted = 0 AND ${visibleTask('task')
  .replaceAll(':open', '0')
  .replaceAll(':viewerId', '?')}))`;

/**
 * The entries a member (every `?`) sees across their projects. From the member's
 * memberships: their projects' entries only.
 */
const MEMBER_ACTIVITY = `project_member membership
  INNER JOIN project_activity entry ON entry.projectId = membership.projectId
  LEFT JOIN task ON task.id = entry.taskId
  WHERE membership.memberId = ? AND ${VISIBLE_ENTRY}`;

/**
 * The feed's page, every `?` the member but LIMIT's, OFFSET's and ROWS EXAMINED's;
 * `straight` is the database's join-order hint, if it has one. `page` sorts the ids of the
 * member's entries; `walk` (MariaDB) reads the table's entries newest first, each kept if its
 * project is one of the member's, and stops at the page's end or after ROWS EXAMINED rows
 * (then with fewer rows than the page holds).
 */
export function memberActivitySql(straight: string) {
  return {
    walk: `SELECT STRAIGHT_JOIN entry.* FROM project_activity entry FORCE INDEX (PRIMARY)
      INNER JOIN project_member membership
        ON membership.projectId = entry.projectId AND membership.memberId = ?
      LEFT JOIN task ON task.id = entry.taskId
      WHERE ${VISIBLE_ENTRY}
      ORDER BY entry.id DESC LIMIT ? OFFSET ? ROWS EXAMINED ?`,
    page: `SELECT entry.* FROM project_activity entry INNER JOIN (
        SELECT ${straight} entry.id FROM ${MEMBER_ACTIVITY}
        ORDER BY entry.id DESC LIMIT ? OFFSET ?) page ON page.id = entry.id
      ORDER BY entry.id DESC`,
  };
}
