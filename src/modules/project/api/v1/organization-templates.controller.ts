import { Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  addTemplateStageRequest,
  createTemplateRequest,
  listOrganizationTemplatesQuery,
  pageQuery,
  setTemplateStagesRequest,
  updateTemplateRequest,
  type AddTemplateStageRequest,
  type CreateTemplateRequest,
  type ListOrganizationTemplatesQuery,
  type Paging,
  type SetTemplateStagesRequest,
  type UpdateTemplateRequest,
} from '@/modules/project/dto/project.schemas';
import { ProjectTemplateService } from '@/modules/project/project-template.service';
import { ApiZodQuery, ValidQuery } from './query';

/** An organization's project templates; the system ones are listed and read-only. */
@ApiTags('projects')
@ApiBearerAuth()
@Controller('api/v1/organizations/:organizationId/project-templates')
export class OrganizationTemplatesController {
  constructor(private readonly templates: ProjectTemplateService) {}

  @OrgPermission('project/project_template/index')
  @RpcTwin('ProjectService/ListOrganizationTemplates')
  @Get()
  @ApiOperation({
    summary:
      "Templates a project of the organization may start from: all, the organization's or system",
  })
  @ApiZodQuery(listOrganizationTemplatesQuery)
  list(
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidQuery(listOrganizationTemplatesQuery) query: ListOrganizationTemplatesQuery,
  ) {
    return this.templates.list(organizationId, query);
  }

  @OrgPermission('project/project_template')
  @RpcTwin('ProjectService/CreateTemplate')
  @Post()
  @ApiOperation({ summary: 'Make a project template of the organization, with its stages' })
  @ApiZodBody(createTemplateRequest)
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidBody(createTemplateRequest) body: CreateTemplateRequest,
  ) {
    return this.templates.create(caller.memberId, organizationId, body);
  }

  @OrgPermission('project/project_template')
  @RpcTwin('ProjectService/UpdateTemplate')
  @Patch(':templateId')
  @ApiOperation({ summary: "Change one of the organization's templates (system ones: 409)" })
  @ApiZodBody(updateTemplateRequest)
  update(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('templateId', 'template') templateId: number,
    @ValidBody(updateTemplateRequest) body: UpdateTemplateRequest,
  ) {
    return this.templates.update(organizationId, templateId, body);
  }

  @OrgPermission('project/project_template')
  @RpcTwin('ProjectService/DeleteTemplate')
  @Delete(':templateId')
  @HttpCode(204)
  @ApiOperation({
    summary:
      "Delete one of the organization's templates (system ones: 409); projects made from it keep their stages",
  })
  async delete(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('templateId', 'template') templateId: number,
  ) {
    await this.templates.delete(organizationId, templateId);
  }

  @OrgPermission('project/task_stages_template/index')
  @RpcTwin('ProjectService/ListTemplateStages')
  @Get(':templateId/stages')
  @ApiOperation({ summary: 'The stages a template gives a new project, in order' })
  @ApiZodQuery(pageQuery)
  stages(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('templateId', 'template') templateId: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.templates.stages(organizationId, templateId, paging);
  }

  @OrgPermission('project/task_stages_template')
  @RpcTwin('ProjectService/AddTemplateStage')
  @Post(':templateId/stages')
  @ApiOperation({
    summary: "Add a stage to one of the organization's templates (after its last without a sort)",
  })
  @ApiZodBody(addTemplateStageRequest)
  addStage(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('templateId', 'template') templateId: number,
    @ValidBody(addTemplateStageRequest) body: AddTemplateStageRequest,
  ) {
    return this.templates.addStage(organizationId, templateId, body);
  }

  @OrgPermission('project/task_stages_template')
  @RpcTwin('ProjectService/SetTemplateStages')
  @Put(':templateId/stages')
  @ApiOperation({
    summary:
      "Replace the stages of one of the organization's templates by these names, in order (renames, removals, reordering)",
  })
  @ApiZodBody(setTemplateStagesRequest)
  setStages(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('templateId', 'template') templateId: number,
    @ValidBody(setTemplateStagesRequest) body: SetTemplateStagesRequest,
  ) {
    return this.templates.setStages(organizationId, templateId, body);
  }
}
