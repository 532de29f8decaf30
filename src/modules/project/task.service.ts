import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { UserDirectory } from '../user/user-directory';
import { BoardAccess } from './board-access';
import { MAX_TASK_MEMBERS } from './dto/project.schemas';
import type {
  AssignTasksRequest,
  CreateChildTaskRequest,
  CreateTaskRequest,
  ListChildTasksQuery,
  MoveTaskRequest,
  MyTasksQuery,
  Paging,
  SetTaskMembersRequest,
  UpdateTaskRequest,
} from './dto/project.schemas';
import {
  memberIdsOf,
  pageOf,
  stageView,
  taskMemberView,
  taskView,
  type TaskViewModel,
} from './dto/project.views';
import type { Project, Task } from './entities';
import { ProjectAccess } from './project-access';
import { RecentWrites } from './recent-writes';
import { ProjectNotifications } from './project-notifications';
import { StageRepository } from './stage.repository';
import { TaskReactionRepository } from './task-reaction.repository';
import { TaskFamilyRepository } from './task-family.repository';
import { TaskMemberRepository } from './task-member.repository';
import { TaskTagRepository } from './task-tag.repository';
import { taskTagRef } from './dto/task-tag.views';
import { TaskRepository, type NewTask, type OnAssigned, type TaskChanges } from './task.repository';
import { storedExecutionStatus } from './task-tree';

const TWO_DAYS_MS = 2 * 24 * 60 * 60 * 1000;

/** The most tasks one tree holds; `truncated` says when a project has more. */
export const MAX_TREE_TASKS = 2000;

/** A task with its child tasks, each with theirs. */
export interface TaskTreeNode {
  task: TaskViewModel;
  children: TaskTreeNode[];
}

/** Tasks on the boards, and who is on them. */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class TaskService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly stages: StageRepository,
    private readonly taskMembers: TaskMemberRepository,
    private readonly access: ProjectAccess,
    private readonly recentWrites: RecentWrites,
    private readonly directory: UserDirectory,
    private readonly board: BoardAccess,
    private readonly notify: ProjectNotifications,
    private readonly families: TaskFamilyRepository,
    private readonly reactions: TaskReactionRepository,
    private readonly tags: TaskTagRepository,
  ) {}

  /** The new assignee is told, in the assigning transaction (not when they took it themselves). */
  private tellAssignee(actorId: number): OnAssigned {
    return (manager, task, assigneeId) =>
      this.notify.taskAssigned(manager, task, assigneeId, actorId);
  }

  /**
   * Tasks as the member sees them, with their members' summaries, their places in their
   * trees (child counts, ancestors), the viewer's marks and their tags, in one batch each.
   */
  async viewsOf(viewerId: number, rows: Task[]) {
    const taskIds = rows.map((task) => task.id);
    const [members, families, marks, tags] = await Promise.all([
      this.directory.summaries(
        memberIdsOf(
          rows.map((task) => task.createdBy),
          rows.map((task) => task.assigneeId),
          rows.map((task) => task.doneBy),
        ),
      ),
      this.families.families(rows, viewerId),
      this.reactions.ofViewer(viewerId, taskIds),
      this.tags.carriedBy(taskIds),
    ]);
    return rows.map((task) =>
      taskView(
        task,
        members,
        families.get(task.id),
        marks.get(task.id),
        (tags.get(task.id) ?? []).map(taskTagRef),
      ),
    );
  }

  async listTasks(memberId: number, stageId: number, paging: Paging) {
    await this.board.stageFor(memberId, stageId);
    const { rows, total } = await this.tasks.listTasks(stageId, memberId, paging);
    return pageOf(await this.viewsOf(memberId, rows), total, paging);
  }

  /**
   * A task's child tasks that the member may see, oldest first: those it holds (a task in the
   * recycle bin, those that went in with it), or those recycled on their own.
   */
  async listChildTasks(memberId: number, taskId: number, query: ListChildTasksQuery) {
    await this.board.taskFor(memberId, taskId, 'boardOrBin');
    const { rows, total } = await this.families.listChildren(
      taskId,
      memberId,
      query.recycled,
      query,
    );
    return pageOf(await this.viewsOf(memberId, rows), total, query);
  }

  /** A child task under one the member can see, in its project and stage (see createChildTask). */
  async createChildTask(memberId: number, parentId: number, request: CreateChildTaskRequest) {
    const { project } = ProjectAccess.writable(
      await this.board.taskFor(memberId, parentId, 'board'),
    );
    const fields = await this.newTaskFields(memberId, project, request);
    const task = await this.tasks.createChildTask(
      { ...fields, parentId },
      this.tellAssignee(memberId),
    );
    await this.board.written(memberId);
    return this.getTask(memberId, task.id);
  }

  async createTask(memberId: number, projectId: number, request: CreateTaskRequest) {
    const { project } = ProjectAccess.writable(await this.access.require(memberId, projectId));
    const { stageId } = request;
    const stage = await this.stages.findStage(stageId);
    if (stage?.projectId !== projectId) {
      throw Problem.invalid([{ field: 'stageId', message: 'not a stage of this project' }]);
    }
    const fields = await this.newTaskFields(memberId, project, request);
    const task = await this.tasks.createTask(
      { ...fields, projectId, stageId },
      this.tellAssignee(memberId),
    );
    await this.board.written(memberId);
    return this.getTask(memberId, task.id);
  }

  /**
   * A new task's fields but its place: the assignee must be a project member, it is private
   * when the project makes new tasks private, and it runs two days from now unless told.
   */
  private async newTaskFields(
    memberId: number,
    project: Project,
    request: CreateChildTaskRequest,
  ): Promise<Omit<NewTask, 'projectId' | 'stageId'>> {
    const assigneeId =
      request.assigneeId !== undefined
        ? await this.board.projectMember(project.id, request.assigneeId, 'assigneeId')
        : null;
    const beginAt = request.beginAt ? new Date(request.beginAt) : new Date();
    return {
      name: request.name,
      description: request.description ?? null,
      priority: request.priority ?? 0,
      createdBy: memberId,
      assigneeId,
      private: Boolean(project.openTaskPrivate),
      beginAt,
      endAt: request.endAt ? new Date(request.endAt) : new Date(beginAt.getTime() + TWO_DAYS_MS),
    };
  }

  /** The task on the board, or in the recycle bin (its view says so: `deleted`). */
  async getTask(memberId: number, taskId: number) {
    const { task } = await this.board.taskFor(memberId, taskId, 'boardOrBin');
    return (await this.viewsOf(memberId, [task]))[0];
  }

  async updateTask(memberId: number, taskId: number, request: UpdateTaskRequest) {
    const { task } = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    const changes: TaskChanges = {};
    if (request.name !== undefined) changes.name = request.name;
    if (request.description !== undefined) changes.description = request.description;
    if (request.priority !== undefined) changes.priority = request.priority;
    if (request.beginAt !== undefined)
      changes.beginAt = request.beginAt ? new Date(request.beginAt) : null;
    if (request.endAt !== undefined) changes.endAt = request.endAt ? new Date(request.endAt) : null;
    if (request.executionStatus !== undefined) {
      changes.status = storedExecutionStatus(request.executionStatus);
    }
    if (request.estimatedHours !== undefined) changes.estimatedHours = request.estimatedHours;
    if (request.private !== undefined && request.private !== task.private) {
      await this.requireOnTask(task, memberId);
      changes.private = request.private;
    }
    if (request.assigneeId !== undefined) {
      changes.assigneeId =
        request.assigneeId !== null
          ? await this.board.projectMember(task.projectId, request.assigneeId, 'assigneeId')
          : null;
    }
    await this.tasks.updateTask(task, changes, memberId, this.tellAssignee(memberId));
    await this.board.written(memberId);
    return this.getTask(memberId, taskId);
  }

  /**
   * Gives tasks of one project to one of its members in one transaction: every task is
   * checked first (each must be visible to the caller and in the project), then all change
   * or none does. Each new assignee is told, as by updateTask.
   */
  async assignTasks(memberId: number, projectId: number, request: AssignTasksRequest) {
    ProjectAccess.writable(await this.access.require(memberId, projectId));
    const updates: { task: Task; changes: TaskChanges }[] = [];
    for (const taskId of new Set(request.taskIds)) {
      const { task } = await this.board.taskFor(memberId, taskId, 'board');
      if (task.projectId !== projectId) {
        throw Problem.invalid([{ field: 'taskIds', message: 'tasks of this project only' }]);
      }
      updates.push({ task, changes: {} });
    }
    const assigneeId = await this.board.projectMember(projectId, request.assigneeId, 'assigneeId');
    for (const update of updates) update.changes.assigneeId = assigneeId;
    await this.tasks.updateTasks(updates, memberId, this.tellAssignee(memberId));
    await this.board.written(memberId);
    return { assigned: updates.length };
  }

  /**
   * Whether a task is private is for those it stays visible to: its creator, its assignee and
   * its task members. (A private task is seen by no one else; an open one would vanish from
   * the board of a member who made it private without being on it.)
   */
  private async requireOnTask(task: Task, memberId: number): Promise<void> {
    if (task.createdBy === memberId || task.assigneeId === memberId) return;
    if (await this.taskMembers.findTaskMember(task.id, memberId)) return;
    throw Problem.forbidden(
      "only the task's creator, its assignee or one of its members may change whether it is private",
    );
  }

  async moveTask(memberId: number, taskId: number, request: MoveTaskRequest) {
    const { task } = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    if (task.parentId !== null) {
      throw Problem.failedPrecondition(
        'a child task is not on the board: it moves with its parent',
        undefined,
        'child_task',
      );
    }
    const { toStageId } = request;
    const to = await this.stages.findStage(toStageId);
    if (to?.projectId !== task.projectId) {
      throw Problem.invalid([{ field: 'toStageId', message: 'not a stage of this project' }]);
    }
    const beforeId = request.beforeTaskId ?? null;
    if (beforeId !== null) {
      const before = await this.tasks.findTask(beforeId);
      if (
        before?.stageId !== toStageId ||
        before.parentId !== null ||
        !(await this.tasks.isVisible(before, memberId))
      ) {
        throw Problem.invalid([{ field: 'beforeTaskId', message: 'not a task of that stage' }]);
      }
    }
    await this.tasks.moveTask(taskId, toStageId, beforeId, memberId, this.tellAssignee(memberId));
    await this.board.written(memberId);
    return this.getTask(memberId, taskId);
  }

  async setDone(memberId: number, taskId: number, done: boolean) {
    ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    await this.tasks.setDone(taskId, done, memberId, this.tellAssignee(memberId));
    await this.board.written(memberId);
    return this.getTask(memberId, taskId);
  }

  /**
   * The project's stages in board order, each with its board tasks and, under each, its child
   * tasks: the tasks the member may see (a child of a task they may not see is left out with
   * it), at most MAX_TREE_TASKS.
   */
  async taskTree(memberId: number, projectId: number) {
    await this.access.require(memberId, projectId);
    const [stages, rows] = await Promise.all([
      this.stages.listStages(projectId, { page: 1, pageSize: 1000 }),
      this.tasks.listForTree(projectId, memberId, MAX_TREE_TASKS + 1),
    ]);
    const truncated = rows.length > MAX_TREE_TASKS;
    const views = await this.viewsOf(memberId, rows.slice(0, MAX_TREE_TASKS));
    const nodes = new Map<string, TaskTreeNode>(
      views.map((task) => [task.id, { task, children: [] }]),
    );
    const byStage = new Map<string, TaskTreeNode[]>();
    for (const node of nodes.values()) {
      const { parentId, stageId } = node.task;
      if (parentId) {
        nodes.get(parentId)?.children.push(node);
      } else {
        byStage.set(stageId, [...(byStage.get(stageId) ?? []), node]);
      }
    }
    return {
      stages: stages.rows.map((stage) => {
        const view = stageView(stage);
        return { stage: view, tasks: byStage.get(view.id) ?? [] };
      }),
      truncated,
    };
  }

  /** The member likes the task, or no longer does; any member who sees it may. */
  async setLiked(memberId: number, taskId: number, liked: boolean) {
    await this.board.taskFor(memberId, taskId, 'board');
    await this.reactions.set('like', taskId, memberId, liked);
    await this.board.written(memberId);
    return this.getTask(memberId, taskId);
  }

  /** The member stars the task (puts it in their collection of tasks), or takes it out. */
  async setStarred(memberId: number, taskId: number, starred: boolean) {
    await this.board.taskFor(memberId, taskId, 'board');
    await this.reactions.set('star', taskId, memberId, starred);
    await this.board.written(memberId);
    return this.getTask(memberId, taskId);
  }

  async myTasks(memberId: number, query: MyTasksQuery) {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const { rows, total } = await this.tasks.listForMember(memberId, query.view, query.done, query);
    return pageOf(await this.viewsOf(memberId, rows), total, query);
  }

  // Task members

  async listTaskMembers(memberId: number, taskId: number, paging: Paging) {
    await this.board.taskFor(memberId, taskId, 'boardOrBin');
    const { rows, total } = await this.taskMembers.listTaskMembers(taskId, paging);
    const members = await this.directory.summaries(memberIdsOf(rows.map((row) => row.memberId)));
    return pageOf(
      rows.map((row) => taskMemberView(row, members)),
      total,
      paging,
    );
  }

  async addTaskMember(memberId: number, taskId: number, newMemberId: number) {
    const { task } = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    const added = await this.board.projectMember(task.projectId, newMemberId, 'memberId');
    if (await this.taskMembers.findTaskMember(taskId, added)) {
      throw Problem.conflict('memberId', 'already a member of this task');
    }
    await this.taskMembers.addTaskMember(task, added);
    await this.board.written(memberId);
    const row = (await this.taskMembers.findTaskMember(taskId, added))!;
    return taskMemberView(row, await this.directory.summaries([added]));
  }

  /**
   * Replaces the task's members with `memberIds` (its creator always stays), the difference
   * applied in one transaction; answers the new list.
   */
  async setTaskMembers(memberId: number, taskId: number, request: SetTaskMembersRequest) {
    const { task } = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    const wanted = await this.board.projectMembers(task.projectId, request.memberIds, 'memberIds');
    await this.taskMembers.setTaskMembers(taskId, wanted);
    await this.board.written(memberId);
    return this.listTaskMembers(memberId, taskId, { page: 1, pageSize: MAX_TASK_MEMBERS });
  }

  async removeTaskMember(memberId: number, taskId: number, removedId: number) {
    const { task } = ProjectAccess.writable(await this.board.taskFor(memberId, taskId, 'board'));
    if (!(await this.taskMembers.findTaskMember(taskId, removedId))) {
      throw Problem.notFound('not a member of this task');
    }
    await this.taskMembers.removeTaskMember(task, removedId);
    await this.board.written(memberId);
  }
}
