import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Project, Task } from './entities';

/** What other modules may know of task assignments: counts, never the tasks themselves. */
@Injectable()
export class AssignedTasks {
  constructor(@InjectRepository(Task) private readonly tasks: Repository<Task>) {}

  /** Tasks not done, assigned to the member, in the organization's projects out of the bin. */
  openInOrganization(memberId: number, organizationId: number): Promise<number> {
    return this.tasks
      .createQueryBuilder('task')
      .innerJoin(Project, 'project', 'project.id = task.projectId')
      .where('task.assigneeId = :memberId', { memberId })
      .andWhere('task.done = :no', { no: false })
      .andWhere('project.organizationId = :organizationId', { organizationId })
      .andWhere('project.deleted = :no')
      .getCount();
  }
}
