import { DataSource, EntityManager, type ObjectLiteral } from 'typeorm';

const DEADLOCK_RETRIES = 5;

/**
 * `work` inside the caller's transaction when it has one (a batch that must change everything
 * or nothing), else in a transaction of its own.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  outer: EntityManager | undefined,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return outer ? work(outer) : dataSource.transaction(work);
}

function isDeadlock(error: unknown): boolean {
  const { driverError } = error as { driverError?: { code?: string; errno?: number } };
  return driverError?.code === 'ER_LOCK_DEADLOCK' || driverError?.errno === 1213;
}

/**
 * Transactions that take row locks to serialize changes to a structure (a board's task
 * order, an organization's department tree). Subclasses say which rows guard what.
 */
export abstract class RowLocks {
  protected constructor(protected readonly dataSource: DataSource) {}

  get sqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /**
   * A transaction retried when the database picks it as a deadlock victim. READ COMMITTED:
   * every plain read sees what was committed before it, so a read made after taking a lock
   * sees every change made under that lock. (Under REPEATABLE READ the snapshot dates from the
   * first plain read, which may come before a lock wait, and miss what the lock holder
   * committed meanwhile.) SQLite serializes writers and has no such levels.
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

  /** `work` inside the caller's transaction when it has one, else in one of these. */
  within<T>(
    outer: EntityManager | undefined,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return outer ? work(outer) : this.transaction(work);
  }

  /** Locks a row until the transaction ends; SQLite serializes writers by itself. */
  lock<T extends ObjectLiteral>(
    manager: EntityManager,
    entity: new () => T,
    id: number,
  ): Promise<T | null> {
    const query = manager.createQueryBuilder(entity, 'row').where('row.id = :id', { id });
    if (!this.sqlite) query.setLock('pessimistic_write');
    return query.getOne();
  }
}
