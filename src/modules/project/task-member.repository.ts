import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { BoardLocks } from './board-locks';
import { offset } from './board-queries';
import type { Paging } from './dto/project.schemas';
import { Task, TaskMember } from './entities';
import { lockProjectFeed, trackFeedOfTasks } from './feed-totals';
import { changingTaskLists } from './task-totals';

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

  /**
   * A change of who is on the task, which moves it on or off their "my tasks" lists and, for a
   * private task, in or out of their feeds: under the project's row lock, then the task's (as
   * every such write), with the lists' and feeds' counters.
   */
  private changeMembers<T>(
    task: Pick<Task, 'id' | 'projectId'>,
    change: (manager: EntityManager, locked: Task) => Promise<T>,
    orElse: T,
  ): Promise<T> {
    return this.locks.transaction(async (manager) => {
      await lockProjectFeed(manager, task.projectId);
      const locked = await this.locks.lock(manager, Task, task.id);
      if (!locked) return orElse;
      return trackFeedOfTasks(manager, task.projectId, [task.id], () =>
        changingTaskLists(manager, { taskIds: [task.id] }, () => change(manager, locked)),
      );
    });
  }

  async addTaskMember(task: Task, memberId: number): Promise<void> {
    await this.changeMembers(
      task,
      (manager) => upsertTaskMember(manager, task.id, memberId, false),
      undefined,
    );
  }

  /**
   * Removing the executor leaves the task unassigned. One who no longer sees a private task
   * loses its entries from their feed.
   */
  async removeTaskMember(task: Task, memberId: number): Promise<void> {
    await this.changeMembers(
      task,
      async (manager, locked) => {
        await manager.delete(TaskMember, { taskId: task.id, memberId });
        if (locked.assigneeId === memberId) {
          await manager.update(Task, { id: task.id }, { assigneeId: null });
        }
      },
      undefined,
    );
  }

  /**
   * Makes the task's members `memberIds`, plus its creator (who is always on it), in one
   * transaction under the project's row lock, then the task's (as every change of who is on
   * a task, with the "my tasks" counters): those missing are added, the others taken off.
   * Taking off the executor leaves the task unassigned, as removeTaskMember does.
   */
  async setTaskMembers(
    taskId: number,
    memberIds: number[],
  ): Promise<{ added: number[]; removed: number[] }> {
    const known = await this.taskMembers.manager.findOne(Task, {
      select: { id: true, projectId: true },
      where: { id: taskId },
    });
    if (!known) return { added: [], removed: [] };
    return this.changeMembers(
      known,
      (manager, locked) => this.applyTaskMembers(manager, locked, memberIds),
      { added: [], removed: [] },
    );
  }

  private async applyTaskMembers(
    manager: EntityManager,
    task: Task,
    memberIds: number[],
  ): Promise<{ added: number[]; removed: number[] }> {
    const taskId = task.id;
    const current = await manager.find(TaskMember, {
      select: { memberId: true, isOwner: true },
      where: { taskId },
    });
    const wanted = new Set(memberIds);
    for (const row of current) if (row.isOwner) wanted.add(row.memberId);
    const had = new Set(current.map((row) => row.memberId));
    const added = [...wanted].filter((memberId) => !had.has(memberId));
    const removed = [...had].filter((memberId) => !wanted.has(memberId));
    if (added.length) {
      await manager.insert(
        TaskMember,
        added.map((memberId) => ({ taskId, memberId, isExecutor: false, isOwner: false })),
      );
    }
    if (removed.length) {
      await manager.delete(TaskMember, { taskId, memberId: In(removed) });
      if (task.assigneeId !== null && removed.includes(task.assigneeId)) {
        await manager.update(Task, { id: taskId }, { assigneeId: null });
      }
    }
    return { added, removed };
  }
}
