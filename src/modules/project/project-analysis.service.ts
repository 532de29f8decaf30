import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TracedService } from '@/telemetry/traced-service';
import { visibleTask } from './board-queries';
import type { ProjectAnalysisQuery } from './dto/project-analysis.schemas';
import { Project, Task } from './entities';
import { projectAnalysis, type ProjectAnalysis } from './project-analysis';
import { ProjectProgress } from './project-progress';

/**
 * The analysis page of an organization: over my projects in it that are not in the recycle
 * bin (archived ones count), and their tasks on the board that I may see.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class ProjectAnalysisService {
  constructor(
    @InjectRepository(Project) private readonly projects: Repository<Project>,
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly progress: ProjectProgress,
  ) {}

  async analyse(
    memberId: number,
    organizationId: number,
    query: ProjectAnalysisQuery,
  ): Promise<ProjectAnalysis> {
    const projects = await this.projects
      .createQueryBuilder('project')
      .innerJoin(
        'project_member',
        'membership',
        'membership.projectId = project.id AND membership.memberId = :memberId',
        { memberId },
      )
      .where('project.organizationId = :organizationId AND project.deleted = :live', {
        organizationId,
        live: false,
      })
      .getMany();
    const completion = await this.progress.of(projects);
    const ids = projects.map((project) => project.id);
    const tasks =
      ids.length === 0
        ? []
        : await this.tasks
            .createQueryBuilder('task')
            .select(['task.done', 'task.doneAt', 'task.endAt', 'task.createdAt'])
            .where('task.projectId IN (:...ids) AND task.deleted = :live', { ids, live: false })
            .andWhere(visibleTask('task'), { open: false, viewerId: memberId })
            .getMany();
    return projectAnalysis(
      projects.map((project) => ({
        createdAt: project.createdAt,
        schedule: completion.get(project.id) ?? project.schedule,
      })),
      tasks,
      new Date(),
      query.timeZone,
    );
  }
}
