import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Problem } from '@/common/problem';
import { BoardLocks } from './board-locks';
import { offset } from './board-queries';
import type { Paging } from './dto/project.schemas';
import { Activity, Task, WorkTime } from './entities';
import { addEntriesToFeeds, lockProjectFeed } from './feed-totals';

export interface NewWorkTime {
  taskId: number;
  projectId: number;
  memberId: number;
  beginAt: Date;
  hours: number;
  description: string | null;
}

export type WorkTimeChanges = Partial<Pick<WorkTime, 'beginAt' | 'hours' | 'description'>>;

/** Hours as people write them: 1.5, not 1.50 or 1.4999999. */
const hoursText = (hours: number) =>
  `${Number(hours.toFixed(2))} ${hours === 1 ? 'hour' : 'hours'}`;

/** Time spent on tasks. */
@Injectable()
export class WorkTimeRepository {
  constructor(
    @InjectRepository(WorkTime) private readonly entries: Repository<WorkTime>,
    private readonly locks: BoardLocks,
  ) {}

  /**
   * The entry and its activity entry, on a task still on the board: checked under the task's
   * row lock, which recycling and deleting it take too (after the project's, whose members'
   * feeds count the activity entry).
   */
  add(entry: NewWorkTime): Promise<WorkTime> {
    return this.locks.transaction(async (manager) => {
      await lockProjectFeed(manager, entry.projectId);
      const task = await this.locks.lock(manager, Task, entry.taskId);
      if (!task || task.deleted) throw Problem.notFound('task not found');
      const saved = await manager.save(WorkTime, manager.create(WorkTime, entry));
      const added = {
        projectId: entry.projectId,
        taskId: entry.taskId,
        memberId: entry.memberId,
        type: 'workTime' as const,
        content: `logged ${hoursText(entry.hours)} of work`,
      };
      await manager.insert(Activity, added);
      await addEntriesToFeeds(manager, [added]);
      return saved;
    });
  }

  findWorkTime(id: number): Promise<WorkTime | null> {
    return this.entries.findOneBy({ id });
  }

  /** A task's entries, newest start first, and the hours of all of them. */
  async listForTask(taskId: number, paging: Paging) {
    const [[rows, total], sum] = await Promise.all([
      this.entries.findAndCount({
        where: { taskId },
        order: { beginAt: 'DESC', id: 'DESC' },
        skip: offset(paging),
        take: paging.pageSize,
      }),
      this.entries
        .createQueryBuilder('entry')
        .select('SUM(entry.hours)', 'hours')
        .where('entry.taskId = :taskId', { taskId })
        .getRawOne<{ hours: string | number | null }>(),
    ]);
    // Exact in MariaDB's DECIMAL; SQLite sums floats, rounded back to hundredths.
    const totalHours = Math.round(Number(sum?.hours ?? 0) * 100) / 100;
    return { rows, total, totalHours };
  }

  async updateWorkTime(id: number, changes: WorkTimeChanges): Promise<WorkTime> {
    await this.entries.update({ id }, changes);
    return (await this.entries.findOneBy({ id }))!;
  }

  async deleteWorkTime(id: number): Promise<void> {
    await this.entries.delete({ id });
  }
}
