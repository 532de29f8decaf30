import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { IdParam } from '@/common/public-id.pipe';
import { ApiZodBody, ZodValidationPipe } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  createTaskWorkflowRequest,
  updateTaskWorkflowRequest,
} from '@/modules/project/dto/task-workflow.schemas';
import { TaskWorkflowService } from '@/modules/project/task-workflow.service';

const PROJECT_RULES = "a project's own rules apply: its members, some operations only its owner";

@ApiTags('task workflows')
@ApiBearerAuth()
// The body is read after the caller's rights (Deferred in TaskWorkflowService).
@Controller('api/v1')
export class TaskWorkflowsController {
  constructor(private readonly workflows: TaskWorkflowService) {}

  @NotOrgScoped(PROJECT_RULES)
  @RpcTwin('TaskWorkflowService/ListTaskWorkflows')
  @Get('projects/:id/task-workflows')
  @ApiOperation({ summary: "A project's task workflows, oldest first" })
  list(@CurrentCaller() caller: Caller, @IdParam('id', 'project') id: number) {
    return this.workflows.listWorkflows(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_RULES)
  @RpcTwin('TaskWorkflowService/CreateTaskWorkflow')
  @Post('projects/:id/task-workflows')
  @ApiOperation({
    summary:
      'Add a task workflow: a trigger (a stage and an event) and the actions applied to the task (owner only)',
  })
  @ApiZodBody(createTaskWorkflowRequest)
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'project') id: number,
    @Body() body: unknown,
  ) {
    return this.workflows.createWorkflow(caller.memberId, id, () =>
      new ZodValidationPipe(createTaskWorkflowRequest).transform(body),
    );
  }

  @NotOrgScoped(PROJECT_RULES)
  @RpcTwin('TaskWorkflowService/GetTaskWorkflow')
  @Get('task-workflows/:id')
  @ApiOperation({ summary: 'A task workflow with its trigger and actions' })
  get(@CurrentCaller() caller: Caller, @IdParam('id', 'taskWorkflow') id: number) {
    return this.workflows.getWorkflow(caller.memberId, id);
  }

  @NotOrgScoped(PROJECT_RULES)
  @RpcTwin('TaskWorkflowService/UpdateTaskWorkflow')
  @Patch('task-workflows/:id')
  @ApiOperation({
    summary: 'Rename a task workflow, change its trigger or replace its actions (owner only)',
  })
  @ApiZodBody(updateTaskWorkflowRequest)
  update(
    @CurrentCaller() caller: Caller,
    @IdParam('id', 'taskWorkflow') id: number,
    @Body() body: unknown,
  ) {
    return this.workflows.updateWorkflow(caller.memberId, id, () =>
      new ZodValidationPipe(updateTaskWorkflowRequest).transform(body),
    );
  }

  @NotOrgScoped(PROJECT_RULES)
  @RpcTwin('TaskWorkflowService/DeleteTaskWorkflow')
  @Delete('task-workflows/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a task workflow (owner only)' })
  async remove(@CurrentCaller() caller: Caller, @IdParam('id', 'taskWorkflow') id: number) {
    await this.workflows.deleteWorkflow(caller.memberId, id);
  }
}
