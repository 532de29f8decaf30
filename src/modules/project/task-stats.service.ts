import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TracedService } from '@/telemetry/traced-service';
import { visibleTask } from './board-queries';
import type { TaskStatsQuery } from './dto/task-stats.schemas';
import { Task } from './entities';
import { ProjectAccess } from './project-access';
import { taskStats, type TaskFacts, type TaskStats } from './task-stats';

/**
 * A project's task statistics for its overview: counts by state and a daily series, over the
 * tasks on its board (not the recycle bin) that the caller may see.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class TaskStatsService {
  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly access: ProjectAccess,
  ) {}

  async stats(memberId: number, projectId: number, query: TaskStatsQuery): Promise<TaskStats> {
    await this.access.require(memberId, projectId);
    const rows: TaskFacts[] = await this.tasks
      .createQueryBuilder('task')
      .select(['task.done', 'task.doneAt', 'task.endAt', 'task.assigneeId', 'task.createdAt'])
      .where('task.projectId = :projectId AND task.deleted = :live', { projectId, live: false })
      .andWhere(visibleTask('task'), { open: false, viewerId: memberId })
      .getMany();
    return taskStats(rows, new Date(), query.timeZone, query.days);
  }
}
