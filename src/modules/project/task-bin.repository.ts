import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type EntityManager } from 'typeorm';
import { Problem } from '@/common/problem';
import { BoardLocks } from './board-locks';
import { offset, visibleTask } from './board-queries';
import type { Paging } from './dto/project.schemas';
import {
  Activity,
  Task,
  TaskCollection,
  TaskLike,
  TaskMember,
  TaskStage,
  TaskTagLink,
  WorkTime,
} from './entities';
import { addEntriesToFeeds, lockProjectFeed, trackFeedOfTasks } from './feed-totals';
import { StageOrder } from './stage-order';
import { TaskPurge } from './task-purge';
import { parentDone } from './task.repository';
import { changingTaskLists } from './task-totals';
import { subtreeCondition } from './task-tree';

/** An operation of the bin on a task that is not in it. */
export const notRecycled = () =>
  Problem.failedPrecondition('the task is not in the recycle bin', undefined, 'task_not_recycled');

/**
 * The tasks' recycle bin. A recycled task keeps every row it has (members, work time,
 * activity) but leaves its stage's order: going in and coming out change that order, so they
 * hold the stage lock as moves do (BoardLocks), and a restore never collides with a move.
 * A task goes in and comes out with its child tasks (those not already in the bin on their
 * own), and is deleted for good with all of them. Going in and coming out move the tasks on
 * and off their members' "my tasks" lists: under the project's row lock, taken first.
 */
@Injectable()
export class TaskBinRepository {
  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly locks: BoardLocks,
    private readonly order: StageOrder,
    private readonly purge: TaskPurge,
  ) {}

  /**
   * The project's recycled tasks that the member may see, newest recycled first; child tasks
   * recycled with an ancestor are not listed apart (they come back with it).
   */
  async listRecycled(projectId: number, viewerId: number, paging: Paging) {
    const [rows, total] = await this.tasks
      .createQueryBuilder('task')
      .where('task.projectId = :projectId AND task.deleted = :recycled', {
        projectId,
        recycled: true,
      })
      .andWhere('task.recycledWithId IS NULL')
      .andWhere(visibleTask('task'), { open: false, viewerId })
      .orderBy('task.deletedAt', 'DESC')
      .addOrderBy('task.id', 'DESC')
      .skip(offset(paging))
      .take(paging.pageSize)
      .getManyAndCount();
    return { rows, total };
  }

  /**
   * Takes the task off its stage into the bin, its place parked on `-id` and remembered. Its
   * entries (and its descendants') leave its viewers' feeds.
   */
  recycle(taskId: number, memberId: number, outer?: EntityManager): Promise<Task> {
    return this.locks.within(outer, async (manager) => {
      const current = await manager.findOne(Task, {
        select: { id: true, stageId: true, projectId: true },
        where: { id: taskId },
      });
      if (!current) throw Problem.notFound('task not found');
      await lockProjectFeed(manager, current.projectId);
      await this.locks.lockStages(manager, [current.stageId]);
      const task = await this.locks.lock(manager, Task, taskId);
      // Checked by the caller, but another request may have recycled or deleted it since.
      if (!task || task.deleted) throw Problem.notFound('task not found');
      if (task.stageId !== current.stageId) {
        // Moved between the read and the locks: its stage is locked out of order, and a
        // deadlock retry covers that rare clash (as in TaskRepository.moveTask).
        await this.locks.lockStages(manager, [task.stageId]);
      }
      const deletedAt = new Date();
      await trackFeedOfTasks(manager, task.projectId, await subtreeIds(manager, task), async () => {
        await changingTaskLists(manager, { subtreeOf: task }, async () => {
          await manager.update(
            Task,
            { id: taskId },
            { deleted: true, deletedAt, recycledSort: task.sort, sort: -task.id },
          );
          // Its live descendants go with it (their places are parked already: see Task.sort).
          await manager
            .createQueryBuilder()
            .update(Task)
            .set({ deleted: true, deletedAt, recycledWithId: taskId })
            .where(...subtreeCondition(task))
            .andWhere('deleted = :live', { live: false })
            .execute();
        });
        await manager.insert(Activity, {
          projectId: task.projectId,
          taskId,
          memberId,
          type: 'recycle',
          content: 'moved the task to the recycle bin',
        });
      });
      return (await manager.findOneBy(Task, { id: taskId }))!;
    });
  }

  /**
   * Every task of a stage's board that the member may see, into the bin in one transaction:
   * all of them or none. The stage's lock keeps tasks from moving in or out meanwhile; more
   * than `max` is refused before anything moves.
   */
  recycleStage(stageId: number, memberId: number, max: number): Promise<number> {
    return this.locks.transaction(async (manager) => {
      // The project's lock before the stage's, as each task's recycling takes them.
      const stage = await manager.findOne(TaskStage, {
        select: { id: true, projectId: true },
        where: { id: stageId },
      });
      if (stage) await lockProjectFeed(manager, stage.projectId);
      await this.locks.lockStages(manager, [stageId]);
      const rows = await manager
        .createQueryBuilder(Task, 'task')
        .select('task.id', 'id')
        .where('task.stageId = :stageId AND task.deleted = :live', { stageId, live: false })
        .andWhere('task.parentId IS NULL')
        .andWhere(visibleTask('task'), { open: false, viewerId: memberId })
        .orderBy('task.sort', 'ASC')
        .limit(max + 1)
        .getRawMany<{ id: number }>();
      if (rows.length > max) {
        throw Problem.failedPrecondition(
          `the stage holds more than ${max} tasks: move them a few at a time`,
          undefined,
          'batch_too_large',
        );
      }
      for (const row of rows) await this.recycle(Number(row.id), memberId, manager);
      return rows.length;
    });
  }

  /**
   * Puts a recycled task back in its stage: at the place it left when that is still free,
   * else at the end. Fails when the stage was deleted meanwhile, naming it. Its entries (and
   * those of the descendants coming back with it) return to its viewers' feeds.
   */
  restore(taskId: number, memberId: number): Promise<Task> {
    return this.locks.transaction(async (manager) => {
      const current = await manager.findOne(Task, {
        select: { id: true, stageId: true, parentId: true, projectId: true },
        where: { id: taskId },
      });
      if (!current) throw Problem.notFound('task not found');
      await lockProjectFeed(manager, current.projectId);
      // A recycled task cannot move: its stage is the one read above.
      const stage = (await this.locks.lockStages(manager, [current.stageId])).get(current.stageId);
      // A parent's row before its child's, as everywhere (TaskRepository.setDone).
      const parent = current.parentId
        ? await this.locks.lock(manager, Task, current.parentId)
        : null;
      const task = await this.locks.lock(manager, Task, taskId);
      if (!task) throw Problem.notFound('task not found');
      if (!task.deleted) throw notRecycled();
      if (parent?.deleted) {
        throw Problem.failedPrecondition(
          'its parent task is in the recycle bin: restore the parent first',
          undefined,
          'parent_recycled',
        );
      }
      if (parent?.done && !task.done) throw parentDone();
      if (!stage || stage.deleted) {
        throw Problem.failedPrecondition(
          `the task's stage "${stage?.name ?? ''}" has been deleted`,
          'stageId',
          'stage_deleted',
        );
      }
      let sort = -taskId;
      if (task.parentId === null) {
        sort =
          task.recycledSort !== null &&
          (await this.order.isFree(manager, stage.id, task.recycledSort))
            ? task.recycledSort
            : await this.order.appendSort(manager, stage.id, taskId);
      }
      await trackFeedOfTasks(manager, task.projectId, await subtreeIds(manager, task), async () => {
        await changingTaskLists(manager, { subtreeOf: task }, async () => {
          await manager.update(
            Task,
            { id: taskId },
            { deleted: false, deletedAt: null, recycledSort: null, sort },
          );
          // The descendants its recycling took along come back with it.
          await manager
            .createQueryBuilder()
            .update(Task)
            .set({ deleted: false, deletedAt: null, recycledWithId: null })
            .where(...subtreeCondition(task))
            .andWhere('recycledWithId = :taskId', { taskId })
            .execute();
        });
        await manager.insert(Activity, {
          projectId: task.projectId,
          taskId,
          memberId,
          type: 'restore',
          content: `restored the task to ${stage.name}`,
        });
      });
      return (await manager.findOneBy(Task, { id: taskId }))!;
    });
  }

  /**
   * Every task of the project, on the board or in the bin, deleted in `manager`'s transaction
   * (the project's deletion) as deleteForGood deletes one: what other modules keep for them
   * first (TaskPurge), then work time, task members, likes, stars, tags, activity and the tasks.
   */
  async deleteAllOfProject(manager: EntityManager, projectId: number): Promise<void> {
    const rows = await manager
      .createQueryBuilder(Task, 'task')
      .select('task.id', 'id')
      .where('task.projectId = :projectId', { projectId })
      .getRawMany<{ id: number }>();
    const ids = rows.map((row) => Number(row.id));
    if (ids.length === 0) return;
    await this.purge.purged(ids, manager);
    await manager.delete(WorkTime, { taskId: In(ids) });
    await manager.delete(TaskMember, { taskId: In(ids) });
    await manager.delete(TaskLike, { taskId: In(ids) });
    await manager.delete(TaskTagLink, { taskId: In(ids) });
    await manager.delete(TaskCollection, { taskId: In(ids) });
    await manager.delete(Activity, { taskId: In(ids) });
    await manager.delete(Task, { projectId });
  }

  /**
   * Deletes a recycled task for good, with its task members, work time, tags and activity, and
   * whatever other modules keep for it (TaskPurge, in this transaction: a failing listener
   * rolls it all back). The project's history keeps one entry saying who deleted which task
   * number; not its name, which may have been private. Every task deleted is in the bin (a
   * task is recycled with its descendants, none restored while an ancestor is in the bin), so
   * no "my tasks" list holds any of them.
   */
  deleteForGood(taskId: number, memberId: number): Promise<void> {
    return this.locks.transaction(async (manager) => {
      const known = await manager.findOne(Task, {
        select: { id: true, projectId: true },
        where: { id: taskId },
      });
      if (!known) throw Problem.notFound('task not found');
      // Before the task's row: the project's entry goes into its members' feeds.
      await lockProjectFeed(manager, known.projectId);
      const task = await this.locks.lock(manager, Task, taskId);
      if (!task) throw Problem.notFound('task not found');
      // Checked by the caller, but another request may have restored it since.
      if (!task.deleted) throw notRecycled();
      const ids = await subtreeIds(manager, task);
      // Entries of recycled tasks are in no feed; tracked all the same, so that a descendant
      // left on the board (if any ever is) leaves the feeds with its entries.
      await trackFeedOfTasks(manager, task.projectId, ids, async () => {
        await this.purge.purged(ids, manager);
        await manager.delete(WorkTime, { taskId: In(ids) });
        await manager.delete(TaskMember, { taskId: In(ids) });
        await manager.delete(TaskLike, { taskId: In(ids) });
        await manager.delete(TaskTagLink, { taskId: In(ids) });
        await manager.delete(TaskCollection, { taskId: In(ids) });
        await manager.delete(Activity, { taskId: In(ids) });
        await manager.delete(Task, { id: In(ids) });
      });
      const children = ids.length > 1 ? ` with its ${ids.length - 1} child tasks` : '';
      const entry = {
        projectId: task.projectId,
        taskId: null,
        memberId,
        type: 'delete' as const,
        content: `deleted the task #${task.number}${children} for good`,
      };
      await manager.insert(Activity, entry);
      await addEntriesToFeeds(manager, [entry]);
    });
  }
}

/** The task and all its descendants, in the bin or not. */
async function subtreeIds(manager: EntityManager, task: Task): Promise<number[]> {
  const descendants = await manager
    .createQueryBuilder(Task, 'task')
    .select('task.id', 'id')
    .where(...subtreeCondition(task))
    .getRawMany<{ id: number }>();
  return [task.id, ...descendants.map((row) => Number(row.id))];
}
