import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { offset } from './board-queries';
import type { Paging } from './dto/project.schemas';
import { Task, TaskMember } from './entities';

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
    @InjectDataSource() private readonly dataSource: DataSource,
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

  async addTaskMember(taskId: number, memberId: number): Promise<void> {
    await this.dataSource.transaction((manager) =>
      upsertTaskMember(manager, taskId, memberId, false),
    );
  }

  /** Removing the executor leaves the task unassigned. */
  async removeTaskMember(task: Task, memberId: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(TaskMember, { taskId: task.id, memberId });
      if (task.assigneeId === memberId) {
        await manager.update(Task, { id: task.id }, { assigneeId: null });
      }
    });
  }
}
