import { Module } from '@nestjs/common';
import { ListTotal } from '@/infra/database/list-totals';
import { ListTotalsBootstrap } from './list-totals.bootstrap';
import { DatabaseModule } from '@/infra/database/database.module';
import { NotificationModule } from '../notification/notification.module';
import { UserModule } from '../user/user.module';
import { ActivityController } from './api/v1/activity.controller';
import { OrganizationTemplatesController } from './api/v1/organization-templates.controller';
import { OrganizationProjectsController } from './api/v1/organization-projects.controller';
import { ProjectTemplatesController } from './api/v1/project-templates.controller';
import { ProjectsController } from './api/v1/projects.controller';
import { StagesController } from './api/v1/stages.controller';
import { TaskBinController } from './api/v1/task-bin.controller';
import { TaskStatsController } from './api/v1/task-stats.controller';
import { TasksController } from './api/v1/tasks.controller';
import { WorkTimesController } from './api/v1/work-times.controller';
import { PROJECT_ENTITIES } from './entities';
import { ProjectsGrpcController } from './grpc/projects.grpc.controller';
import { TasksGrpcController } from './grpc/tasks.grpc.controller';
import { ProjectAccess } from './project-access';
import { RecentWrites } from './recent-writes';
import { ProjectNotifications } from './project-notifications';
import { ProjectRepository } from './project.repository';
import { ProjectProgress } from './project-progress';
import { ProjectService } from './project.service';
import { ProjectTemplateRepository } from './project-template.repository';
import { ProjectTemplateService } from './project-template.service';
import { ActivityRepository } from './activity.repository';
import { ActivityService } from './activity.service';
import { AssignedTasks } from './assigned-tasks';
import { BoardAccess } from './board-access';
import { BoardLocks } from './board-locks';
import { StageRepository } from './stage.repository';
import { StageOrder } from './stage-order';
import { StageService } from './stage.service';
import { TaskBinRepository } from './task-bin.repository';
import { TaskFamilyRepository } from './task-family.repository';
import { TaskBinService } from './task-bin.service';
import { TaskMemberRepository } from './task-member.repository';
import { TaskReactionRepository } from './task-reaction.repository';
import { TaskRepository } from './task.repository';
import { TaskPurge } from './task-purge';
import { TaskService } from './task.service';
import { TaskStatsService } from './task-stats.service';
import { ProjectAnalysisService } from './project-analysis.service';
import { WorkTimeRepository } from './work-time.repository';
import { WorkTimeService } from './work-time.service';

/**
 * Projects, templates, members, task boards (with their recycle bin and work time) and
 * activity. Knows members only through the user module's UserDirectory.
 */
@Module({
  imports: [
    DatabaseModule.forFeature([...PROJECT_ENTITIES, ListTotal]),
    UserModule,
    NotificationModule,
  ],
  controllers: [
    ProjectsController,
    OrganizationProjectsController,
    OrganizationTemplatesController,
    ProjectTemplatesController,
    StagesController,
    TasksController,
    TaskBinController,
    TaskStatsController,
    WorkTimesController,
    ActivityController,
    ProjectsGrpcController,
    TasksGrpcController,
  ],
  providers: [
    ProjectRepository,
    ProjectTemplateRepository,
    BoardLocks,
    StageOrder,
    StageRepository,
    TaskRepository,
    TaskMemberRepository,
    TaskReactionRepository,
    TaskBinRepository,
    TaskFamilyRepository,
    WorkTimeRepository,
    ActivityRepository,
    BoardAccess,
    RecentWrites,
    ProjectAccess,
    ProjectService,
    ProjectTemplateService,
    ProjectProgress,
    StageService,
    TaskService,
    TaskBinService,
    TaskStatsService,
    ProjectAnalysisService,
    WorkTimeService,
    ActivityService,
    TaskPurge,
    ProjectNotifications,
    AssignedTasks,
    ListTotalsBootstrap,
  ],
  exports: [
    BoardAccess,
    ProjectAccess,
    ActivityRepository,
    TaskPurge,
    AssignedTasks,
    // For the web client's adapter, which calls what REST and gRPC call.
    ProjectService,
    ProjectTemplateService,
    StageService,
    TaskService,
    ActivityService,
    WorkTimeService,
    TaskBinService,
    TaskStatsService,
    ProjectAnalysisService,
  ],
})
export class ProjectModule {}
