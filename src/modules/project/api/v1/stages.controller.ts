import { Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { IdParam } from '@/common/public-id.pipe';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  createStageRequest,
  pageQuery,
  reorderStagesRequest,
  updateStageRequest,
  type CreateStageRequest,
  type Paging,
  type ReorderStagesRequest,
  type UpdateStageRequest,
} from '@/modules/project/dto/project.schemas';
import { StageService } from '@/modules/project/stage.service';
import { TaskService } from '@/modules/project/task.service';
import { ApiZodQuery, ValidQuery } from './query';

@ApiTags('task boards')
@ApiBearerAuth()
@Controller('api/v1')
export class StagesController {
  constructor(
    private readonly stages: StageService,
    private readonly tasks: TaskService,
  ) {}

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/ListStages')
  @Get('projects/:id/stages')
  @ApiOperation({ summary: "A project's stages, in board order" })
  @ApiZodQuery(pageQuery)
  list(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.stages.listStages(caller.memberId, id, paging);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/CreateStage')
  @Post('projects/:id/stages')
  @ApiOperation({ summary: 'Add a stage at the end of the board (owner only)' })
  @ApiZodBody(createStageRequest)
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(createStageRequest) body: CreateStageRequest,
  ) {
    return this.stages.createStage(caller.memberId, id, body);
  }

  @RpcTwin('TaskService/ReorderStages')
  @Put('projects/:id/stages/order')
  @ApiOperation({
    summary: 'Reorder the stages: every stage id once, in the new order (owner only)',
  })
  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @ApiZodBody(reorderStagesRequest)
  reorder(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(reorderStagesRequest) body: ReorderStagesRequest,
  ) {
    return this.stages.reorderStages(caller.memberId, id, body.stageIds);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/UpdateStage')
  @Patch('stages/:id')
  @ApiOperation({ summary: 'Rename or describe a stage (owner only)' })
  @ApiZodBody(updateStageRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'stage') id: number,
    @ValidBody(updateStageRequest) body: UpdateStageRequest,
  ) {
    return this.stages.updateStage(caller.memberId, id, body);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/DeleteStage')
  @Delete('stages/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an empty stage (owner only)' })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'stage') id: number) {
    await this.stages.deleteStage(caller.memberId, id);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/ListTasks')
  @Get('stages/:id/tasks')
  @ApiOperation({ summary: "A stage's tasks, in board order" })
  @ApiZodQuery(pageQuery)
  tasksOf(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'stage') id: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.tasks.listTasks(caller.memberId, id, paging);
  }
}
