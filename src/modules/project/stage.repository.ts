import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { BoardLocks } from './board-locks';
import { offset } from './board-queries';
import type { Paging } from './dto/project.schemas';
import { Project, Task, TaskStage } from './entities';

/** The stages of task boards, in their order. */
@Injectable()
export class StageRepository {
  constructor(
    @InjectRepository(TaskStage) private readonly stages: Repository<TaskStage>,
    private readonly locks: BoardLocks,
  ) {}

  async listStages(projectId: number, paging: Paging) {
    const [rows, total] = await this.stages.findAndCount({
      where: { projectId, deleted: false },
      order: { sort: 'ASC', id: 'ASC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  /** Every live stage of the project, in board order (an import finds them by name). */
  liveStagesOf(projectId: number): Promise<TaskStage[]> {
    return this.stages.find({
      select: { id: true, name: true },
      where: { projectId, deleted: false },
      order: { sort: 'ASC', id: 'ASC' },
    });
  }

  findStage(id: number): Promise<TaskStage | null> {
    return this.stages.findOneBy({ id, deleted: false });
  }

  /**
   * A stage at the end of the project's board. The project row lock guards the stage order
   * (creates and reorders hold it), taken before the last place is read.
   */
  createStage(projectId: number, name: string, description: string | null): Promise<TaskStage> {
    return this.locks.transaction(async (manager) => {
      await this.locks.lock(manager, Project, projectId);
      const last = await manager.findOne(TaskStage, {
        select: { sort: true },
        where: { projectId, deleted: false },
        order: { sort: 'DESC' },
      });
      return manager.save(
        TaskStage,
        manager.create(TaskStage, { projectId, name, description, sort: (last?.sort ?? -1) + 1 }),
      );
    });
  }

  async updateStage(id: number, changes: Partial<Pick<TaskStage, 'name' | 'description'>>) {
    await this.stages.update({ id }, changes);
  }

  /**
   * Soft-deletes the stage unless it holds tasks; false when it does. Counted and deleted under
   * the stage lock, so that no task arrives in between. Recycled tasks do not count: they
   * cannot be restored into a deleted stage (TaskBinRepository.restore says which it was).
   */
  deleteEmptyStage(id: number): Promise<boolean> {
    return this.locks.transaction(async (manager) => {
      await this.locks.lock(manager, TaskStage, id);
      if (await manager.countBy(Task, { stageId: id, deleted: false })) return false;
      await manager.update(TaskStage, { id }, { deleted: true });
      return true;
    });
  }

  /**
   * Puts the project's stages in the order of `stageIds`; false, changing nothing, unless it
   * names every stage of the project once. Checked under the project lock, so that a stage
   * created meanwhile is either listed or makes the reorder fail.
   */
  reorderStages(projectId: number, stageIds: number[]): Promise<boolean> {
    return this.locks.transaction(async (manager) => {
      await this.locks.lock(manager, Project, projectId);
      const current = await manager.find(TaskStage, {
        select: { id: true },
        where: { projectId, deleted: false },
      });
      const known = new Set(current.map((stage) => stage.id));
      if (
        new Set(stageIds).size !== stageIds.length ||
        stageIds.length !== known.size ||
        stageIds.some((id) => !known.has(id))
      ) {
        return false;
      }
      for (const [sort, id] of stageIds.entries())
        await manager.update(TaskStage, { id }, { sort });
      return true;
    });
  }
}
