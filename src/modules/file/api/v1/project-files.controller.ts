import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodQuery, ValidQuery } from '@/modules/project/api/v1/query';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { listProjectFilesQuery, type ListProjectFilesQuery } from '@/modules/file/dto/file.schemas';
import { FileService } from '@/modules/file/file.service';

@ApiTags('files')
@ApiBearerAuth()
@Controller('api/v1')
export class ProjectFilesController {
  constructor(private readonly files: FileService) {}

  @RpcTwin('FileService/ListProjectFiles')
  @NotOrgScoped("a project's files: its members, each seeing the tasks they may see")
  @Get('projects/:id/files')
  @ApiOperation({
    summary:
      "The files of a project's tasks I can see, newest first; deleted=true: the recycle bin",
  })
  @ApiZodQuery(listProjectFilesQuery)
  list(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidQuery(listProjectFilesQuery) query: ListProjectFilesQuery,
  ) {
    return this.files.listProjectFiles(caller.memberId, id, query);
  }
}
