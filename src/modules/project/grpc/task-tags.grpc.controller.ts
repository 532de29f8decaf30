import { Controller } from '@nestjs/common';
import { NotOrgScoped } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  TaskTagServiceControllerMethods,
  type TaskTagServiceController,
} from '@/generated/project/v1/project';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { pageQuery, type PageQuery } from '../dto/project.schemas';
import {
  createTaskTagRequest,
  updateTaskTagRequest,
  type CreateTaskTagRequest,
  type UpdateTaskTagRequest,
} from '../dto/task-tag.schemas';
import { TaskTagService } from '../task-tag.service';

const PROJECT_DATA = "a project's data, under its membership";

/** msproject.project.v1.TaskTagService: the same rules, and schemas, as the REST API. */
@Controller()
@TaskTagServiceControllerMethods()
export class TaskTagsGrpcController implements GrpcService<TaskTagServiceController> {
  constructor(private readonly tags: TaskTagService) {}

  @NotOrgScoped(PROJECT_DATA)
  async listTaskTags(
    @SubjectId('projectId', 'project') projectId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tags.listTags(caller.memberId, projectId));
  }

  @NotOrgScoped(PROJECT_DATA)
  async createTaskTag(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(createTaskTagRequest, { omit: ['projectId'] }) request: CreateTaskTagRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tags.createTag(caller.memberId, projectId, request));
  }

  @NotOrgScoped(PROJECT_DATA)
  async updateTaskTag(
    @SubjectId('id', 'taskTag') id: number,
    @ValidPayload(updateTaskTagRequest, { omit: ['id'] }) request: UpdateTaskTagRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tags.updateTag(caller.memberId, id, request));
  }

  @NotOrgScoped(PROJECT_DATA)
  async deleteTaskTag(@SubjectId('id', 'taskTag') id: number, @CurrentCaller() caller: Caller) {
    await this.tags.deleteTag(caller.memberId, id);
    return {};
  }

  @NotOrgScoped(PROJECT_DATA)
  async listTaggedTasks(
    @SubjectId('tagId', 'taskTag') tagId: number,
    @ValidPayload(pageQuery, { omit: ['tagId'] }) paging: PageQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tags.listTaggedTasks(caller.memberId, tagId, paging));
  }

  @NotOrgScoped(PROJECT_DATA)
  async listTagsOfTask(
    @SubjectId('taskId', 'task') taskId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tags.listTagsOfTask(caller.memberId, taskId));
  }

  @NotOrgScoped(PROJECT_DATA)
  async tagTask(
    @SubjectId('taskId', 'task') taskId: number,
    @SubjectId('tagId', 'taskTag') tagId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tags.tagTask(caller.memberId, taskId, tagId));
  }

  @NotOrgScoped(PROJECT_DATA)
  async untagTask(
    @SubjectId('taskId', 'task') taskId: number,
    @SubjectId('tagId', 'taskTag') tagId: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.tags.untagTask(caller.memberId, taskId, tagId);
    return {};
  }
}
