import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { IdParam } from '@/common/public-id.pipe';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  createProjectInfoFieldRequest,
  updateProjectInfoFieldRequest,
  type CreateProjectInfoFieldRequest,
  type UpdateProjectInfoFieldRequest,
} from '@/modules/project/dto/project-info.schemas';
import { ProjectInfoService } from '@/modules/project/project-info.service';

const PROJECT_RULES = "a project's own rules apply: its members, some operations only its owner";

@ApiTags('project information')
@ApiBearerAuth()
@Controller('api/v1')
export class ProjectInfoController {
  constructor(private readonly info: ProjectInfoService) {}

  @NotOrgScoped(PROJECT_RULES)
  @RpcTwin('ProjectInfoService/ListProjectInfoFields')
  @Get('projects/:id/info-fields')
  @ApiOperation({ summary: "A project's custom information fields, by sort then oldest first" })
  list(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.info.listFields(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_RULES)
  @RpcTwin('ProjectInfoService/CreateProjectInfoField')
  @Post('projects/:id/info-fields')
  @ApiOperation({
    summary: 'Add a custom information field to a project (owner only; at most 100 a project)',
  })
  @ApiZodBody(createProjectInfoFieldRequest)
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(createProjectInfoFieldRequest) body: CreateProjectInfoFieldRequest,
  ) {
    return this.info.createField(caller.memberId, id, body);
  }

  @NotOrgScoped(PROJECT_RULES)
  @RpcTwin('ProjectInfoService/UpdateProjectInfoField')
  @Patch('info-fields/:id')
  @ApiOperation({
    summary: "Change a custom information field's name, value, description or sort (owner only)",
  })
  @ApiZodBody(updateProjectInfoFieldRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'projectInfo') id: number,
    @ValidBody(updateProjectInfoFieldRequest) body: UpdateProjectInfoFieldRequest,
  ) {
    return this.info.updateField(caller.memberId, id, body);
  }

  @NotOrgScoped(PROJECT_RULES)
  @RpcTwin('ProjectInfoService/DeleteProjectInfoField')
  @Delete('info-fields/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a custom information field (owner only)' })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'projectInfo') id: number) {
    await this.info.deleteField(caller.memberId, id);
  }
}
