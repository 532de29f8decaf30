import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  createProjectRequest,
  type CreateProjectRequest,
} from '@/modules/project/dto/project.schemas';
import {
  projectAnalysisQuery,
  type ProjectAnalysisQuery,
} from '@/modules/project/dto/project-analysis.schemas';
import { ProjectAnalysisService } from '@/modules/project/project-analysis.service';
import { ProjectService } from '@/modules/project/project.service';
import { ApiZodQuery, ValidQuery } from './query';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('api/v1/organizations/:organizationId/projects')
export class OrganizationProjectsController {
  constructor(
    private readonly projects: ProjectService,
    private readonly analysis: ProjectAnalysisService,
  ) {}

  @OrgPermission('project/project/save')
  @RpcTwin('ProjectService/CreateProjectInOrganization')
  @Post()
  @ApiOperation({
    summary:
      'Create a project in an organization, optionally with the stages of a template (project/project/save)',
  })
  @ApiZodBody(createProjectRequest)
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidBody(createProjectRequest) body: CreateProjectRequest,
  ) {
    return this.projects.createIn(caller.memberId, organizationId, body);
  }

  @OrgPermission('project/project/index')
  @RpcTwin('ProjectService/GetProjectAnalysis')
  @Get('analysis')
  @ApiOperation({
    summary:
      "The organization's analysis over my projects in it (not in the recycle bin) and their tasks I can see: counts, mean schedule, overdue share, projects created per month of this year and tasks per day of this month in `timeZone`",
  })
  @ApiZodQuery(projectAnalysisQuery)
  analyse(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidQuery(projectAnalysisQuery) query: ProjectAnalysisQuery,
  ) {
    return this.analysis.analyse(caller.memberId, organizationId, query);
  }
}
