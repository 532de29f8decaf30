import { Module } from '@nestjs/common';
import { DatabaseModule } from '@/infra/database/database.module';
import { UserModule } from '../user/user.module';
import { ActivityController } from './api/v1/activity.controller';
import { OrganizationProjectsController } from './api/v1/organization-projects.controller';
import { ProjectTemplatesController } from './api/v1/project-templates.controller';
import { ProjectsController } from './api/v1/projects.controller';
import { StagesController } from './api/v1/stages.controller';
import { TasksController } from './api/v1/tasks.controller';
import { PROJECT_ENTITIES } from './entities';
import { ProjectsGrpcController } from './grpc/projects.grpc.controller';
import { TasksGrpcController } from './grpc/tasks.grpc.controller';
import { ProjectAccess } from './project-access';
import { ProjectListCache } from './project-list.cache';
import { ProjectRepository } from './project.repository';
import { ProjectService } from './project.service';
import { ActivityRepository } from './activity.repository';
import { ActivityService } from './activity.service';
import { BoardAccess } from './board-access';
import { BoardLocks } from './board-locks';
import { StageRepository } from './stage.repository';
import { StageService } from './stage.service';
import { TaskMemberRepository } from './task-member.repository';
import { TaskRepository } from './task.repository';
import { TaskPurge } from './task-purge';
import { TaskService } from './task.service';

/**
 * Projects, templates, members, task boards and activity. Knows members only through the
 * user module's UserDirectory.
 */
@Module({
  imports: [DatabaseModule.forFeature(PROJECT_ENTITIES), UserModule],
  controllers: [
    ProjectsController,
    OrganizationProjectsController,
    ProjectTemplatesController,
    StagesController,
    TasksController,
    ActivityController,
    ProjectsGrpcController,
    TasksGrpcController,
  ],
  providers: [
    ProjectRepository,
    BoardLocks,
    StageRepository,
    TaskRepository,
    TaskMemberRepository,
    ActivityRepository,
    BoardAccess,
    ProjectListCache,
    ProjectAccess,
    ProjectService,
    StageService,
    TaskService,
    ActivityService,
    TaskPurge,
  ],
  exports: [BoardAccess, ProjectAccess, ActivityRepository, TaskPurge],
})
export class ProjectModule {}
