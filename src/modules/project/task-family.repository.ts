import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { offset, visibleTask } from './board-queries';
import type { Paging } from './dto/project.schemas';
import { Task, TaskMember } from './entities';
import { ancestorIds } from './task-tree';

/**
 * The children a task holds, the child under `task` and its parent under `parent`: of a task
 * on the board, its live children; of one in the recycle bin, those that went in with it (they
 * come back with it), as it held them. `:live` is bound to false.
 */
const HELD_CHILD =
  '(task.deleted = parent.deleted AND (task.deleted = :live OR task.recycledWithId = COALESCE(parent.recycledWithId, parent.id)))';

/** How many child tasks a task holds (see HELD_CHILD), and how many of them are done. */
export interface ChildCount {
  total: number;
  done: number;
}

/**
 * An ancestor of a task as a viewer sees it: its name and whether it is done only if they may
 * see it (a hidden one reads as not done).
 */
export interface AncestorRef {
  id: number;
  name: string | null;
  done: boolean;
}

/** What a task's view says about its tree. */
export interface TaskFamily {
  children: ChildCount;
  /** Root first, the parent last. */
  ancestors: AncestorRef[];
}

/** Child tasks: a task's children and, for a batch of tasks, their places in their trees. */
@Injectable()
export class TaskFamilyRepository {
  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    @InjectRepository(TaskMember) private readonly taskMembers: Repository<TaskMember>,
  ) {}

  /**
   * The task's children that the member may see, oldest first: those it holds (see
   * HELD_CHILD), or those in the recycle bin that were recycled on their own (the others come
   * back with an ancestor).
   */
  async listChildren(parentId: number, viewerId: number, recycled: boolean, paging: Paging) {
    const query = this.tasks
      .createQueryBuilder('task')
      .innerJoin(Task, 'parent', 'parent.id = task.parentId')
      .where('task.parentId = :parentId', { parentId })
      .andWhere(visibleTask('task'), { open: false, viewerId });
    if (recycled) {
      query.andWhere('task.deleted = :recycled AND task.recycledWithId IS NULL', {
        recycled: true,
      });
    } else {
      query.andWhere(HELD_CHILD, { live: false });
    }
    const [rows, total] = await query
      .orderBy('task.id', 'ASC')
      .skip(offset(paging))
      .take(paging.pageSize)
      .getManyAndCount();
    return { rows, total };
  }

  /**
   * For each task, the children it holds counted (all of them, private ones included: they
   * decide whether the task may be done) and its ancestors, in one query each.
   */
  async families(rows: Task[], viewerId: number): Promise<Map<number, TaskFamily>> {
    const families = new Map<number, TaskFamily>();
    if (rows.length === 0) return families;
    const counts = await this.tasks
      .createQueryBuilder('task')
      .select('task.parentId', 'parentId')
      .addSelect('COUNT(*)', 'total')
      .addSelect('SUM(CASE WHEN task.done = :yes THEN 1 ELSE 0 END)', 'done')
      .innerJoin(Task, 'parent', 'parent.id = task.parentId')
      .where('task.parentId IN (:...ids)', { ids: rows.map((task) => task.id), yes: true })
      .andWhere(HELD_CHILD, { live: false })
      .groupBy('task.parentId')
      .getRawMany<{ parentId: number; total: string | number; done: string | number | null }>();
    const byParent = new Map(
      counts.map((row) => [
        Number(row.parentId),
        { total: Number(row.total), done: Number(row.done ?? 0) },
      ]),
    );
    const ancestors = await this.ancestorsOf(rows, viewerId);
    for (const task of rows) {
      families.set(task.id, {
        children: byParent.get(task.id) ?? { total: 0, done: 0 },
        ancestors: ancestorIds(task.path).flatMap((id) => {
          const found = ancestors.get(id);
          return found ? [found] : [];
        }),
      });
    }
    return families;
  }

  /** Every ancestor of the rows, named (and its done state shown) where the viewer may see it. */
  private async ancestorsOf(rows: Task[], viewerId: number): Promise<Map<number, AncestorRef>> {
    const ids = [...new Set(rows.flatMap((task) => ancestorIds(task.path)))];
    if (ids.length === 0) return new Map();
    const found = await this.tasks.find({
      select: {
        id: true,
        name: true,
        done: true,
        private: true,
        createdBy: true,
        assigneeId: true,
      },
      where: { id: In(ids) },
    });
    const privateIds = found
      .filter((task) => task.private && task.createdBy !== viewerId && task.assigneeId !== viewerId)
      .map((task) => task.id);
    const onTask = new Set(
      privateIds.length
        ? (
            await this.taskMembers.find({
              select: { taskId: true },
              where: { taskId: In(privateIds), memberId: viewerId },
            })
          ).map((row) => row.taskId)
        : [],
    );
    const hidden = new Set(privateIds.filter((id) => !onTask.has(id)));
    return new Map(
      found.map((task) => [
        task.id,
        hidden.has(task.id)
          ? { id: task.id, name: null, done: false }
          : { id: task.id, name: task.name, done: Boolean(task.done) },
      ]),
    );
  }
}
