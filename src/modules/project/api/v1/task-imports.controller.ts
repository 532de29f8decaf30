import { Controller, Get, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { spreadsheetDownload, XLSX_TYPE } from '@/common/spreadsheet-reply';
import { RpcTwin } from '@/common/transport-parity';
import { ApiMultipartBody } from '@/modules/file/api/v1/upload-docs';
import { TASK_TEMPLATE_FILE_NAME, TaskImportService } from '@/modules/project/task-import.service';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';

@ApiTags('task boards')
@ApiBearerAuth()
@Controller('api/v1')
export class TaskImportsController {
  constructor(private readonly imports: TaskImportService) {}

  @NotOrgScoped('a blank template, the same for everyone')
  @RpcTwin('TaskService/GetTaskImportTemplate')
  @Get('task-import-template')
  @ApiOperation({ summary: 'The blank .xlsx sheet a task import reads (its columns, with notes)' })
  @ApiProduces(XLSX_TYPE)
  async template() {
    return spreadsheetDownload(await this.imports.template(), TASK_TEMPLATE_FILE_NAME);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/ImportTasks')
  @Post('projects/:id/task-imports')
  @ApiOperation({
    summary:
      'Create tasks from an .xlsx sheet laid out as the template (multipart/form-data: optional timeZone for its dates, then part `file`, at most imports.maxBytes and imports.maxRows rows): all or none, a wrong cell refuses the file naming its row and column',
  })
  @ApiMultipartBody(z.strictObject({ timeZone: z.string().optional() }))
  import(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @Req() request: FastifyRequest,
  ) {
    return this.imports.importFromForm(caller.memberId, request, id);
  }
}
