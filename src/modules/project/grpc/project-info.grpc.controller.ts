import { Controller } from '@nestjs/common';
import { NotOrgScoped } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  ProjectInfoServiceControllerMethods,
  type ProjectInfoServiceController,
} from '@/generated/project/v1/project';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  createProjectInfoFieldRequest,
  updateProjectInfoFieldRequest,
  type CreateProjectInfoFieldRequest,
  type UpdateProjectInfoFieldRequest,
} from '../dto/project-info.schemas';
import { ProjectInfoService } from '../project-info.service';

const PROJECT_RULES = "a project's own rules apply: its members, some operations only its owner";

/** msproject.project.v1.ProjectInfoService: the same rules, and schemas, as the REST API. */
@Controller()
@ProjectInfoServiceControllerMethods()
export class ProjectInfoGrpcController implements GrpcService<ProjectInfoServiceController> {
  constructor(private readonly info: ProjectInfoService) {}

  @NotOrgScoped(PROJECT_RULES)
  async listProjectInfoFields(
    @SubjectId('projectId', 'project') projectId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.info.listFields(caller.memberId, projectId));
  }

  @NotOrgScoped(PROJECT_RULES)
  async createProjectInfoField(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(createProjectInfoFieldRequest, { omit: ['projectId'] })
    request: CreateProjectInfoFieldRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.info.createField(caller.memberId, projectId, request));
  }

  @NotOrgScoped(PROJECT_RULES)
  async updateProjectInfoField(
    @SubjectId('id', 'projectInfo') id: number,
    @ValidPayload(updateProjectInfoFieldRequest, { omit: ['id'], emptyMeansNull: ['description'] })
    request: UpdateProjectInfoFieldRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.info.updateField(caller.memberId, id, request));
  }

  @NotOrgScoped(PROJECT_RULES)
  async deleteProjectInfoField(
    @SubjectId('id', 'projectInfo') id: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.info.deleteField(caller.memberId, id);
    return {};
  }
}
