import { Controller } from '@nestjs/common';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  ProjectServiceControllerMethods,
  type ProjectServiceController,
} from '@/generated/project/v1/project';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  addMemberRequest,
  addTemplateStageRequest,
  createTemplateRequest,
  listOrganizationTemplatesQuery,
  setTemplateStagesRequest,
  updateTemplateRequest,
  type AddTemplateStageRequest,
  type CreateTemplateRequest,
  type ListOrganizationTemplatesQuery,
  type SetTemplateStagesRequest,
  type UpdateTemplateRequest,
  createProjectRequest,
  flagRequest,
  listProjectsQuery,
  listTemplatesQuery,
  pageQuery,
  updateProjectRequest,
  type AddMemberRequest,
  type CreateProjectRequest,
  type ListProjectsQuery,
  type ListTemplatesQuery,
  type PageQuery,
  type UpdateProjectRequest,
} from '../dto/project.schemas';
import { taskStatsQuery, type TaskStatsQuery } from '../dto/task-stats.schemas';
import { projectAnalysisQuery, type ProjectAnalysisQuery } from '../dto/project-analysis.schemas';
import { ProjectAnalysisService } from '../project-analysis.service';
import { ActivityService } from '../activity.service';
import { ProjectService } from '../project.service';
import { ProjectTemplateService } from '../project-template.service';
import { TaskStatsService } from '../task-stats.service';

/** msproject.project.v1.ProjectService: the same rules, and schemas, as the REST API. */
@Controller()
@ProjectServiceControllerMethods()
export class ProjectsGrpcController implements GrpcService<ProjectServiceController> {
  constructor(
    private readonly projects: ProjectService,
    private readonly taskStats: TaskStatsService,
    private readonly analysis: ProjectAnalysisService,
    private readonly activity: ActivityService,
    private readonly templates: ProjectTemplateService,
  ) {}

  @NotOrgScoped("the caller's own projects")
  async listProjects(
    @ValidPayload(listProjectsQuery) query: ListProjectsQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.projects.list(caller.memberId, query));
  }

  @NotOrgScoped("creates in the caller's personal organization, which they own")
  async createProject(
    @ValidPayload(createProjectRequest) request: CreateProjectRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.projects.create(caller.memberId, request));
  }

  @OrgPermission('project/project/save')
  async createProjectInOrganization(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(createProjectRequest, { omit: ['organizationId'] })
    request: CreateProjectRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.projects.createIn(caller.memberId, organizationId, request));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async getProject(@SubjectId('id', 'project') id: number, @CurrentCaller() caller: Caller) {
    return wireMessage(await this.projects.get(caller.memberId, id));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async updateProject(
    @SubjectId('id', 'project') id: number,
    @ValidPayload(updateProjectRequest, {
      omit: ['id'],
      emptyMeansNull: ['description', 'cover', 'prefix'],
    })
    request: UpdateProjectRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.projects.update(caller.memberId, id, request));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async archiveProject(
    @SubjectId('id', 'project') id: number,
    @ValidPayload(flagRequest('archived'), { omit: ['id'] }) { archived }: { archived: boolean },
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.projects.setArchived(caller.memberId, id, archived));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async recycleProject(@SubjectId('id', 'project') id: number, @CurrentCaller() caller: Caller) {
    return wireMessage(await this.projects.setRecycled(caller.memberId, id, true));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async deleteProject(@SubjectId('id', 'project') id: number, @CurrentCaller() caller: Caller) {
    await this.projects.deleteForGood(caller.memberId, id);
    return {};
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async leaveProject(@SubjectId('id', 'project') id: number, @CurrentCaller() caller: Caller) {
    return this.projects.leave(caller.memberId, id);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async restoreProject(@SubjectId('id', 'project') id: number, @CurrentCaller() caller: Caller) {
    return wireMessage(await this.projects.setRecycled(caller.memberId, id, false));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async setCollected(
    @SubjectId('id', 'project') id: number,
    @ValidPayload(flagRequest('collected'), { omit: ['id'] }) { collected }: { collected: boolean },
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.projects.setCollected(caller.memberId, id, collected));
  }

  @NotOrgScoped("system templates and the caller's own")
  async listTemplates(
    @ValidPayload(listTemplatesQuery) query: ListTemplatesQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.projects.templates(caller.memberId, query));
  }

  @OrgPermission('project/project_template/index')
  async listOrganizationTemplates(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(listOrganizationTemplatesQuery, { omit: ['organizationId'] })
    query: ListOrganizationTemplatesQuery,
  ) {
    return wireMessage(await this.templates.list(organizationId, query));
  }

  @OrgPermission('project/project_template')
  async createTemplate(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(createTemplateRequest, { omit: ['organizationId'] })
    request: CreateTemplateRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.templates.create(caller.memberId, organizationId, request));
  }

  @OrgPermission('project/project_template')
  async updateTemplate(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('templateId', 'template') templateId: number,
    @ValidPayload(updateTemplateRequest, {
      omit: ['organizationId', 'templateId'],
      emptyMeansNull: ['description', 'cover'],
    })
    request: UpdateTemplateRequest,
  ) {
    return wireMessage(await this.templates.update(organizationId, templateId, request));
  }

  @OrgPermission('project/project_template')
  async deleteTemplate(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('templateId', 'template') templateId: number,
  ) {
    await this.templates.delete(organizationId, templateId);
    return {};
  }

  @OrgPermission('project/task_stages_template/index')
  async listTemplateStages(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('templateId', 'template') templateId: number,
    @ValidPayload(pageQuery, { omit: ['organizationId', 'templateId'] }) paging: PageQuery,
  ) {
    return wireMessage(await this.templates.stages(organizationId, templateId, paging));
  }

  @OrgPermission('project/task_stages_template')
  async addTemplateStage(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('templateId', 'template') templateId: number,
    @ValidPayload(addTemplateStageRequest, { omit: ['organizationId', 'templateId'] })
    request: AddTemplateStageRequest,
  ) {
    return wireMessage(await this.templates.addStage(organizationId, templateId, request));
  }

  @OrgPermission('project/task_stages_template')
  async setTemplateStages(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('templateId', 'template') templateId: number,
    @ValidPayload(setTemplateStagesRequest, { omit: ['organizationId', 'templateId'] })
    request: SetTemplateStagesRequest,
  ) {
    return wireMessage(await this.templates.setStages(organizationId, templateId, request));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async listMembers(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(pageQuery, { omit: ['projectId'] }) paging: PageQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.projects.members(caller.memberId, projectId, paging));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async addMember(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(addMemberRequest, { omit: ['projectId'] }) { memberId }: AddMemberRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.projects.addMember(caller.memberId, projectId, memberId));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async removeMember(
    @SubjectId('projectId', 'project') projectId: number,
    @SubjectId('memberId', 'member') memberId: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.projects.removeMember(caller.memberId, projectId, memberId);
    return {};
  }

  @NotOrgScoped("a project's data, under its membership")
  async getTaskStats(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(taskStatsQuery, { omit: ['projectId'] }) query: TaskStatsQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return this.taskStats.stats(caller.memberId, projectId, query);
  }

  @OrgPermission('project/project/index')
  async getProjectAnalysis(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(projectAnalysisQuery, { omit: ['organizationId'] }) query: ProjectAnalysisQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return this.analysis.analyse(caller.memberId, organizationId, query);
  }

  @NotOrgScoped("a project's data, under its membership")
  async listProjectActivity(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(pageQuery, { omit: ['projectId'] }) paging: PageQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.activity.projectActivity(caller.memberId, projectId, paging));
  }
}
