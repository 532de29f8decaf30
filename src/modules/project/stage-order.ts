import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull, Not } from 'typeorm';
import { Problem } from '@/common/problem';
import { BoardLocks } from './board-locks';
import { Task } from './entities';
import { renumbered, sortAfter, sortBetween } from './task-order';

/**
 * Places in a stage's task order (the arithmetic is task-order.ts), inside a transaction
 * whose caller holds the stage lock. Only live tasks on the board have a place: recycled ones
 * and child tasks are parked on negative values (see Task.sort) and never counted as neighbours.
 */
@Injectable()
export class StageOrder {
  constructor(private readonly locks: BoardLocks) {}

  /** One step past the last task of the stage (other than `movingId`), renumbering on overflow. */
  async appendSort(manager: EntityManager, stageId: number, movingId: number): Promise<number> {
    const last = await manager.findOne(Task, {
      select: { sort: true },
      where: { stageId, id: Not(movingId), deleted: false, parentId: IsNull() },
      order: { sort: 'DESC' },
    });
    const next = sortAfter(last?.sort ?? 0);
    if (next !== null) return next;
    return renumbered(await this.renumber(manager, stageId, movingId)).next;
  }

  /**
   * Halfway between `beforeId` and the task in front of it (other than `movingId`); when no
   * integer is left between them the stage is renumbered first.
   */
  async sortBefore(
    manager: EntityManager,
    stageId: number,
    movingId: number,
    beforeId: number,
  ): Promise<number> {
    const neighbours = async () => {
      const before = await manager.findOneBy(Task, { id: beforeId });
      // Checked by the caller, but another request may have moved or recycled it since.
      if (before?.stageId !== stageId || before.deleted) {
        throw Problem.invalid([{ field: 'beforeTaskId', message: 'not a task of that stage' }]);
      }
      const previous = await manager
        .createQueryBuilder(Task, 'task')
        .select('MAX(task.sort)', 'sort')
        .where('task.stageId = :stageId AND task.id <> :movingId AND task.sort < :sort', {
          stageId,
          movingId,
          sort: before.sort,
        })
        .andWhere('task.deleted = :live AND task.parentId IS NULL', { live: false })
        .getRawOne<{ sort: number | null }>();
      return { lower: Number(previous?.sort ?? 0), upper: before.sort };
    };
    const { lower, upper } = await neighbours();
    const between = sortBetween(lower, upper);
    if (between !== null) return between;
    await this.renumber(manager, stageId, movingId);
    const spread = await neighbours();
    // Renumbered, neighbours are SORT_STEP apart: there is room now.
    return sortBetween(spread.lower, spread.upper)!;
  }

  /** Whether no task of the stage holds the place. */
  async isFree(manager: EntityManager, stageId: number, sort: number): Promise<boolean> {
    return !(await manager.existsBy(Task, { stageId, sort }));
  }

  /**
   * Spreads the stage's live tasks (other than `movingId`) back out (task-order.ts), keeping
   * their order; returns how many. Every row is parked on a distinct negative value first
   * (`-id`, where recycled rows already are), so that no intermediate state breaks the unique
   * (stage, sort) index. The caller holds the stage lock; the rows are locked too and every
   * write names the stage, so that a task that left the stage meanwhile is never rewritten in
   * its new one.
   */
  private async renumber(manager: EntityManager, stageId: number, movingId: number) {
    const query = manager
      .createQueryBuilder(Task, 'task')
      .select(['task.id'])
      .where('task.stageId = :stageId AND task.id <> :movingId', { stageId, movingId })
      .andWhere('task.deleted = :live AND task.parentId IS NULL', { live: false })
      .orderBy('task.sort', 'ASC');
    if (!this.locks.sqlite) query.setLock('pessimistic_write');
    const rows = await query.getMany();
    await manager.query('UPDATE `task` SET `sort` = -`id` WHERE `stageId` = ?', [stageId]);
    if (rows.length) {
      const { places } = renumbered(rows.length);
      const cases = rows.map(() => 'WHEN ? THEN ?').join(' ');
      await manager.query(
        `UPDATE \`task\` SET \`sort\` = CASE \`id\` ${cases} END WHERE \`stageId\` = ? AND \`id\` IN (${rows.map(() => '?').join(', ')})`,
        [
          ...rows.flatMap((row, index) => [row.id, places[index]]),
          stageId,
          ...rows.map((row) => row.id),
        ],
      );
    }
    return rows.length;
  }
}
