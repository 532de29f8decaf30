import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, type ObjectLiteral } from 'typeorm';
import { TaskStage } from './entities';

const DEADLOCK_RETRIES = 5;

function isDeadlock(error: unknown): boolean {
  const { driverError } = error as { driverError?: { code?: string; errno?: number } };
  return driverError?.code === 'ER_LOCK_DEADLOCK' || driverError?.errno === 1213;
}

/**
 * Transactions and row locks of the task boards, shared by their repositories: the order of a
 * board's stages and of a stage's tasks changes only under these locks.
 */
@Injectable()
export class BoardLocks {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get sqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /**
   * A transaction of the task order (stage membership and sort values), retried when the
   * database picks it as a deadlock victim. READ COMMITTED: every plain read sees what was
   * committed before it, so a read made after taking a stage lock sees every change made
   * under that lock. (Under REPEATABLE READ the snapshot dates from the first plain read,
   * which may come before a lock wait, and miss what the lock holder committed meanwhile.)
   * SQLite serializes writers and has no such levels.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return this.sqlite
          ? await this.dataSource.transaction(work)
          : await this.dataSource.transaction('READ COMMITTED', work);
      } catch (error) {
        if (!isDeadlock(error) || attempt >= DEADLOCK_RETRIES) throw error;
      }
    }
  }

  /** Locks a row until the transaction ends; SQLite serializes writers by itself. */
  async lock<T extends ObjectLiteral>(
    manager: EntityManager,
    entity: new () => T,
    id: number,
  ): Promise<T | null> {
    const query = manager.createQueryBuilder(entity, 'row').where('row.id = :id', { id });
    if (!this.sqlite) query.setLock('pessimistic_write');
    return query.getOne();
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
