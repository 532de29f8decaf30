import { Controller } from '@nestjs/common';
import { NotOrgScoped } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { Payload } from '@nestjs/microservices';
import { MessagePipe } from '@/common/zod-validation';
import {
  TaskWorkflowServiceControllerMethods,
  type TaskWorkflowServiceController,
} from '@/generated/project/v1/project';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { createTaskWorkflowRequest, updateTaskWorkflowRequest } from '../dto/task-workflow.schemas';
import { TaskWorkflowService } from '../task-workflow.service';

const PROJECT_RULES = "a project's own rules apply: its members, some operations only its owner";

/** msproject.project.v1.TaskWorkflowService: the same rules, and schemas, as the REST API. */
@Controller()
@TaskWorkflowServiceControllerMethods()
export class TaskWorkflowsGrpcController implements GrpcService<TaskWorkflowServiceController> {
  constructor(private readonly workflows: TaskWorkflowService) {}

  @NotOrgScoped(PROJECT_RULES)
  async listTaskWorkflows(
    @SubjectId('projectId', 'project') projectId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.workflows.listWorkflows(caller.memberId, projectId));
  }

  @NotOrgScoped(PROJECT_RULES)
  async getTaskWorkflow(
    @SubjectId('id', 'taskWorkflow') id: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.workflows.getWorkflow(caller.memberId, id));
  }

  @NotOrgScoped(PROJECT_RULES)
  async createTaskWorkflow(
    @SubjectId('projectId', 'project') projectId: number,
    @Payload() message: unknown,
    @CurrentCaller() caller: Caller,
  ) {
    const read = () =>
      new MessagePipe(createTaskWorkflowRequest, {
        omit: ['projectId'],
        repeated: ['actions'],
      }).transform(message);
    return wireMessage(await this.workflows.createWorkflow(caller.memberId, projectId, read));
  }

  @NotOrgScoped(PROJECT_RULES)
  async updateTaskWorkflow(
    @SubjectId('id', 'taskWorkflow') id: number,
    @Payload() message: unknown,
    @CurrentCaller() caller: Caller,
  ) {
    const read = () =>
      new MessagePipe(updateTaskWorkflowRequest, { omit: ['id'] }).transform(message);
    return wireMessage(await this.workflows.updateWorkflow(caller.memberId, id, read));
  }

  @NotOrgScoped(PROJECT_RULES)
  async deleteTaskWorkflow(
    @SubjectId('id', 'taskWorkflow') id: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.workflows.deleteWorkflow(caller.memberId, id);
    return {};
  }
}
