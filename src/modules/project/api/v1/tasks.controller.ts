import { Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../../../../common/public-id.pipe';
import { ApiZodBody, ValidBody } from '../../../../common/zod-validation';
import type { Caller } from '../../../user/auth/access-token.guard';
import { CurrentCaller } from '../../../user/auth/current-caller.decorator';
import {
  commentRequest,
  createStageRequest,
  createTaskRequest,
  moveTaskRequest,
  myTasksQuery,
  pageQuery,
  reorderStagesRequest,
  taskActivityQuery,
  taskMemberRequest,
  updateStageRequest,
  updateTaskRequest,
  type CommentRequest,
  type CreateStageRequest,
  type CreateTaskRequest,
  type MoveTaskRequest,
  type MyTasksQuery,
  type Paging,
  type ReorderStagesRequest,
  type TaskActivityQuery,
  type TaskMemberRequest,
  type UpdateStageRequest,
  type UpdateTaskRequest,
} from '../../dto/project.schemas';
import { TaskService } from '../../task.service';
import { ApiZodQuery, ValidQuery } from './query';

@ApiTags('task boards')
@ApiBearerAuth()
@Controller('api/v1')
export class StagesController {
  constructor(private readonly tasks: TaskService) {}

  @Get('projects/:id/stages')
  @ApiOperation({ summary: "A project's stages, in board order" })
  @ApiZodQuery(pageQuery)
  list(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.tasks.listStages(caller.memberId, id, paging);
  }

  @Post('projects/:id/stages')
  @ApiOperation({ summary: 'Add a stage at the end of the board (owner only)' })
  @ApiZodBody(createStageRequest)
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(createStageRequest) body: CreateStageRequest,
  ) {
    return this.tasks.createStage(caller.memberId, id, body);
  }

  @Put('projects/:id/stages/order')
  @ApiOperation({
    summary: 'Reorder the stages: every stage id once, in the new order (owner only)',
  })
  @ApiZodBody(reorderStagesRequest)
  reorder(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(reorderStagesRequest) body: ReorderStagesRequest,
  ) {
    return this.tasks.reorderStages(caller.memberId, id, body.stageIds);
  }

  @Patch('stages/:id')
  @ApiOperation({ summary: 'Rename or describe a stage (owner only)' })
  @ApiZodBody(updateStageRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'stage') id: number,
    @ValidBody(updateStageRequest) body: UpdateStageRequest,
  ) {
    return this.tasks.updateStage(caller.memberId, id, body);
  }

  @Delete('stages/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an empty stage (owner only)' })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'stage') id: number) {
    await this.tasks.deleteStage(caller.memberId, id);
  }

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

@ApiTags('task boards')
@ApiBearerAuth()
@Controller('api/v1')
export class TasksController {
  constructor(private readonly tasks: TaskService) {}

  @Post('projects/:id/tasks')
  @ApiOperation({ summary: 'Create a task at the end of a stage' })
  @ApiZodBody(createTaskRequest)
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(createTaskRequest) body: CreateTaskRequest,
  ) {
    return this.tasks.createTask(caller.memberId, id, body);
  }

  @Get('tasks')
  @ApiOperation({ summary: 'My tasks: assigned to me, participating in, or created by me' })
  @ApiZodQuery(myTasksQuery)
  mine(@CurrentCaller() caller: Caller, @ValidQuery(myTasksQuery) query: MyTasksQuery) {
    return this.tasks.myTasks(caller.memberId, query);
  }

  @Get('tasks/:id')
  @ApiOperation({ summary: 'A task' })
  get(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tasks.getTask(caller.memberId, id);
  }

  @Patch('tasks/:id')
  @ApiOperation({ summary: 'Change a task; a new assignee becomes its executor' })
  @ApiZodBody(updateTaskRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidBody(updateTaskRequest) body: UpdateTaskRequest,
  ) {
    return this.tasks.updateTask(caller.memberId, id, body);
  }

  @Post('tasks/:id/move')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a task to a stage, in front of a task or at the end' })
  @ApiZodBody(moveTaskRequest)
  move(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidBody(moveTaskRequest) body: MoveTaskRequest,
  ) {
    return this.tasks.moveTask(caller.memberId, id, body);
  }

  @Post('tasks/:id/done')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a task done' })
  done(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tasks.setDone(caller.memberId, id, true);
  }

  @Post('tasks/:id/undone')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a task' })
  undone(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tasks.setDone(caller.memberId, id, false);
  }

  @Get('tasks/:id/members')
  @ApiOperation({ summary: "A task's members: creator, executor, participants" })
  @ApiZodQuery(pageQuery)
  members(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidQuery(pageQuery) paging: Paging,
  ) {
    return this.tasks.listTaskMembers(caller.memberId, id, paging);
  }

  @Post('tasks/:id/members')
  @ApiOperation({ summary: 'Add a project member to a task' })
  @ApiZodBody(taskMemberRequest)
  addMember(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidBody(taskMemberRequest) body: TaskMemberRequest,
  ) {
    return this.tasks.addTaskMember(caller.memberId, id, body.memberId);
  }

  @Delete('tasks/:id/members/:memberId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member from a task' })
  async removeMember(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @IdParam('memberId', 'member') memberId: number,
  ) {
    await this.tasks.removeTaskMember(caller.memberId, id, memberId);
  }
}

@ApiTags('activity')
@ApiBearerAuth()
@Controller('api/v1')
export class ActivityController {
  constructor(private readonly tasks: TaskService) {}

  @Get('tasks/:id/activity')
  @ApiOperation({ summary: "A task's activity, or only its comments" })
  @ApiZodQuery(taskActivityQuery)
  ofTask(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidQuery(taskActivityQuery) query: TaskActivityQuery,
  ) {
    return this.tasks.taskActivity(caller.memberId, id, query);
  }

  @Post('tasks/:id/comments')
  @ApiOperation({ summary: 'Comment on a task' })
  @ApiZodBody(commentRequest)
  comment(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidBody(commentRequest) body: CommentRequest,
  ) {
    return this.tasks.comment(caller.memberId, id, body.content);
  }

  @Get('activity')
  @ApiOperation({ summary: 'The newest activity across my projects' })
  @ApiZodQuery(pageQuery)
  mine(@CurrentCaller() caller: Caller, @ValidQuery(pageQuery) paging: Paging) {
    return this.tasks.myActivity(caller.memberId, paging);
  }
}
