import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { decodeId, type IdKind } from '../../common/public-id';
import { ZodValidationPipe } from '../../common/zod-validation';
import { callerOf } from '../user/auth/current-caller.decorator';
import {
  addMemberRequest,
  commentRequest,
  createProjectRequest,
  createStageRequest,
  createTaskRequest,
  listProjectsQuery,
  listTemplatesQuery,
  moveTaskRequest,
  myTasksQuery,
  pageQuery,
  taskActivityQuery,
  updateProjectRequest,
  updateTaskRequest,
} from './dto/project.schemas';
import { ProjectService } from './project.service';
import { TaskService } from './task.service';

type Message = Record<string, unknown>;

/**
 * A request as the REST schemas take it: proto3 sends "" and 0 for absent scalars, and
 * proto-loader adds a `_field` marker for each `optional` one.
 */
function fields(request: Message, ...omit: string[]): Message {
  const result: Message = {};
  for (const [key, value] of Object.entries(request ?? {})) {
    if (key.startsWith('_') || omit.includes(key) || value === '') continue;
    if ((key === 'page' || key === 'pageSize') && value === 0) continue;
    result[key] = value;
  }
  return result;
}

/** For `optional` fields of an update: present means change, "" clears a nullable one. */
function changes(request: Message, nullable: string[]): Message {
  const result: Message = {};
  for (const [key, value] of Object.entries(request ?? {})) {
    if (key.startsWith('_') || key === 'id' || value === undefined) continue;
    result[key] = value === '' && nullable.includes(key) ? null : value;
  }
  return result;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
/** The id the request is about, as a REST path names it: one that does not decode is 404. */
const id = (kind: IdKind, request: Message, key = 'id') => decodeId(text(request?.[key]), kind);

/** msproject.project.v1.ProjectService: the same rules as the REST API. */
@Controller()
export class ProjectGrpcController {
  private readonly pipes = {
    list: new ZodValidationPipe(listProjectsQuery),
    create: new ZodValidationPipe(createProjectRequest),
    update: new ZodValidationPipe(updateProjectRequest),
    templates: new ZodValidationPipe(listTemplatesQuery),
    page: new ZodValidationPipe(pageQuery),
    addMember: new ZodValidationPipe(addMemberRequest),
  };

  constructor(private readonly projects: ProjectService) {}

  @GrpcMethod('ProjectService', 'ListProjects')
  listProjects(request: Message, metadata: unknown) {
    return this.projects.list(
      callerOf(metadata).memberId,
      this.pipes.list.transform(fields(request)),
    );
  }

  @GrpcMethod('ProjectService', 'CreateProject')
  createProject(request: Message, metadata: unknown) {
    return this.projects.create(
      callerOf(metadata).memberId,
      this.pipes.create.transform(fields(request)),
    );
  }

  @GrpcMethod('ProjectService', 'GetProject')
  getProject(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.projects.get(memberId, id('project', request));
  }

  @GrpcMethod('ProjectService', 'UpdateProject')
  updateProject(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    const body = this.pipes.update.transform(changes(request, ['description', 'cover']));
    return this.projects.update(memberId, id('project', request), body);
  }

  @GrpcMethod('ProjectService', 'ArchiveProject')
  archiveProject(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.projects.setArchived(memberId, id('project', request), Boolean(request.archived));
  }

  @GrpcMethod('ProjectService', 'RecycleProject')
  recycleProject(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.projects.setRecycled(memberId, id('project', request), true);
  }

  @GrpcMethod('ProjectService', 'RestoreProject')
  restoreProject(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.projects.setRecycled(memberId, id('project', request), false);
  }

  @GrpcMethod('ProjectService', 'SetCollected')
  setCollected(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.projects.setCollected(memberId, id('project', request), Boolean(request.collected));
  }

  @GrpcMethod('ProjectService', 'ListTemplates')
  listTemplates(request: Message, metadata: unknown) {
    return this.projects.templates(
      callerOf(metadata).memberId,
      this.pipes.templates.transform(fields(request)),
    );
  }

  @GrpcMethod('ProjectService', 'ListMembers')
  listMembers(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.projects.members(
      memberId,
      id('project', request, 'projectId'),
      this.pipes.page.transform(fields(request, 'projectId')),
    );
  }

  @GrpcMethod('ProjectService', 'AddMember')
  addMember(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    const body = this.pipes.addMember.transform(fields(request, 'projectId'));
    return this.projects.addMember(memberId, id('project', request, 'projectId'), body.memberId);
  }

  @GrpcMethod('ProjectService', 'RemoveMember')
  async removeMember(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    await this.projects.removeMember(
      memberId,
      id('project', request, 'projectId'),
      id('member', request, 'memberId'),
    );
    return {};
  }
}

/** msproject.project.v1.TaskService: the same rules as the REST API. */
@Controller()
export class TaskGrpcController {
  private readonly pipes = {
    page: new ZodValidationPipe(pageQuery),
    createStage: new ZodValidationPipe(createStageRequest),
    createTask: new ZodValidationPipe(createTaskRequest),
    updateTask: new ZodValidationPipe(updateTaskRequest),
    move: new ZodValidationPipe(moveTaskRequest),
    myTasks: new ZodValidationPipe(myTasksQuery),
    activity: new ZodValidationPipe(taskActivityQuery),
    comment: new ZodValidationPipe(commentRequest),
  };

  constructor(private readonly tasks: TaskService) {}

  @GrpcMethod('TaskService', 'ListStages')
  listStages(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.tasks.listStages(
      memberId,
      id('project', request, 'projectId'),
      this.pipes.page.transform(fields(request, 'projectId')),
    );
  }

  @GrpcMethod('TaskService', 'CreateStage')
  createStage(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.tasks.createStage(
      memberId,
      id('project', request, 'projectId'),
      this.pipes.createStage.transform(fields(request, 'projectId')),
    );
  }

  @GrpcMethod('TaskService', 'ListTasks')
  listTasks(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.tasks.listTasks(
      memberId,
      id('stage', request, 'stageId'),
      this.pipes.page.transform(fields(request, 'stageId')),
    );
  }

  @GrpcMethod('TaskService', 'CreateTask')
  createTask(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.tasks.createTask(
      memberId,
      id('project', request, 'projectId'),
      this.pipes.createTask.transform(fields(request, 'projectId')),
    );
  }

  @GrpcMethod('TaskService', 'GetTask')
  getTask(request: Message, metadata: unknown) {
    return this.tasks.getTask(callerOf(metadata).memberId, id('task', request));
  }

  @GrpcMethod('TaskService', 'UpdateTask')
  updateTask(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    const body = this.pipes.updateTask.transform(
      changes(request, ['description', 'assigneeId', 'beginAt', 'endAt']),
    );
    return this.tasks.updateTask(memberId, id('task', request), body);
  }

  @GrpcMethod('TaskService', 'MoveTask')
  moveTask(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.tasks.moveTask(
      memberId,
      id('task', request),
      this.pipes.move.transform(fields(request, 'id')),
    );
  }

  @GrpcMethod('TaskService', 'SetDone')
  setDone(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.tasks.setDone(memberId, id('task', request), Boolean(request.done));
  }

  @GrpcMethod('TaskService', 'ListMyTasks')
  listMyTasks(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    const query = fields(request, 'done');
    if (typeof request.done === 'boolean') query.done = String(request.done);
    return this.tasks.myTasks(memberId, this.pipes.myTasks.transform(query));
  }

  @GrpcMethod('TaskService', 'ListTaskMembers')
  listTaskMembers(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    return this.tasks.listTaskMembers(
      memberId,
      id('task', request, 'taskId'),
      this.pipes.page.transform(fields(request, 'taskId')),
    );
  }

  @GrpcMethod('TaskService', 'ListActivity')
  listActivity(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    if (!request?.taskId) {
      return this.tasks.myActivity(memberId, this.pipes.page.transform(fields(request, 'type')));
    }
    return this.tasks.taskActivity(
      memberId,
      id('task', request, 'taskId'),
      this.pipes.activity.transform(fields(request, 'taskId')),
    );
  }

  @GrpcMethod('TaskService', 'AddComment')
  addComment(request: Message, metadata: unknown) {
    const { memberId } = callerOf(metadata);
    const { content } = this.pipes.comment.transform(fields(request, 'taskId'));
    return this.tasks.comment(memberId, id('task', request, 'taskId'), content);
  }
}
