import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
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

  /**
   * The newest entries of every project the member belongs to (or of the one `projectId`), but
   * of tasks hidden to them and of recycled tasks.
   */
  async listForMemberProjects(memberId: number, paging: Paging, projectId?: number) {
    const query = this.activity.createQueryBuilder('entry');
    if (projectId !== undefined) query.where('entry.projectId = :projectId', { projectId });
    const [rows, total] = await query
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
