import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import { Problem } from '@/common/problem';
import { uniqueOn } from '@/infra/database/unique-violation';
import { BoardLocks } from './board-locks';
import { offset, visibleTask } from './board-queries';
import type { Paging } from './dto/project.schemas';
import { Task, TaskTag, TaskTagLink } from './entities';

const NAME_TAKEN = 'a tag of this name exists in the project';

export type TaskTagChanges = Partial<Pick<TaskTag, 'name' | 'color'>>;

export interface NewTaskTag {
  projectId: number;
  name: string;
  color: string;
  createdBy: number;
}

/** A tag as a task carries it. */
export type CarriedTag = Pick<TaskTag, 'id' | 'name' | 'color'>;

/**
 * A project's task tags and which tasks carry them. A name is unique in its project whatever
 * its letter case: checked in the writing transaction, with the unique index behind it.
 */
@Injectable()
export class TaskTagRepository {
  constructor(
    @InjectRepository(TaskTag) private readonly tags: Repository<TaskTag>,
    @InjectRepository(TaskTagLink) private readonly links: Repository<TaskTagLink>,
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly locks: BoardLocks,
  ) {}

  /** Oldest first: a new tag goes at the end of the client's list. */
  listOfProject(projectId: number): Promise<TaskTag[]> {
    return this.tags.find({ where: { projectId }, order: { id: 'ASC' } });
  }

  findTag(id: number): Promise<TaskTag | null> {
    return this.tags.findOneBy({ id });
  }

  /** The new tag, or null when the project has `limit` tags already. */
  create(tag: NewTaskTag, limit: number): Promise<TaskTag | null> {
    return this.uniqueName(async (manager) => {
      if ((await manager.countBy(TaskTag, { projectId: tag.projectId })) >= limit) return null;
      await this.refuseTakenName(manager, tag.projectId, tag.name);
      return manager.save(TaskTag, manager.create(TaskTag, tag));
    });
  }

  update(tag: TaskTag, changes: TaskTagChanges): Promise<TaskTag> {
    return this.uniqueName(async (manager) => {
      if (changes.name !== undefined) {
        await this.refuseTakenName(manager, tag.projectId, changes.name, tag.id);
      }
      await manager.update(TaskTag, { id: tag.id }, changes);
      const updated = await manager.findOneBy(TaskTag, { id: tag.id });
      if (!updated) throw Problem.notFound('tag not found');
      return updated;
    });
  }

  /** The tag, off every task that carries it. */
  delete(id: number): Promise<void> {
    return this.locks.transaction(async (manager) => {
      await manager.delete(TaskTagLink, { tagId: id });
      await manager.delete(TaskTag, { id });
    });
  }

  /**
   * Puts the tag on the task (`on`), takes it off (`!on`), or flips it (`'toggle'`), under the
   * task's row lock; whether the task carries it afterwards. A tag deleted meanwhile is not
   * found.
   */
  setTagged(
    taskId: number,
    tagId: number,
    on: boolean | 'toggle',
    memberId: number,
  ): Promise<boolean> {
    return this.locks.transaction(async (manager) => {
      if (!(await this.locks.lock(manager, Task, taskId))) throw Problem.notFound('task not found');
      if (!(await manager.existsBy(TaskTag, { id: tagId })))
        throw Problem.notFound('tag not found');
      const carried = await manager.existsBy(TaskTagLink, { taskId, tagId });
      const wanted = on === 'toggle' ? !carried : on;
      if (wanted && !carried)
        await manager.insert(TaskTagLink, { taskId, tagId, createdBy: memberId });
      if (!wanted && carried) await manager.delete(TaskTagLink, { taskId, tagId });
      return wanted;
    });
  }

  /** The tags each task carries, in the order they were put on, by task id. */
  async carriedBy(taskIds: number[]): Promise<Map<number, CarriedTag[]>> {
    const found = new Map<number, CarriedTag[]>();
    if (taskIds.length === 0) return found;
    const rows = await this.links
      .createQueryBuilder('link')
      .innerJoin(TaskTag, 'tag', 'tag.id = link.tagId')
      .select('link.taskId', 'taskId')
      .addSelect('tag.id', 'id')
      .addSelect('tag.name', 'name')
      .addSelect('tag.color', 'color')
      .where('link.taskId IN (:...taskIds)', { taskIds })
      .orderBy('link.createdAt', 'ASC')
      .addOrderBy('tag.id', 'ASC')
      .getRawMany<{ taskId: number | string; id: number | string; name: string; color: string }>();
    for (const row of rows) {
      const taskId = Number(row.taskId);
      const tags = found.get(taskId) ?? [];
      tags.push({ id: Number(row.id), name: row.name, color: row.color });
      found.set(taskId, tags);
    }
    return found;
  }

  /** The tag's tasks out of the recycle bin that the viewer may see, newest first. */
  async listTasks(tagId: number, viewerId: number, paging: Paging) {
    const [rows, total] = await this.tasks
      .createQueryBuilder('task')
      .innerJoin(TaskTagLink, 'link', 'link.taskId = task.id AND link.tagId = :tagId', { tagId })
      .where('task.deleted = :live', { live: false })
      .andWhere(visibleTask('task'), { open: false, viewerId })
      .orderBy('task.id', 'DESC')
      .skip(offset(paging))
      .take(paging.pageSize)
      .getManyAndCount();
    return { rows, total };
  }

  private async refuseTakenName(
    manager: EntityManager,
    projectId: number,
    name: string,
    exceptId?: number,
  ): Promise<void> {
    const query = manager
      .createQueryBuilder(TaskTag, 'tag')
      .where('tag.projectId = :projectId AND LOWER(tag.name) = LOWER(:name)', { projectId, name });
    if (exceptId !== undefined) query.andWhere('tag.id <> :exceptId', { exceptId });
    if (await query.getExists()) throw Problem.conflict('name', NAME_TAKEN);
  }

  /** A write in a transaction; of two writes of one name at once, the unique index refuses one. */
  private uniqueName<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return uniqueOn('name', NAME_TAKEN, () => this.locks.transaction(work));
  }
}
