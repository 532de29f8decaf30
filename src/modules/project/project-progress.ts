import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Project, Task } from './entities';

/**
 * A project's completion from its tasks, for the projects whose schedule follows them
 * (`autoUpdateSchedule`): the share of done tasks among those not in the recycle bin, as a
 * whole percentage (0 with no task). Computed when read, so every way a task changes (done,
 * new, recycled, restored, deleted, moved) counts at once.
 */
@Injectable()
export class ProjectProgress {
  constructor(@InjectRepository(Task) private readonly tasks: Repository<Task>) {}

  /** Completion by project id, for those of `projects` that follow their tasks. */
  async of(projects: Project[]): Promise<Map<number, number>> {
    const ids = projects.filter((project) => project.autoUpdateSchedule).map(({ id }) => id);
    const completion = new Map(ids.map((id) => [id, 0]));
    if (ids.length === 0) return completion;
    const rows = await this.tasks
      .createQueryBuilder('task')
      .select('task.projectId', 'projectId')
      .addSelect('COUNT(*)', 'total')
      .addSelect('SUM(CASE WHEN task.done THEN 1 ELSE 0 END)', 'done')
      .where('task.projectId IN (:...ids)', { ids })
      .andWhere('task.deleted = :deleted', { deleted: false })
      .groupBy('task.projectId')
      .getRawMany<{ projectId: number | string; total: number | string; done: number | string }>();
    for (const row of rows) {
      const total = Number(row.total);
      if (total > 0) {
        completion.set(Number(row.projectId), Math.round((Number(row.done) * 100) / total));
      }
    }
    return completion;
  }
}
