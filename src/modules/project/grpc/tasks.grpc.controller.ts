import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { NotOrgScoped } from '@/common/org-permission';
import { XLSX_TYPE } from '@/common/spreadsheet-reply';
import { decodeId } from '@/common/public-id';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  TaskServiceControllerMethods,
  type TaskServiceController,
} from '@/generated/project/v1/project';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  addWorkTimeRequest,
  assignTasksRequest,
  commentRequest,
  createChildTaskRequest,
  createStageRequest,
  createTaskRequest,
  flagRequest,
  listChildTasksQuery,
  moveTaskRequest,
  myTasksQuery,
  pageQuery,
  reorderStagesRequest,
  setTaskMembersRequest,
  taskActivityQuery,
  taskMemberRequest,
  updateStageRequest,
  updateTaskRequest,
  updateWorkTimeRequest,
  type AddWorkTimeRequest,
  type AssignTasksRequest,
  type CommentRequest,
  type CreateChildTaskRequest,
  type CreateStageRequest,
  type CreateTaskRequest,
  type ListChildTasksQuery,
  type MoveTaskRequest,
  type MyTasksQuery,
  type PageQuery,
  type ReorderStagesRequest,
  type SetTaskMembersRequest,
  type TaskActivityQuery,
  type TaskMemberRequest,
  type UpdateStageRequest,
  type UpdateTaskRequest,
  type UpdateWorkTimeRequest,
} from '../dto/project.schemas';
import { ActivityService } from '../activity.service';
import { StageService } from '../stage.service';
import { TaskBinService } from '../task-bin.service';
import { TaskService } from '../task.service';
import { TASK_TEMPLATE_FILE_NAME, TaskImportService } from '../task-import.service';
import { WorkTimeService } from '../work-time.service';

const TASK_DATA = "a task's data, under its project's membership";

/** ImportTasks' message: the sheet in base64 and the zone of its dates. */
const importTasksMessage = z.strictObject({
  file: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64')
    .optional(),
  timeZone: z.string().max(64).optional(),
});
type ImportTasksMessage = z.infer<typeof importTasksMessage>;

/** msproject.project.v1.TaskService: the same rules, and schemas, as the REST API. */
@Controller()
@TaskServiceControllerMethods()
export class TasksGrpcController implements GrpcService<TaskServiceController> {
  constructor(
    private readonly stages: StageService,
    private readonly tasks: TaskService,
    private readonly activity: ActivityService,
    private readonly workTimes: WorkTimeService,
    private readonly bin: TaskBinService,
    private readonly imports: TaskImportService,
  ) {}

  // Imports

  @NotOrgScoped('a blank template, the same for everyone')
  async getTaskImportTemplate() {
    return {
      fileName: TASK_TEMPLATE_FILE_NAME,
      contentType: XLSX_TYPE,
      content: await this.imports.template(),
    };
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async importTasks(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(importTasksMessage, { omit: ['projectId'] }) request: ImportTasksMessage,
    @CurrentCaller() caller: Caller,
  ) {
    return this.imports.importTasks(
      caller.memberId,
      projectId,
      Buffer.from(request.file ?? '', 'base64'),
      request.timeZone || undefined,
    );
  }

  // Stages

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async listStages(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(pageQuery, { omit: ['projectId'] }) paging: PageQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.stages.listStages(caller.memberId, projectId, paging));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async createStage(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(createStageRequest, { omit: ['projectId'] }) request: CreateStageRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.stages.createStage(caller.memberId, projectId, request));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async updateStage(
    @SubjectId('id', 'stage') id: number,
    @ValidPayload(updateStageRequest, { omit: ['id'], emptyMeansNull: ['description'] })
    request: UpdateStageRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.stages.updateStage(caller.memberId, id, request));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async deleteStage(@SubjectId('id', 'stage') id: number, @CurrentCaller() caller: Caller) {
    await this.stages.deleteStage(caller.memberId, id);
    return {};
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async reorderStages(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(reorderStagesRequest, { omit: ['projectId'] }) { stageIds }: ReorderStagesRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.stages.reorderStages(caller.memberId, projectId, stageIds));
  }

  // Tasks

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async listTasks(
    @SubjectId('stageId', 'stage') stageId: number,
    @ValidPayload(pageQuery, { omit: ['stageId'] }) paging: PageQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.listTasks(caller.memberId, stageId, paging));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async createTask(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(createTaskRequest, { omit: ['projectId'] }) request: CreateTaskRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.createTask(caller.memberId, projectId, request));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async getTask(@SubjectId('id', 'task') id: number, @CurrentCaller() caller: Caller) {
    return wireMessage(await this.tasks.getTask(caller.memberId, id));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async updateTask(
    @SubjectId('id', 'task') id: number,
    @ValidPayload(updateTaskRequest, {
      omit: ['id'],
      emptyMeansNull: ['description', 'assigneeId', 'beginAt', 'endAt'],
      zeroMeansNull: ['estimatedHours'],
    })
    request: UpdateTaskRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.updateTask(caller.memberId, id, request));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async assignTasks(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(assignTasksRequest, { omit: ['projectId'] }) request: AssignTasksRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return this.tasks.assignTasks(caller.memberId, projectId, request);
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async createChildTask(
    @SubjectId('taskId', 'task') taskId: number,
    @ValidPayload(createChildTaskRequest, { omit: ['taskId'] }) request: CreateChildTaskRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.createChildTask(caller.memberId, taskId, request));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async listChildTasks(
    @SubjectId('taskId', 'task') taskId: number,
    @ValidPayload(listChildTasksQuery, { omit: ['taskId'] }) query: ListChildTasksQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.listChildTasks(caller.memberId, taskId, query));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async moveTask(
    @SubjectId('id', 'task') id: number,
    @ValidPayload(moveTaskRequest, { omit: ['id'] }) request: MoveTaskRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.moveTask(caller.memberId, id, request));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async setDone(
    @SubjectId('id', 'task') id: number,
    @ValidPayload(flagRequest('done'), { omit: ['id'] }) { done }: { done: boolean },
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.setDone(caller.memberId, id, done));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async getTaskTree(
    @SubjectId('projectId', 'project') projectId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.taskTree(caller.memberId, projectId));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async setLiked(
    @SubjectId('id', 'task') id: number,
    @ValidPayload(flagRequest('liked'), { omit: ['id'] }) { liked }: { liked: boolean },
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.setLiked(caller.memberId, id, liked));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async setStarred(
    @SubjectId('id', 'task') id: number,
    @ValidPayload(flagRequest('starred'), { omit: ['id'] }) { starred }: { starred: boolean },
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.setStarred(caller.memberId, id, starred));
  }

  @NotOrgScoped("the caller's own tasks across their projects")
  async listMyTasks(
    @ValidPayload(myTasksQuery) query: MyTasksQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.myTasks(caller.memberId, query));
  }

  // Task members

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async listTaskMembers(
    @SubjectId('taskId', 'task') taskId: number,
    @ValidPayload(pageQuery, { omit: ['taskId'] }) paging: PageQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.listTaskMembers(caller.memberId, taskId, paging));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async addTaskMember(
    @SubjectId('taskId', 'task') taskId: number,
    @ValidPayload(taskMemberRequest, { omit: ['taskId'] }) { memberId }: TaskMemberRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.addTaskMember(caller.memberId, taskId, memberId));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async setTaskMembers(
    @SubjectId('taskId', 'task') taskId: number,
    @ValidPayload(setTaskMembersRequest, { omit: ['taskId'], repeated: ['memberIds'] })
    request: SetTaskMembersRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.tasks.setTaskMembers(caller.memberId, taskId, request));
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async removeTaskMember(
    @SubjectId('taskId', 'task') taskId: number,
    @SubjectId('memberId', 'member') memberId: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.tasks.removeTaskMember(caller.memberId, taskId, memberId);
    return {};
  }

  // Activity

  /** One task's activity, or (no task id) the activity across the caller's projects. */
  @NotOrgScoped("a task's activity (its project's members) or that of the caller's own projects")
  async listActivity(
    @Payload('taskId') taskId: string | undefined,
    @ValidPayload(taskActivityQuery, { omit: ['taskId'] }) query: TaskActivityQuery,
    @CurrentCaller() caller: Caller,
  ) {
    if (!taskId) {
      const { page, pageSize } = query;
      return wireMessage(await this.activity.myActivity(caller.memberId, { page, pageSize }));
    }
    return wireMessage(
      await this.activity.taskActivity(caller.memberId, decodeId(taskId, 'task'), query),
    );
  }

  @NotOrgScoped("a project's own rules apply: its members, some operations only its owner")
  async addComment(
    @SubjectId('taskId', 'task') taskId: number,
    @ValidPayload(commentRequest, { omit: ['taskId'] }) { content, mentions }: CommentRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.activity.comment(caller.memberId, taskId, content, mentions));
  }

  // Work time

  @NotOrgScoped(TASK_DATA)
  async addWorkTime(
    @SubjectId('taskId', 'task') taskId: number,
    @ValidPayload(addWorkTimeRequest, { omit: ['taskId'] }) request: AddWorkTimeRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.workTimes.addWorkTime(caller.memberId, taskId, request));
  }

  @NotOrgScoped(TASK_DATA)
  async listWorkTimes(
    @SubjectId('taskId', 'task') taskId: number,
    @ValidPayload(pageQuery, { omit: ['taskId'] }) paging: PageQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.workTimes.listWorkTimes(caller.memberId, taskId, paging));
  }

  @NotOrgScoped(TASK_DATA)
  async updateWorkTime(
    @SubjectId('id', 'workTime') id: number,
    @ValidPayload(updateWorkTimeRequest, { omit: ['id'], emptyMeansNull: ['description'] })
    request: UpdateWorkTimeRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.workTimes.updateWorkTime(caller.memberId, id, request));
  }

  @NotOrgScoped(TASK_DATA)
  async deleteWorkTime(@SubjectId('id', 'workTime') id: number, @CurrentCaller() caller: Caller) {
    await this.workTimes.deleteWorkTime(caller.memberId, id);
    return {};
  }

  // The recycle bin

  @NotOrgScoped(TASK_DATA)
  async recycleTask(@SubjectId('id', 'task') id: number, @CurrentCaller() caller: Caller) {
    return wireMessage(await this.bin.recycle(caller.memberId, id));
  }

  @NotOrgScoped(TASK_DATA)
  async recycleStageTasks(@SubjectId('id', 'stage') id: number, @CurrentCaller() caller: Caller) {
    return this.bin.recycleStage(caller.memberId, id);
  }

  @NotOrgScoped(TASK_DATA)
  async restoreTask(@SubjectId('id', 'task') id: number, @CurrentCaller() caller: Caller) {
    return wireMessage(await this.bin.restore(caller.memberId, id));
  }

  @NotOrgScoped(TASK_DATA)
  async deleteTask(@SubjectId('id', 'task') id: number, @CurrentCaller() caller: Caller) {
    await this.bin.deleteForGood(caller.memberId, id);
    return {};
  }

  @NotOrgScoped(TASK_DATA)
  async listRecycledTasks(
    @SubjectId('projectId', 'project') projectId: number,
    @ValidPayload(pageQuery, { omit: ['projectId'] }) paging: PageQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.bin.listRecycled(caller.memberId, projectId, paging));
  }
}
