import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { hydrator, onReadRunner } from '@/infra/database/raw-reads';
import { BoardLocks } from './board-locks';
import { offset, visibleTask } from './board-queries';
import type { Paging } from './dto/project.schemas';
import { Activity, ProjectMember, Task, type ActivityType } from './entities';

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

  /** Adds the entry; with `alongside`, that work too, in one transaction (both or neither). */
  async addActivity(
    entry: NewActivity,
    alongside?: (manager: EntityManager, added: Activity) => Promise<void>,
  ): Promise<Activity> {
    const add = (activity: Repository<Activity>) =>
      activity.save(activity.create({ ...entry, isComment: entry.type === 'comment' }));
    if (!alongside) return add(this.activity);
    return this.locks.transaction(async (manager) => {
      const added = await add(manager.getRepository(Activity));
      await alongside(manager, added);
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
   * of tasks hidden to them and of recycled tasks.
   */
  async listForMemberProjects(memberId: number, paging: Paging) {
    const parameters = [memberId, memberId, memberId, memberId];
    const toEntry = hydrator(this.dataSource, Activity);
    // Both walk the member's memberships first (MariaDB would otherwise scan every entry and
    // match each against them); the page sorts the entries' ids from the (projectId, taskId)
    // index and reads only its own rows.
    const { page, count } = memberActivitySql(this.straightJoin);
    return onReadRunner(this.dataSource, async (query) => {
      const [raw, counted] = await Promise.all([
        query(page, [...parameters, paging.pageSize, offset(paging)]) as Promise<
          Record<string, unknown>[]
        >,
        query(count, parameters) as Promise<{ total: number | string }[]>,
      ]);
      return { rows: raw.map(toEntry), total: Number(counted[0].total) };
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
 * The entries a member (every `?`) sees across their projects: visibleTask's rule with
 * positional parameters. From the member's memberships: their projects' entries only.
 */
const MEMBER_ACTIVITY = `project_member membership
  INNER JOIN project_activity entry ON entry.projectId = membership.projectId
  LEFT JOIN task ON task.id = entry.taskId
  WHERE membership.memberId = ? AND (entry.taskId IS NULL OR (task.deleted = 0 AND ${visibleTask(
    'task',
  )
    .replaceAll(':open', '0')
    .replaceAll(':viewerId', '?')}))`;

/**
 * The feed's page (LIMIT and OFFSET still to bind) and count, every other `?` the member;
 * `straight` is the database's join-order hint, if it has one.
 */
export function memberActivitySql(straight: string) {
  return {
    page: `SELECT entry.* FROM project_activity entry INNER JOIN (
        SELECT ${straight} entry.id FROM ${MEMBER_ACTIVITY}
        ORDER BY entry.id DESC LIMIT ? OFFSET ?) page ON page.id = entry.id
      ORDER BY entry.id DESC`,
    count: `SELECT ${straight} COUNT(*) AS total FROM ${MEMBER_ACTIVITY}`,
  };
}
