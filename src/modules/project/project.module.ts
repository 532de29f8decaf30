import { Module } from '@nestjs/common';
import { ListTotal } from '@/infra/database/list-totals';
import { ListTotalsBootstrap } from './list-totals.bootstrap';
import { DatabaseModule } from '@/infra/database/database.module';
import { NotificationModule } from '../notification/notification.module';
import { UserModule } from '../user/user.module';
import { ActivityController } from './api/v1/activity.controller';
import { FeaturesController } from './api/v1/features.controller';
import { VersionsController } from './api/v1/versions.controller';
import { TaskTagsController } from './api/v1/task-tags.controller';
import { ProjectInfoController } from './api/v1/project-info.controller';
import { OrganizationTemplatesController } from './api/v1/organization-templates.controller';
import { OrganizationProjectsController } from './api/v1/organization-projects.controller';
import { ProjectTemplatesController } from './api/v1/project-templates.controller';
import { ProjectsController } from './api/v1/projects.controller';
import { StagesController } from './api/v1/stages.controller';
import { TaskBinController } from './api/v1/task-bin.controller';
import { TaskStatsController } from './api/v1/task-stats.controller';
import { TasksController } from './api/v1/tasks.controller';
import { TaskWorkflowsController } from './api/v1/task-workflows.controller';
import { WorkTimesController } from './api/v1/work-times.controller';
import { PROJECT_ENTITIES } from './entities';
import { ProjectsGrpcController } from './grpc/projects.grpc.controller';
import { TaskWorkflowsGrpcController } from './grpc/task-workflows.grpc.controller';
import { TasksGrpcController } from './grpc/tasks.grpc.controller';
import { VersionsGrpcController } from './grpc/versions.grpc.controller';
import { TaskTagsGrpcController } from './grpc/task-tags.grpc.controller';
import { ProjectInfoGrpcController } from './grpc/project-info.grpc.controller';
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
import { TaskImportService } from './task-import.service';
import { TaskImportsController } from './api/v1/task-imports.controller';
import { TaskStatsService } from './task-stats.service';
import { TaskWorkflowRepository } from './task-workflow.repository';
import { TaskWorkflowService } from './task-workflow.service';
import { ProjectAnalysisService } from './project-analysis.service';
import { WorkTimeRepository } from './work-time.repository';
import { WorkTimeService } from './work-time.service';
import { VersionRepository } from './version.repository';
import { VersionService } from './version.service';
import { TaskTagRepository } from './task-tag.repository';
import { TaskTagService } from './task-tag.service';
import { ProjectInfoRepository } from './project-info.repository';
import { ProjectInfoService } from './project-info.service';
import { OrganizationProjects } from './organization-projects';

/**
 * Projects, templates, members, task boards (with their recycle bin and work time),
 * versions, task tags and activity. Knows members only through the user module's UserDirectory.
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
    TaskImportsController,
    TaskBinController,
    TaskStatsController,
    WorkTimesController,
    TaskWorkflowsController,
    ActivityController,
    FeaturesController,
    VersionsController,
    TaskTagsController,
    ProjectInfoController,
    ProjectsGrpcController,
    TasksGrpcController,
    VersionsGrpcController,
    TaskWorkflowsGrpcController,
    TaskTagsGrpcController,
    ProjectInfoGrpcController,
  ],
  providers: [
    OrganizationProjects,
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
    VersionRepository,
    TaskTagRepository,
    TaskWorkflowRepository,
    ProjectInfoRepository,
    ActivityRepository,
    BoardAccess,
    RecentWrites,
    ProjectAccess,
    ProjectService,
    ProjectTemplateService,
    ProjectProgress,
    StageService,
    TaskService,
    TaskImportService,
    TaskBinService,
    TaskStatsService,
    ProjectAnalysisService,
    WorkTimeService,
    VersionService,
    TaskTagService,
    TaskWorkflowService,
    ProjectInfoService,
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
    TaskImportService,
    ActivityService,
    WorkTimeService,
    VersionService,
    TaskTagService,
    TaskBinService,
    TaskStatsService,
    TaskWorkflowService,
    ProjectInfoService,
    ProjectAnalysisService,
  ],
})
export class ProjectModule {}
