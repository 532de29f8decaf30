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
  createTaskTagRequest,
  updateTaskTagRequest,
  type CreateTaskTagRequest,
  type UpdateTaskTagRequest,
} from '@/modules/project/dto/task-tag.schemas';
import { TaskTagService } from '@/modules/project/task-tag.service';
import { ApiZodQuery, ValidQuery } from './query';

const PROJECT_DATA = "a project's data, under its membership";

@ApiTags('task tags')
@ApiBearerAuth()
@Controller('api/v1')
export class TaskTagsController {
  constructor(private readonly tags: TaskTagService) {}

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('TaskTagService/ListTaskTags')
  @Get('projects/:id/task-tags')
  @ApiOperation({ summary: "A project's task tags, oldest first" })
  list(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.tags.listTags(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('TaskTagService/CreateTaskTag')
  @Post('projects/:id/task-tags')
  @ApiOperation({
    summary:
      'Add a task tag to a project: a name unique in the project whatever its case, a colour (blue when absent)',
  })
  @ApiZodBody(createTaskTagRequest)
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(createTaskTagRequest) body: CreateTaskTagRequest,
  ) {
    return this.tags.createTag(caller.memberId, id, body);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('TaskTagService/UpdateTaskTag')
  @Patch('task-tags/:id')
  @ApiOperation({ summary: 'Rename a task tag or change its colour' })
  @ApiZodBody(updateTaskTagRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'taskTag') id: number,
    @ValidBody(updateTaskTagRequest) body: UpdateTaskTagRequest,
  ) {
    return this.tags.updateTag(caller.memberId, id, body);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('TaskTagService/DeleteTaskTag')
  @Delete('task-tags/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a task tag: it comes off every task that carries it' })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'taskTag') id: number) {
    await this.tags.deleteTag(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('TaskTagService/ListTaggedTasks')
  @Get('task-tags/:id/tasks')
  @ApiOperation({ summary: 'The tasks carrying a tag that I may see, newest first' })
  @ApiZodQuery(pageQuery)
  tasks(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'taskTag') id: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.tags.listTaggedTasks(caller.memberId, id, paging);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('TaskTagService/ListTagsOfTask')
  @Get('tasks/:id/tags')
  @ApiOperation({ summary: 'The tags a task carries, in the order they were put on' })
  ofTask(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tags.listTagsOfTask(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('TaskTagService/TagTask')
  @Put('tasks/:id/tags/:tagId')
  @ApiOperation({
    summary: "Put a tag of the task's project on the task (again changes nothing); its tags",
  })
  tag(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @IdParam('tagId', 'taskTag') tagId: number,
  ) {
    return this.tags.tagTask(caller.memberId, id, tagId);
  }

  @NotOrgScoped(PROJECT_DATA)
  @RpcTwin('TaskTagService/UntagTask')
  @Delete('tasks/:id/tags/:tagId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Take a tag off a task' })
  async untag(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @IdParam('tagId', 'taskTag') tagId: number,
  ) {
    await this.tags.untagTask(caller.memberId, id, tagId);
  }
}
