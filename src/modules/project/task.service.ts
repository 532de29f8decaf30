import { Injectable } from '@nestjs/common';
import { Traceable } from 'nestjs-otel';
import { Problem } from '../../common/problem';
import { UserDirectory } from '../user/user-directory';
import type {
  CreateStageRequest,
  CreateTaskRequest,
  MoveTaskRequest,
  MyTasksQuery,
  Paging,
  TaskActivityQuery,
  UpdateStageRequest,
  UpdateTaskRequest,
} from './dto/project.schemas';
import {
  activityView,
  memberIdsOf,
  stageView,
  taskMemberView,
  taskView,
  type Page,
} from './dto/project.views';
import type { Task } from './entities';
import { ProjectAccess, type Need } from './project-access';
import { ProjectListCache } from './project-list.cache';
import { ProjectRepository } from './project.repository';
import { TaskRepository, type TaskChanges } from './task.repository';

const TWO_DAYS_MS = 2 * 24 * 60 * 60 * 1000;

function page<T>(items: T[], total: number, paging: Paging): Page<T> {
  return { items, total, page: paging.page, pageSize: paging.pageSize };
}

/** Task boards: stages, tasks, their members, and the activity stream with comments. */
// One span per method (`Class.method`), under the request's server span; no arguments recorded.
@Traceable()
@Injectable()
export class TaskService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly projects: ProjectRepository,
    private readonly access: ProjectAccess,
    private readonly cache: ProjectListCache,
    private readonly directory: UserDirectory,
  ) {}

  // Access: a stage or task is as visible as its project, a private task only to its creator,
  // assignee and task members; unknown and hidden look the same.

  private async stageFor(memberId: number, stageId: number, need: Need = 'member') {
    await this.cache.preferPrimaryIfRecent(memberId);
    const stage = await this.tasks.findStage(stageId);
    if (!stage) throw Problem.notFound('stage not found');
    const found = ProjectAccess.check(
      await this.projects.findOfMember(stage.projectId, memberId),
      need,
    );
    return { stage, ...found };
  }

  private async taskFor(memberId: number, taskId: number) {
    await this.cache.preferPrimaryIfRecent(memberId);
    const task = await this.tasks.findTask(taskId);
    if (!task) throw Problem.notFound('task not found');
    const found = ProjectAccess.check(
      await this.projects.findOfMember(task.projectId, memberId),
      'member',
    );
    if (!(await this.tasks.isVisible(task, memberId))) throw Problem.notFound('task not found');
    return { task, ...found };
  }

  /** The member, as a field of a request, must belong to the project. */
  private async projectMember(projectId: number, memberId: number, field: string) {
    if (!(await this.projects.roleOf(projectId, memberId))) {
      throw Problem.invalid([{ field, message: 'not a member of this project' }]);
    }
    return memberId;
  }

  private async written(memberId: number) {
    await this.cache.written(memberId, []);
  }

  private async taskViews(rows: Task[]) {
    const members = await this.directory.summaries(
      memberIdsOf(
        rows.map((task) => task.createdBy),
        rows.map((task) => task.assigneeId),
        rows.map((task) => task.doneBy),
      ),
    );
    return rows.map((task) => taskView(task, members));
  }

  // Stages

  async listStages(memberId: number, projectId: number, paging: Paging) {
    await this.access.require(memberId, projectId);
    const { rows, total } = await this.tasks.listStages(projectId, paging);
    return page(rows.map(stageView), total, paging);
  }

  async createStage(memberId: number, projectId: number, request: CreateStageRequest) {
    ProjectAccess.writable(await this.access.require(memberId, projectId, 'owner'));
    const stage = await this.tasks.createStage(
      projectId,
      request.name,
      request.description ?? null,
    );
    await this.written(memberId);
    return stageView(stage);
  }

  async updateStage(memberId: number, stageId: number, request: UpdateStageRequest) {
    const found = await this.stageFor(memberId, stageId, 'owner');
    ProjectAccess.writable(found);
    await this.tasks.updateStage(stageId, request);
    await this.written(memberId);
    return stageView({ ...found.stage, ...request });
  }

  async deleteStage(memberId: number, stageId: number) {
    ProjectAccess.writable(await this.stageFor(memberId, stageId, 'owner'));
    if (!(await this.tasks.deleteEmptyStage(stageId))) {
      throw Problem.failedPrecondition('move or finish the tasks of this stage first', 'stageId');
    }
    await this.written(memberId);
  }

  /** `stageIds` must name every stage of the project once, in the new order. */
  async reorderStages(memberId: number, projectId: number, ids: number[]) {
    ProjectAccess.writable(await this.access.require(memberId, projectId, 'owner'));
    if (!(await this.tasks.reorderStages(projectId, ids))) {
      throw Problem.invalid([
        { field: 'stageIds', message: 'must list every stage of the project exactly once' },
      ]);
    }
    await this.written(memberId);
    return this.listStages(memberId, projectId, { page: 1, pageSize: 100 });
  }

  // Tasks

  async listTasks(memberId: number, stageId: number, paging: Paging) {
    await this.stageFor(memberId, stageId);
    const { rows, total } = await this.tasks.listTasks(stageId, memberId, paging);
    return page(await this.taskViews(rows), total, paging);
  }

  async createTask(memberId: number, projectId: number, request: CreateTaskRequest) {
    const { project } = ProjectAccess.writable(await this.access.require(memberId, projectId));
    const { stageId } = request;
    const stage = await this.tasks.findStage(stageId);
    if (stage?.projectId !== projectId) {
      throw Problem.invalid([{ field: 'stageId', message: 'not a stage of this project' }]);
    }
    const assigneeId =
      request.assigneeId !== undefined
        ? await this.projectMember(projectId, request.assigneeId, 'assigneeId')
        : null;
    const beginAt = request.beginAt ? new Date(request.beginAt) : new Date();
    const task = await this.tasks.createTask({
      projectId,
      stageId,
      name: request.name,
      description: request.description ?? null,
      priority: request.priority ?? 0,
      createdBy: memberId,
      assigneeId,
      private: Boolean(project.openTaskPrivate),
      beginAt,
      endAt: request.endAt ? new Date(request.endAt) : new Date(beginAt.getTime() + TWO_DAYS_MS),
    });
    await this.written(memberId);
    return this.getTask(memberId, task.id);
  }

  async getTask(memberId: number, taskId: number) {
    const { task } = await this.taskFor(memberId, taskId);
    return (await this.taskViews([task]))[0];
  }

  async updateTask(memberId: number, taskId: number, request: UpdateTaskRequest) {
    const { task } = ProjectAccess.writable(await this.taskFor(memberId, taskId));
    const changes: TaskChanges = {};
    if (request.name !== undefined) changes.name = request.name;
    if (request.description !== undefined) changes.description = request.description;
    if (request.priority !== undefined) changes.priority = request.priority;
    if (request.beginAt !== undefined)
      changes.beginAt = request.beginAt ? new Date(request.beginAt) : null;
    if (request.endAt !== undefined) changes.endAt = request.endAt ? new Date(request.endAt) : null;
    if (request.assigneeId !== undefined) {
      changes.assigneeId =
        request.assigneeId !== null
          ? await this.projectMember(task.projectId, request.assigneeId, 'assigneeId')
          : null;
    }
    await this.tasks.updateTask(task, changes, memberId);
    await this.written(memberId);
    return this.getTask(memberId, taskId);
  }

  async moveTask(memberId: number, taskId: number, request: MoveTaskRequest) {
    const { task } = ProjectAccess.writable(await this.taskFor(memberId, taskId));
    const { toStageId } = request;
    const to = await this.tasks.findStage(toStageId);
    if (to?.projectId !== task.projectId) {
      throw Problem.invalid([{ field: 'toStageId', message: 'not a stage of this project' }]);
    }
    const beforeId = request.beforeTaskId ?? null;
    if (beforeId !== null) {
      const before = await this.tasks.findTask(beforeId);
      if (before?.stageId !== toStageId || !(await this.tasks.isVisible(before, memberId))) {
        throw Problem.invalid([{ field: 'beforeTaskId', message: 'not a task of that stage' }]);
      }
    }
    await this.tasks.moveTask(taskId, toStageId, beforeId, memberId);
    await this.written(memberId);
    return this.getTask(memberId, taskId);
  }

  async setDone(memberId: number, taskId: number, done: boolean) {
    ProjectAccess.writable(await this.taskFor(memberId, taskId));
    await this.tasks.setDone(taskId, done, memberId);
    await this.written(memberId);
    return this.getTask(memberId, taskId);
  }

  async myTasks(memberId: number, query: MyTasksQuery) {
    await this.cache.preferPrimaryIfRecent(memberId);
    const { rows, total } = await this.tasks.listForMember(memberId, query.view, query.done, query);
    return page(await this.taskViews(rows), total, query);
  }

  // Task members

  async listTaskMembers(memberId: number, taskId: number, paging: Paging) {
    await this.taskFor(memberId, taskId);
    const { rows, total } = await this.tasks.listTaskMembers(taskId, paging);
    const members = await this.directory.summaries(memberIdsOf(rows.map((row) => row.memberId)));
    return page(
      rows.map((row) => taskMemberView(row, members)),
      total,
      paging,
    );
  }

  async addTaskMember(memberId: number, taskId: number, newMemberId: number) {
    const { task } = ProjectAccess.writable(await this.taskFor(memberId, taskId));
    const added = await this.projectMember(task.projectId, newMemberId, 'memberId');
    if (await this.tasks.findTaskMember(taskId, added)) {
      throw Problem.conflict('memberId', 'already a member of this task');
    }
    await this.tasks.addTaskMember(taskId, added);
    await this.written(memberId);
    const row = (await this.tasks.findTaskMember(taskId, added))!;
    return taskMemberView(row, await this.directory.summaries([added]));
  }

  async removeTaskMember(memberId: number, taskId: number, removedId: number) {
    const { task } = ProjectAccess.writable(await this.taskFor(memberId, taskId));
    if (!(await this.tasks.findTaskMember(taskId, removedId))) {
      throw Problem.notFound('not a member of this task');
    }
    await this.tasks.removeTaskMember(task, removedId);
    await this.written(memberId);
  }

  // Activity

  async taskActivity(memberId: number, taskId: number, query: TaskActivityQuery) {
    await this.taskFor(memberId, taskId);
    const { rows, total } = await this.tasks.listTaskActivity(
      taskId,
      query.type === 'comments',
      query,
    );
    return this.activityPage(rows, total, query);
  }

  async comment(memberId: number, taskId: number, content: string) {
    const { task } = ProjectAccess.writable(await this.taskFor(memberId, taskId));
    const entry = await this.tasks.addActivity({
      projectId: task.projectId,
      taskId,
      memberId,
      type: 'comment',
      content,
    });
    await this.written(memberId);
    return activityView(entry, await this.directory.summaries([memberId]));
  }

  async myActivity(memberId: number, paging: Paging) {
    await this.cache.preferPrimaryIfRecent(memberId);
    const { rows, total } = await this.tasks.listForMemberProjects(memberId, paging);
    return this.activityPage(rows, total, paging);
  }

  private async activityPage(
    rows: Parameters<typeof activityView>[0][],
    total: number,
    paging: Paging,
  ) {
    const members = await this.directory.summaries(
      memberIdsOf(
        rows.map((row) => row.memberId),
        rows.map((row) => row.toMemberId),
      ),
    );
    return page(
      rows.map((row) => activityView(row, members)),
      total,
      paging,
    );
  }
}
