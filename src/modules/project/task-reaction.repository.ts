import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type EntityManager } from 'typeorm';
import { BoardLocks } from './board-locks';
import { Task, TaskCollection, TaskLike } from './entities';

/** A member's own marks on a task: a like, and a star (the task in their collection). */
export type TaskReaction = 'like' | 'star';

const TABLES = { like: TaskLike, star: TaskCollection } as const;
const COUNTS = { like: 'likeCount', star: 'starCount' } as const;

/** The viewer's marks on each task of a list, by task id. */
export type ViewerReactions = Map<number, { liked: boolean; starred: boolean }>;

/** Likes and stars of tasks, with the counts kept on the task in the same transaction. */
@Injectable()
export class TaskReactionRepository {
  constructor(
    private readonly locks: BoardLocks,
    @InjectRepository(TaskLike) private readonly likes: Repository<TaskLike>,
    @InjectRepository(TaskCollection) private readonly stars: Repository<TaskCollection>,
  ) {}

  /**
   * Sets or clears the member's mark; the task's count moves only when the mark changes, so
   * that repeating a call changes nothing. The task row is locked: marks of one task at once
   * are counted one after the other.
   */
  set(reaction: TaskReaction, taskId: number, memberId: number, on: boolean): Promise<void> {
    return this.locks.transaction(async (manager) => {
      const task = await this.locks.lock(manager, Task, taskId);
      if (!task) return;
      const table = TABLES[reaction];
      const marked = await manager.exists(table, { where: { taskId, memberId } });
      if (marked === on) return;
      if (on) await manager.insert(table, { taskId, memberId });
      else await manager.delete(table, { taskId, memberId });
      await this.count(manager, reaction, taskId, on ? 1 : -1);
    });
  }

  private async count(manager: EntityManager, reaction: TaskReaction, taskId: number, by: number) {
    const column = COUNTS[reaction];
    await manager
      .createQueryBuilder()
      .update(Task)
      .set({
        [column]: () => `${manager.connection.driver.escape(column)} + ${by}`,
        // A like is no change to the task itself.
        updatedAt: () => manager.connection.driver.escape('updatedAt'),
      })
      .where('id = :taskId', { taskId })
      .execute();
  }

  /** Which of these tasks the viewer likes and starred: two index lookups. */
  async ofViewer(viewerId: number, taskIds: number[]): Promise<ViewerReactions> {
    const found: ViewerReactions = new Map();
    if (taskIds.length === 0) return found;
    const where = { memberId: viewerId, taskId: In(taskIds) };
    const [likes, stars] = await Promise.all([
      this.likes.find({ select: { taskId: true }, where }),
      this.stars.find({ select: { taskId: true }, where }),
    ]);
    const mark = (taskId: number) => {
      let entry = found.get(taskId);
      if (!entry) found.set(taskId, (entry = { liked: false, starred: false }));
      return entry;
    };
    for (const row of likes) mark(row.taskId).liked = true;
    for (const row of stars) mark(row.taskId).starred = true;
    return found;
  }
}
