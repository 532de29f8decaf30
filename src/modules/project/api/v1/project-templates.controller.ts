import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { listTemplatesQuery, type ListTemplatesQuery } from '@/modules/project/dto/project.schemas';
import { ProjectService } from '@/modules/project/project.service';
import { ApiZodQuery, ValidQuery } from './query';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('api/v1/project-templates')
export class ProjectTemplatesController {
  constructor(private readonly projects: ProjectService) {}

  @NotOrgScoped("system templates and the caller's own")
  @RpcTwin('ProjectService/ListTemplates')
  @Get()
  @ApiOperation({ summary: 'Templates to start a project from: all, mine or system' })
  @ApiZodQuery(listTemplatesQuery)
  list(@CurrentCaller() caller: Caller, @ValidQuery(listTemplatesQuery) query: ListTemplatesQuery) {
    return this.projects.templates(caller.memberId, query);
  }
}
