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

  /**
   * The newest entries of every project the member belongs to (or of the one `projectId`), but
   * of tasks hidden to them and of recycled tasks: their fanned-out feed (member_feed), one
   * range of its primary key. The total is the member's feed counter (see feed-totals.ts).
   */
  async listForMemberProjects(memberId: number, paging: Paging) {
    const toEntry = hydrator(this.dataSource, Activity);
    const skip = offset(paging);
    return onReadRunner(this.dataSource, async (query) => {
      const total = await readTotal(query, memberId, 'activity');
      if (Math.min(paging.pageSize, total - skip) <= 0) return { rows: [], total };
      const raw = (await query(MEMBER_FEED_PAGE_SQL, [memberId, paging.pageSize, skip])) as Record<
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
 * The feed's page (the member, LIMIT, OFFSET): the ids from the member's range of member_feed,
 * newest first, then their entries.
 */
export const MEMBER_FEED_PAGE_SQL = `SELECT entry.* FROM (
    SELECT feed.activityId FROM member_feed feed WHERE feed.memberId = ?
    ORDER BY feed.activityId DESC LIMIT ? OFFSET ?) page
  INNER JOIN project_activity entry ON entry.id = page.activityId
  ORDER BY entry.id DESC`;
