import { Injectable } from '@nestjs/common';
import { AvatarService } from '@/modules/file/avatar.service';
import { FileService } from '@/modules/file/file.service';
import { ImageService } from '@/modules/file/image.service';
import { UploadService } from '@/modules/file/upload.service';
import { AnnouncementService } from '@/modules/notification/announcement.service';
import { NotificationService } from '@/modules/notification/notification.service';
import { AccessService } from '@/modules/organization/access.service';
import { AreaDirectory } from '@/modules/organization/area-directory';
import { AccountService } from '@/modules/organization/account.service';
import { DepartmentService } from '@/modules/organization/department.service';
import { DepartmentImportService } from '@/modules/organization/department-import.service';
import { InvitationService } from '@/modules/organization/invitation.service';
import { InviteLinkService } from '@/modules/organization/invite-link.service';
import { MenuService } from '@/modules/organization/menu.service';
import { OrganizationLifecycleService } from '@/modules/organization/organization-lifecycle.service';
import { OrganizationSettingsService } from '@/modules/organization/organization-settings.service';
import { PermissionService } from '@/modules/organization/permission.service';
import { RoleService } from '@/modules/organization/role.service';
import { SystemSettingsService } from '@/modules/organization/system-settings.service';
import { BoardAccess } from '@/modules/project/board-access';
import { ActivityService } from '@/modules/project/activity.service';
import { ProjectAccess } from '@/modules/project/project-access';
import { ProjectAnalysisService } from '@/modules/project/project-analysis.service';
import { ProjectService } from '@/modules/project/project.service';
import { ProjectInfoService } from '@/modules/project/project-info.service';
import { ProjectTemplateService } from '@/modules/project/project-template.service';
import { StageService } from '@/modules/project/stage.service';
import { TaskBinService } from '@/modules/project/task-bin.service';
import { TaskService } from '@/modules/project/task.service';
import { TaskImportService } from '@/modules/project/task-import.service';
import { TaskStatsService } from '@/modules/project/task-stats.service';
import { VersionService } from '@/modules/project/version.service';
import { TaskTagService } from '@/modules/project/task-tag.service';
import { TaskWorkflowService } from '@/modules/project/task-workflow.service';
import { WorkTimeService } from '@/modules/project/work-time.service';
import { DownloadPasses } from '@/modules/user/auth/download-passes';
import { ContactDetailsService } from '@/modules/user/contact-details.service';
import { UserService } from '@/modules/user/user.service';

/** The domain services the client's routes call: the ones REST and gRPC call. */
@Injectable()
export class WebClientServices {
  constructor(
    readonly users: UserService,
    readonly contacts: ContactDetailsService,
    readonly projects: ProjectService,
    readonly stages: StageService,
    readonly tasks: TaskService,
    readonly activity: ActivityService,
    readonly workTimes: WorkTimeService,
    readonly board: BoardAccess,
    readonly projectAccess: ProjectAccess,
    readonly taskBin: TaskBinService,
    readonly taskStats: TaskStatsService,
    readonly taskWorkflows: TaskWorkflowService,
    readonly projectAnalysis: ProjectAnalysisService,
    readonly menus: MenuService,
    readonly permissions: PermissionService,
    readonly roles: RoleService,
    readonly accounts: AccountService,
    readonly departments: DepartmentService,
    readonly access: AccessService,
    readonly notifications: NotificationService,
    readonly announcements: AnnouncementService,
    readonly files: FileService,
    readonly uploads: UploadService,
    readonly avatars: AvatarService,
    readonly inviteLinks: InviteLinkService,
    readonly templates: ProjectTemplateService,
    readonly images: ImageService,
    readonly taskImports: TaskImportService,
    readonly departmentImports: DepartmentImportService,
    readonly versions: VersionService,
    readonly taskTags: TaskTagService,
    readonly projectInfo: ProjectInfoService,
    readonly organizations: OrganizationLifecycleService,
    readonly organizationSettings: OrganizationSettingsService,
    readonly invitations: InvitationService,
    readonly systemSettings: SystemSettingsService,
    readonly areas: AreaDirectory,
    readonly downloadPasses: DownloadPasses,
  ) {}
}
