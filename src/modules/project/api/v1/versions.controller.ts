import { Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { IdParam } from '@/common/public-id.pipe';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { pageQuery, type Paging } from '@/modules/project/dto/project.schemas';
import {
  addVersionTasksRequest,
  changeVersionStatusRequest,
  updateVersionRequest,
  type AddVersionTasksRequest,
  type ChangeVersionStatusRequest,
  type UpdateVersionRequest,
} from '@/modules/project/dto/version.schemas';
import { VersionService } from '@/modules/project/version.service';
import { ApiZodQuery, ValidQuery } from './query';

const PROJECT_DATA = "a project's data, under its membership";

@ApiTags('versions')
@ApiBearerAuth()
@Controller('api/v1')
export class VersionsController {
  constructor(private readonly versions: VersionService) {}

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/GetVersion')
  @Get('versions/:id')
  @ApiOperation({ summary: 'A version, with its library and progress' })
  get(@CurrentCaller() caller: Caller, @IdParam('id', 'version') id: number) {
    return this.versions.getVersion(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/UpdateVersion')
  @Patch('versions/:id')
  @ApiOperation({
    summary: 'Change a version: name, description, start and planned release (null clears)',
  })
  @ApiZodBody(updateVersionRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'version') id: number,
    @ValidBody(updateVersionRequest) body: UpdateVersionRequest,
  ) {
    return this.versions.updateVersion(caller.memberId, id, body);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/ChangeVersionStatus')
  @Put('versions/:id/status')
  @ApiOperation({
    summary: 'Set a version\'s status; "released" records when (now unless told)',
  })
  @ApiZodBody(changeVersionStatusRequest)
  changeStatus(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'version') id: number,
    @ValidBody(changeVersionStatusRequest) body: ChangeVersionStatusRequest,
  ) {
    return this.versions.changeStatus(caller.memberId, id, body);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/DeleteVersion')
  @Delete('versions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a version; its tasks stay, in no version' })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'version') id: number) {
    await this.versions.deleteVersion(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/ListVersionLog')
  @Get('versions/:id/log')
  @ApiOperation({ summary: "A version's history, newest first" })
  @ApiZodQuery(pageQuery)
  log(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'version') id: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.versions.listLog(caller.memberId, id, paging);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/ListVersionTasks')
  @Get('versions/:id/tasks')
  @ApiOperation({ summary: "A version's tasks that I may see, newest first (at most 500)" })
  tasks(@CurrentCaller() caller: Caller, @IdParam('id', 'version') id: number) {
    return this.versions.listVersionTasks(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/AddVersionTasks')
  @Post('versions/:id/tasks')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Put tasks of the version's project into it (a task in another version moves); answers how many changed",
  })
  @ApiZodBody(addVersionTasksRequest)
  addTasks(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'version') id: number,
    @ValidBody(addVersionTasksRequest) body: AddVersionTasksRequest,
  ) {
    return this.versions.addTasks(caller.memberId, id, body);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('VersionService/RemoveTaskFromVersion')
  @Delete('tasks/:id/version')
  @HttpCode(204)
  @ApiOperation({ summary: 'Take a task out of the version it is in' })
  async removeTask(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    await this.versions.removeTask(caller.memberId, id);
  }
}
