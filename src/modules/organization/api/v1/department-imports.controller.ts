import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@/common/api-docs';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { spreadsheetDownload, XLSX_TYPE } from '@/common/spreadsheet-reply';
import { RpcTwin } from '@/common/transport-parity';
import { ApiMultipartBody } from '@/modules/file/api/v1/upload-docs';
import {
  DEPARTMENT_MEMBER_TEMPLATE_FILE_NAME,
  DepartmentImportService,
} from '@/modules/organization/department-import.service';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';

@ApiTags('departments')
@ApiBearerAuth()
@Controller('api/v1')
export class DepartmentImportsController {
  constructor(private readonly imports: DepartmentImportService) {}

  @NotOrgScoped('a blank template, the same for everyone')
  @RpcTwin('DepartmentService/GetDepartmentMemberImportTemplate')
  @Get('department-member-import-template')
  @ApiOperation({
    summary: 'The blank .xlsx sheet a department-member import reads (its columns, with notes)',
  })
  @ApiProduces(XLSX_TYPE)
  async template() {
    return spreadsheetDownload(await this.imports.template(), DEPARTMENT_MEMBER_TEMPLATE_FILE_NAME);
  }

  @OrgPermission('project/department_member/invitemember')
  @RpcTwin('DepartmentService/ImportDepartmentMembers')
  @Post('organizations/:organizationId/department-member-imports')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Put the organization's accounts into departments from an .xlsx sheet laid out as the template (multipart/form-data, part `file`, at most imports.maxBytes and imports.maxRows rows), creating the members whose email no member has (their name the login account, their mobile required, the default password theirs, else none that opens the account): all or none, a wrong cell refuses the file naming its row and column; answers {updated, created}",
  })
  @ApiMultipartBody(z.strictObject({}))
  import(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @Req() request: FastifyRequest,
  ) {
    return this.imports.importFromForm(caller.memberId, organizationId, request);
  }
}
