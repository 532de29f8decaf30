import { Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { IdParam } from '@/common/public-id.pipe';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  assignTasksRequest,
  createChildTaskRequest,
  MAX_BATCH_TASKS,
  createTaskRequest,
  listChildTasksQuery,
  moveTaskRequest,
  myTasksQuery,
  pageQuery,
  setTaskMembersRequest,
  taskMemberRequest,
  updateTaskRequest,
  type AssignTasksRequest,
  type CreateChildTaskRequest,
  type CreateTaskRequest,
  type ListChildTasksQuery,
  type MoveTaskRequest,
  type MyTasksQuery,
  type Paging,
  type SetTaskMembersRequest,
  type TaskMemberRequest,
  type UpdateTaskRequest,
} from '@/modules/project/dto/project.schemas';
import { TaskService } from '@/modules/project/task.service';
import { ApiZodQuery, ValidQuery } from './query';

@ApiTags('task boards')
@ApiBearerAuth()
@Controller('api/v1')
export class TasksController {
  constructor(private readonly tasks: TaskService) {}

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/CreateTask')
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

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/AssignTasks')
  @Post('projects/:id/tasks/assign')
  @HttpCode(200)
  @ApiOperation({
    summary: `Give up to ${MAX_BATCH_TASKS} tasks of the project to one of its members: all of them or none`,
  })
  @ApiZodBody(assignTasksRequest)
  assign(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @ValidBody(assignTasksRequest) body: AssignTasksRequest,
  ) {
    return this.tasks.assignTasks(caller.memberId, id, body);
  }

  @NotOrgScoped("the caller's own tasks across their projects")
  @RpcTwin('TaskService/ListMyTasks')
  @Get('tasks')
  @ApiOperation({ summary: 'My tasks: assigned to me, participating in, or created by me' })
  @ApiZodQuery(myTasksQuery)
  mine(@CurrentCaller() caller: Caller, @ValidQuery(myTasksQuery) query: MyTasksQuery) {
    return this.tasks.myTasks(caller.memberId, query);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/GetTask')
  @Get('tasks/:id')
  @ApiOperation({ summary: 'A task, on the board or in the recycle bin (`deleted`)' })
  get(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tasks.getTask(caller.memberId, id);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/UpdateTask')
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

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/ListChildTasks')
  @Get('tasks/:id/children')
  @ApiOperation({
    summary:
      "A task's child tasks, oldest first (of a task in the recycle bin, those that went in with it; recycled=true: those recycled on their own)",
  })
  @ApiZodQuery(listChildTasksQuery)
  children(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidQuery(listChildTasksQuery) query: ListChildTasksQuery,
  ) {
    return this.tasks.listChildTasks(caller.memberId, id, query);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/CreateChildTask')
  @Post('tasks/:id/children')
  @ApiOperation({
    summary:
      'Add a child task under a task (not done), in its project and stage, at most 5 levels deep',
  })
  @ApiZodBody(createChildTaskRequest)
  createChild(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidBody(createChildTaskRequest) body: CreateChildTaskRequest,
  ) {
    return this.tasks.createChildTask(caller.memberId, id, body);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/MoveTask')
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

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/SetDone')
  @Post('tasks/:id/done')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a task done' })
  done(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tasks.setDone(caller.memberId, id, true);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/SetDone')
  @Post('tasks/:id/undone')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a task' })
  undone(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tasks.setDone(caller.memberId, id, false);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/GetTaskTree')
  @Get('projects/:id/task-tree')
  @ApiOperation({
    summary:
      "A project's stages, each with its tasks and their child tasks nested, as the member sees them (at most 2000 tasks: truncated says so)",
  })
  taskTree(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.tasks.taskTree(caller.memberId, id);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/SetLiked')
  @Put('tasks/:id/like')
  @ApiOperation({ summary: 'Like a task (any member who sees it; again changes nothing)' })
  like(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tasks.setLiked(caller.memberId, id, true);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/SetLiked')
  @Delete('tasks/:id/like')
  @ApiOperation({ summary: 'Take back a like of a task' })
  unlike(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tasks.setLiked(caller.memberId, id, false);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/SetStarred')
  @Put('tasks/:id/star')
  @ApiOperation({
    summary: "Star a task: it goes into the caller's collection of tasks (again changes nothing)",
  })
  star(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tasks.setStarred(caller.memberId, id, true);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/SetStarred')
  @Delete('tasks/:id/star')
  @ApiOperation({ summary: "Unstar a task: out of the caller's collection of tasks" })
  unstar(@CurrentCaller() caller: Caller, @IdParam('id', 'task') id: number) {
    return this.tasks.setStarred(caller.memberId, id, false);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/ListTaskMembers')
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

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/AddTaskMember')
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

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/SetTaskMembers')
  @Put('tasks/:id/members')
  @ApiOperation({
    summary:
      "Make the task's members exactly memberIds (its creator always stays): those missing added, the others taken off, in one transaction; the new list",
  })
  @ApiZodBody(setTaskMembersRequest)
  setMembers(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'task') id: number,
    @ValidBody(setTaskMembersRequest) body: SetTaskMembersRequest,
  ) {
    return this.tasks.setTaskMembers(caller.memberId, id, body);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  @RpcTwin('TaskService/RemoveTaskMember')
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
