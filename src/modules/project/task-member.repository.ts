import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { offset } from './board-queries';
import type { Paging } from './dto/project.schemas';
import { BoardLocks } from './board-locks';
import { Task, TaskMember } from './entities';
import { lockProjectFeed, trackFeedOfTasks } from './feed-totals';

/** Adds the member to the task, or makes them its executor when they are on it already. */
export async function upsertTaskMember(
  manager: EntityManager,
  taskId: number,
  memberId: number,
  isExecutor: boolean,
) {
  const existing = await manager.findOneBy(TaskMember, { taskId, memberId });
  if (existing) {
    if (isExecutor) await manager.update(TaskMember, { id: existing.id }, { isExecutor });
  } else {
    await manager.insert(TaskMember, { taskId, memberId, isExecutor, isOwner: false });
  }
}

/** Who is on a task: its creator, its executor and its participants. */
@Injectable()
export class TaskMemberRepository {
  constructor(
    @InjectRepository(TaskMember) private readonly taskMembers: Repository<TaskMember>,
    private readonly locks: BoardLocks,
  ) {}

  async listTaskMembers(taskId: number, paging: Paging) {
    const [rows, total] = await this.taskMembers.findAndCount({
      where: { taskId },
      order: { id: 'ASC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  findTaskMember(taskId: number, memberId: number): Promise<TaskMember | null> {
    return this.taskMembers.findOneBy({ taskId, memberId });
  }

  /** A private task's new member sees its entries in their feed from now on. */
  async addTaskMember(task: Task, memberId: number): Promise<void> {
    await this.locks.transaction(async (manager) => {
      await lockProjectFeed(manager, task.projectId);
      await trackFeedOfTasks(manager, task.projectId, [task.id], () =>
        upsertTaskMember(manager, task.id, memberId, false),
      );
    });
  }

  /**
   * Removing the executor leaves the task unassigned. One who no longer sees a private task
   * loses its entries from their feed.
   */
  async removeTaskMember(task: Task, memberId: number): Promise<void> {
    await this.locks.transaction(async (manager) => {
      await lockProjectFeed(manager, task.projectId);
      await trackFeedOfTasks(manager, task.projectId, [task.id], async () => {
        await manager.delete(TaskMember, { taskId: task.id, memberId });
        if (task.assigneeId === memberId) {
          await manager.update(Task, { id: task.id }, { assigneeId: null });
        }
      });
    });
  }
}
