import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RowLocks } from '@/infra/database/row-locks';
import { TaskStage } from './entities';

/**
 * Transactions and row locks of the task boards, shared by their repositories: the order of a
 * board's stages and of a stage's tasks changes only under these locks.
 */
@Injectable()
export class BoardLocks extends RowLocks {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * Locks stages in id order, so that two transactions locking the same stages cannot
   * deadlock. A stage's lock guards its task order: whoever adds a task to it (create, move
   * in), takes one out of it (move out), renumbers it or deletes it holds that lock.
   */
  async lockStages(manager: EntityManager, ids: number[]): Promise<Map<number, TaskStage>> {
    const locked = new Map<number, TaskStage>();
    for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
      const stage = await this.lock(manager, TaskStage, id);
      if (stage) locked.set(id, stage);
    }
    return locked;
  }
}
