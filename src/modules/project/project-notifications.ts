import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotificationRepository } from '@/modules/notification/notification.repository';
import type { Project, Task } from './entities';

/**
 * What the project module tells members, stored in the transaction of the change it
 * announces. The content is a sentence to show after the actor's name; the ids let a client
 * link. Nobody is told about their own action (NotificationRepository.add skips the actor).
 */
@Injectable()
export class ProjectNotifications {
  constructor(private readonly notifications: NotificationRepository) {}

  taskAssigned(manager: EntityManager, task: Task, assigneeId: number, actorId: number) {
    return this.notifications.add(
      [
        {
          memberId: assigneeId,
          kind: 'taskAssigned',
          actorId,
          projectId: task.projectId,
          taskId: task.id,
          content: `assigned you the task ${task.name}`,
        },
      ],
      manager,
    );
  }

  mentioned(manager: EntityManager, task: Task, memberIds: number[], actorId: number) {
    return this.notifications.add(
      memberIds.map((memberId) => ({
        memberId,
        kind: 'mentioned' as const,
        actorId,
        projectId: task.projectId,
        taskId: task.id,
        content: `mentioned you in a comment on the task ${task.name}`,
      })),
      manager,
    );
  }

  addedToProject(manager: EntityManager, project: Project, memberId: number, actorId: number) {
    return this.notifications.add(
      [
        {
          memberId,
          kind: 'addedToProject',
          actorId,
          organizationId: project.organizationId,
          projectId: project.id,
          content: `added you to the project ${project.name}`,
        },
      ],
      manager,
    );
  }
}
