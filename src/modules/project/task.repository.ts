import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { Problem } from '@/common/problem';
import { addToTotals } from '@/infra/database/list-totals';
import { hydrator, onReadRunner } from '@/infra/database/raw-reads';
import type { NewActivity } from './activity.repository';
import { BoardLocks } from './board-locks';
import { offset, visibleTask } from './board-queries';
import type { Paging, TaskView } from './dto/project.schemas';
import {
  Activity,
  Project,
  ProjectMember,
  Task,
  TaskMember,
  TaskStage,
  type TaskWorkflowAction,
} from './entities';
import {
  addEntriesToFeeds,
  changeFeedsSince,
  feedSharesOfTasks,
  lockProjectFeed,
  trackFeedOfTasks,
} from './feed-totals';
import { StageOrder } from './stage-order';
import { upsertTaskMember } from './task-member.repository';
import { changingTaskLists, countTaskLists, MY_TASKS, readTaskTotal } from './task-totals';
import {
  childPath,
  mayHaveChildren,
  MAX_TASK_LEVEL,
  ROOT_PATH,
  subtreeCondition,
} from './task-tree';
import { TaskWorkflowRepository, type TaskEvent } from './task-workflow.repository';

export interface NewTask {
  projectId: number;
  stageId: number;
  name: string;
  description: string | null;
  priority: number;
  createdBy: number;
  assigneeId: number | null;
  private: boolean;
  beginAt: Date;
  endAt: Date;
}

/** A child task: in its parent's project and stage, which the repository reads under lock. */
export type NewChildTask = Omit<NewTask, 'projectId' | 'stageId'> & { parentId: number };

export type TaskChanges = Partial<
  Pick<
    Task,
    | 'name'
    | 'description'
    | 'priority'
    | 'beginAt'
    | 'endAt'
    | 'status'
    | 'estimatedHours'
    | 'private'
  >
> & { assigneeId?: number | null };

/** A change refused because of the task's parent or children (409 / FAILED_PRECONDITION). */
export const parentDone = () =>
  Problem.failedPrecondition(
    'its parent task is done: reopen the parent first',
    undefined,
    'parent_done',
  );

/**
 * A child task's place in the stage order: none (see Task.sort). It is written with this
 * placeholder, unique in the stage while its project's row is locked, then parked on `-id`.
 */
const CHILD_PLACEHOLDER_SORT = -2_147_483_648;

/**
 * A task of an import: a board task in `stageId`, or a child task under `parent` (an earlier
 * task of the same import by its index, or an existing task by its id); `field` names its row.
 */
export type ImportedTask = Omit<NewTask, 'projectId' | 'stageId'> & {
  stageId?: number;
  parent?: { index?: number; taskId?: number };
  field: string;
};

/** Work in a task write's transaction when the task gets a new assignee: telling them. */
export type OnAssigned = (manager: EntityManager, task: Task, assigneeId: number) => Promise<void>;

/** Tasks: their places on the board, their state, and the lists they appear in. */
@Injectable()
export class TaskRepository {
  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    @InjectRepository(TaskMember) private readonly taskMembers: Repository<TaskMember>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: BoardLocks,
    private readonly order: StageOrder,
    private readonly workflows: TaskWorkflowRepository,
  ) {}

  /** The stage's tasks that the member may see, in order (recycled ones are off the board). */
  async listTasks(stageId: number, viewerId: number, paging: Paging) {
    const [rows, total] = await this.tasks
      .createQueryBuilder('task')
      .where('task.stageId = :stageId AND task.deleted = :live', { stageId, live: false })
      // Child tasks are not on the board: their parent's card counts them.
      .andWhere('task.parentId IS NULL')
      .andWhere(visibleTask('task'), { open: false, viewerId })
      .orderBy('task.sort', 'ASC')
      .skip(offset(paging))
      .take(paging.pageSize)
      .getManyAndCount();
    return { rows, total };
  }

  /**
   * The project's live tasks the viewer may see, board tasks and child tasks alike, in board
   * order (a child task's sort is 0: then by age); at most `limit`.
   */
  listForTree(projectId: number, viewerId: number, limit: number): Promise<Task[]> {
    return this.tasks
      .createQueryBuilder('task')
      .where('task.projectId = :projectId AND task.deleted = :live', { projectId, live: false })
      .andWhere(visibleTask('task'), { open: false, viewerId })
      .orderBy('task.sort', 'ASC')
      .addOrderBy('task.id', 'ASC')
      .take(limit)
      .getMany();
  }

  /** A task on the board; a recycled one is reached through the bin only (TaskBinRepository). */
  findTask(id: number): Promise<Task | null> {
    return this.tasks.findOneBy({ id, deleted: false });
  }

  /** A task on the board or in the recycle bin. */
  findTaskOrRecycled(id: number): Promise<Task | null> {
    return this.tasks.findOneBy({ id });
  }

  /** The newest live task of the project with each name (an import names parents so). */
  async newestNamed(projectId: number, names: string[]): Promise<Map<string, Task>> {
    const found = new Map<string, Task>();
    if (names.length === 0) return found;
    const rows = await this.tasks.find({
      where: { projectId, name: In(names), deleted: false },
      order: { id: 'DESC' },
    });
    for (const row of rows) if (!found.has(row.name)) found.set(row.name, row);
    return found;
  }

  /** Whether the member may see the task: it is open, or they are on it (see visibleTask). */
  async isVisible(task: Task, memberId: number): Promise<boolean> {
    if (!task.private || task.createdBy === memberId || task.assigneeId === memberId) return true;
    return this.taskMembers.existsBy({ taskId: task.id, memberId });
  }

  /**
   * The task numbered next in its project, at the end of its stage, with its creator (and
   * assignee) as task members and the activity entries: all or nothing.
   */
  createTask(input: NewTask, onAssigned?: OnAssigned): Promise<Task> {
    return this.locks.transaction(async (manager) => {
      // The project row lock hands out task numbers one at a time.
      const project = await this.locks.lock(manager, Project, input.projectId);
      if (!project) throw Problem.notFound('project not found');
      // Locked before any plain read: checked by the caller, but it may be deleted since.
      const stage = await this.locks.lock(manager, TaskStage, input.stageId);
      if (!stage || stage.deleted || stage.projectId !== input.projectId) {
        throw Problem.invalid([{ field: 'stageId', message: 'not a stage of this project' }]);
      }
      const sort = await this.order.appendSort(manager, input.stageId, 0);
      const task = await this.insertTask(manager, project, { ...input, sort }, onAssigned);
      const events: TaskEvent[] = [{ event: 'enter' }];
      if (input.assigneeId) events.push({ event: 'assigned', memberId: input.assigneeId });
      await this.runWorkflows(manager, task.id, events, input.createdBy, onAssigned);
      return task;
    });
  }

  /**
   * A child task under `parentId`, in its project and stage, numbered in its project as any
   * task: refused while the parent is done (reopen it first) or at the deepest level. The
   * parent's row is locked, so that it is neither done nor moved meanwhile.
   */
  createChildTask(input: NewChildTask, onAssigned?: OnAssigned): Promise<Task> {
    return this.locks.transaction(async (manager) => {
      const known = await manager.findOne(Task, {
        select: { id: true, projectId: true },
        where: { id: input.parentId },
      });
      if (!known) throw Problem.notFound('task not found');
      // The project row before the task row, as every task number is handed out.
      const project = await this.locks.lock(manager, Project, known.projectId);
      const parent = await this.locks.lock(manager, Task, input.parentId);
      // Checked by the caller, but it may be recycled or deleted since.
      if (!project || !parent || parent.deleted) throw Problem.notFound('task not found');
      if (parent.done) {
        throw Problem.failedPrecondition(
          'the task is done: reopen it to add child tasks',
          undefined,
          'parent_done',
        );
      }
      if (!mayHaveChildren(parent.path)) {
        throw Problem.failedPrecondition(
          `child tasks go at most ${MAX_TASK_LEVEL} levels deep`,
          undefined,
          'too_deep',
        );
      }
      return this.insertChild(manager, project, parent, input, onAssigned);
    });
  }

  /**
   * Tasks read from a spreadsheet, in its order, all or nothing: each at the end of its stage,
   * or under its parent (an earlier task of the same import, by its index, or a live task of
   * the project, by its id) as a child task. The project, the stages and the existing parents
   * are locked first; a stage deleted or a parent recycled or done since the caller checked
   * them refuses the whole import, naming the row.
   */
  importTasks(projectId: number, items: ImportedTask[], onAssigned?: OnAssigned): Promise<Task[]> {
    return this.locks.transaction(async (manager) => {
      const project = await this.locks.lock(manager, Project, projectId);
      if (!project) throw Problem.notFound('project not found');
      const stageIds = [...new Set(items.flatMap((item) => (item.stageId ? [item.stageId] : [])))];
      for (const stageId of stageIds.sort((a, b) => a - b)) {
        const stage = await this.locks.lock(manager, TaskStage, stageId);
        if (!stage || stage.deleted || stage.projectId !== projectId) {
          const item = items.find((entry) => entry.stageId === stageId)!;
          throw Problem.invalid([{ field: item.field, message: 'the task list is gone' }]);
        }
      }
      const parentIds = [...new Set(items.flatMap((item) => item.parent?.taskId ?? []))];
      const existing = new Map<number, Task>();
      for (const taskId of parentIds.sort((a, b) => a - b)) {
        const parent = await this.locks.lock(manager, Task, taskId);
        const item = items.find((entry) => entry.parent?.taskId === taskId)!;
        if (!parent || parent.deleted || parent.projectId !== projectId) {
          throw Problem.invalid([{ field: item.field, message: 'the parent task is gone' }]);
        }
        if (parent.done) {
          throw Problem.invalid([{ field: item.field, message: 'the parent task is done' }]);
        }
        existing.set(taskId, parent);
      }
      const created: Task[] = [];
      for (const item of items) {
        const { parent: parentRef, stageId, field: _field, ...input } = item;
        const locked = await this.locks.lock(manager, Project, projectId);
        if (!parentRef) {
          const sort = await this.order.appendSort(manager, stageId!, 0);
          created.push(
            await this.insertTask(
              manager,
              locked!,
              { ...input, projectId, stageId: stageId!, path: ROOT_PATH, sort },
              onAssigned,
            ),
          );
          continue;
        }
        const parent =
          parentRef.index !== undefined
            ? created[parentRef.index]
            : existing.get(parentRef.taskId!)!;
        if (!mayHaveChildren(parent.path)) {
          throw Problem.invalid([
            { field: item.field, message: `child tasks go at most ${MAX_TASK_LEVEL} levels deep` },
          ]);
        }
        created.push(await this.insertChild(manager, locked!, parent, input, onAssigned));
      }
      return created;
    });
  }

  /** A child task under the locked `parent`, in its stage, with the parent's activity entry. */
  private async insertChild(
    manager: EntityManager,
    project: Project,
    parent: Task,
    input: Omit<NewChildTask, 'parentId'>,
    onAssigned?: OnAssigned,
  ): Promise<Task> {
    const task = await this.insertTask(
      manager,
      project,
      {
        ...input,
        parentId: parent.id,
        projectId: parent.projectId,
        stageId: parent.stageId,
        path: childPath(parent),
        sort: CHILD_PLACEHOLDER_SORT,
      },
      onAssigned,
    );
    await manager.update(Task, { id: task.id }, { sort: -task.id });
    const entry = {
      projectId: parent.projectId,
      taskId: parent.id,
      memberId: input.createdBy,
      type: 'createChild' as const,
      content: `added the child task #${task.number}`,
    };
    await manager.insert(Activity, entry);
    await addEntriesToFeeds(manager, [entry]);
    return { ...task, sort: -task.id };
  }

  /** The task numbered next in its locked project, with its members and activity entries. */
  private async insertTask(
    manager: EntityManager,
    project: Project,
    input: NewTask & Partial<Pick<Task, 'parentId' | 'path'>> & { sort: number },
    onAssigned?: OnAssigned,
  ): Promise<Task> {
    const number = project.lastTaskNumber + 1;
    await manager.update(Project, { id: project.id }, { lastTaskNumber: number });
    const task = await manager.save(Task, manager.create(Task, { ...input, number }));
    const members = [
      {
        taskId: task.id,
        memberId: input.createdBy,
        isOwner: true,
        isExecutor: input.assigneeId === input.createdBy,
      },
    ];
    if (input.assigneeId && input.assigneeId !== input.createdBy) {
      members.push({
        taskId: task.id,
        memberId: input.assigneeId,
        isOwner: false,
        isExecutor: true,
      });
    }
    await manager.insert(TaskMember, members);
    const entries: NewActivity[] = [
      {
        projectId: input.projectId,
        taskId: task.id,
        memberId: input.createdBy,
        type: 'create',
        content: `created the task ${task.name}`,
      },
    ];
    if (input.assigneeId) {
      entries.push({
        projectId: input.projectId,
        taskId: task.id,
        memberId: input.createdBy,
        type: 'assign',
        content: 'assigned the task',
        toMemberId: input.assigneeId,
      });
    }
    await manager.insert(Activity, entries);
    // The project's row is locked: it hands out the task's number.
    await addEntriesToFeeds(manager, entries);
    if (input.assigneeId) await onAssigned?.(manager, task, input.assigneeId);
    // On its creator's and assignee's lists (the caller holds the project's row lock).
    await addToTotals(manager, await countTaskLists(manager, { taskIds: [task.id] }));
    return task;
  }

  /**
   * Moves a task to the end of a stage, or in front of `beforeId` there; into another stage,
   * it sets off that stage's `enter` workflows. The source and the
   * destination stage are both locked (in id order), as every change of a stage's order
   * does; the new sort is halfway between the neighbours, and when no integer is left
   * between them the stage is renumbered first.
   */
  moveTask(
    taskId: number,
    toStageId: number,
    beforeId: number | null,
    memberId: number,
    onAssigned?: OnAssigned,
  ): Promise<Task> {
    return this.locks.transaction(async (manager) => {
      const current = await manager.findOne(Task, {
        select: { id: true, stageId: true, projectId: true },
        where: { id: taskId },
      });
      if (!current) throw Problem.notFound('task not found');
      // The project's row before the stages', as task creation takes them: the move's entry
      // goes into its members' feeds.
      await lockProjectFeed(manager, current.projectId);
      const stages = await this.locks.lockStages(manager, [current.stageId, toStageId]);
      const task = await this.locks.lock(manager, Task, taskId);
      // Checked by the caller, but it may be recycled or deleted since.
      if (!task || task.deleted) throw Problem.notFound('task not found');
      if (!stages.has(task.stageId)) {
        // Moved by another request between the read and the locks; the row lock keeps it in
        // place now. Its stage is locked out of order: a deadlock retry covers that rare clash.
        const from = await this.locks.lock(manager, TaskStage, task.stageId);
        if (from) stages.set(from.id, from);
      }
      const to = stages.get(toStageId);
      // Checked by the caller, but it may be deleted since.
      if (!to || to.deleted || to.projectId !== task.projectId) {
        throw Problem.invalid([{ field: 'toStageId', message: 'not a stage of this project' }]);
      }
      if (beforeId === taskId) return task;
      const fromStageId = task.stageId;
      await this.placeInStage(
        manager,
        task,
        to,
        stages.get(fromStageId)?.name ?? '',
        beforeId,
        memberId,
      );
      if (fromStageId !== toStageId) {
        await this.runWorkflows(manager, taskId, [{ event: 'enter' }], memberId, onAssigned);
      }
      return (await manager.findOneBy(Task, { id: taskId }))!;
    });
  }

  /**
   * The task, its stage and the destination locked: puts it at the end of `to` or in front of
   * `beforeId` there, its child tasks with it, and writes the move's entry.
   */
  private async placeInStage(
    manager: EntityManager,
    task: Task,
    to: TaskStage,
    fromName: string,
    beforeId: number | null,
    memberId: number,
  ): Promise<void> {
    const sort =
      beforeId === null
        ? await this.order.appendSort(manager, to.id, task.id)
        : await this.order.sortBefore(manager, to.id, task.id, beforeId);
    await manager.update(Task, { id: task.id }, { stageId: to.id, sort });
    if (task.stageId === to.id) return;
    // Its child tasks (parked off the order) follow it into the stage.
    await manager
      .createQueryBuilder()
      .update(Task)
      .set({ stageId: to.id })
      .where(...subtreeCondition(task))
      .execute();
    const entry = {
      projectId: task.projectId,
      taskId: task.id,
      memberId,
      type: 'move' as const,
      content: `moved the task from ${fromName} to ${to.name}`,
    };
    await manager.insert(Activity, entry);
    await addEntriesToFeeds(manager, [entry]);
  }

  /**
   * Done or reopened. A task with child tasks not done stays open; a child of a done task stays
   * done. The parent's row is locked before the child's (as adding a child locks it), so that
   * a parent and its child never change the other's premise at the same time; the project's
   * row before both, as every write that moves a task on or off "my tasks" lists takes it.
   * A board task's change sets off its stage's `done` or `undone` workflows.
   */
  async setDone(
    taskId: number,
    done: boolean,
    memberId: number,
    onAssigned?: OnAssigned,
  ): Promise<void> {
    await this.locks.transaction(async (manager) => {
      const known = await manager.findOne(Task, {
        select: { id: true, parentId: true, projectId: true },
        where: { id: taskId },
      });
      if (!known) throw Problem.notFound('task not found');
      // Before the task rows: the entry goes into the project members' feeds (and the
      // project's lock orders it against changes to "my tasks" lists).
      await lockProjectFeed(manager, known.projectId);
      const parent = known.parentId ? await this.locks.lock(manager, Task, known.parentId) : null;
      const task = await this.locks.lock(manager, Task, taskId);
      // Checked by the caller, but it may be recycled or deleted since.
      if (!task || task.deleted) throw Problem.notFound('task not found');
      if (Boolean(task.done) === done) return;
      const refused = await doneRefused(manager, task, parent, done);
      if (refused) throw refused;
      await this.markDone(manager, task, done, memberId);
      if (task.parentId === null) {
        const event = done ? 'done' : 'undone';
        await this.runWorkflows(manager, taskId, [{ event }], memberId, onAssigned);
      }
    });
  }

  /** The task (locked, its premises checked) done or reopened, with the entry. */
  private async markDone(
    manager: EntityManager,
    task: Task,
    done: boolean,
    memberId: number,
  ): Promise<void> {
    await changingTaskLists(manager, { taskIds: [task.id] }, () =>
      manager.update(
        Task,
        { id: task.id },
        { done, doneAt: done ? new Date() : null, doneBy: done ? memberId : null },
      ),
    );
    const entry = {
      projectId: task.projectId,
      taskId: task.id,
      memberId,
      type: done ? ('done' as const) : ('undone' as const),
      content: done ? 'finished the task' : 'reopened the task',
    };
    await manager.insert(Activity, entry);
    await addEntriesToFeeds(manager, [entry]);
  }

  /**
   * Changes a task; a new assignee becomes its executor, with an activity entry. A change of
   * assignee moves the task between members' lists, and it or a change of the private flag
   * may change who sees its entries: such a change is made under the project's row lock, then
   * the task's, compared with the row as locked, and the lists' and feeds' totals follow it
   * (task-totals.ts, feed-totals.ts). A board task given to a new assignee sets off its
   * stage's `assigned` workflows for that member.
   */
  async updateTask(
    task: Task,
    changes: TaskChanges,
    memberId: number,
    onAssigned?: OnAssigned,
    outer?: EntityManager,
  ): Promise<void> {
    const { assigneeId } = changes;
    const privacyChanged = changes.private !== undefined && changes.private !== task.private;
    if (assigneeId === undefined && !privacyChanged) {
      await this.locks.within(outer, (manager) => manager.update(Task, { id: task.id }, changes));
      return;
    }
    await this.locks.within(outer, async (manager) => {
      const current = await this.changeLocked(manager, task, changes, memberId, onAssigned);
      if (
        current?.parentId === null &&
        assigneeId !== undefined &&
        assigneeId !== null &&
        assigneeId !== current.assigneeId
      ) {
        const event = { event: 'assigned' as const, memberId: assigneeId };
        await this.runWorkflows(manager, task.id, [event], memberId, onAssigned);
      }
    });
  }

  /**
   * The change of updateTask under the project's and the task's locks, the lists and feeds
   * following it; answers the task as it was when locked (null when it is gone).
   */
  private async changeLocked(
    manager: EntityManager,
    task: Task,
    changes: TaskChanges,
    memberId: number,
    onAssigned?: OnAssigned,
  ): Promise<Task | null> {
    const { assigneeId } = changes;
    await lockProjectFeed(manager, task.projectId);
    const current = await this.locks.lock(manager, Task, task.id);
    if (!current) return null;
    await trackFeedOfTasks(manager, task.projectId, [task.id], async () => {
      if (assigneeId === undefined) await manager.update(Task, { id: task.id }, changes);
      else
        await changingTaskLists(manager, { taskIds: [task.id] }, () =>
          this.reassign(manager, current, { ...changes, assigneeId }, memberId, onAssigned),
        );
    });
    return current;
  }

  /**
   * The workflows each event sets off on a board task, in turn, in the write's transaction (the
   * project's row locked): each workflow's actions in order, written as the member's changes,
   * with their entries. What a workflow does sets off no workflow; an action that no longer
   * applies (its stage deleted, its member gone from the project, the task already so, child
   * tasks not done) is passed over.
   */
  private async runWorkflows(
    manager: EntityManager,
    taskId: number,
    events: TaskEvent[],
    memberId: number,
    onAssigned?: OnAssigned,
  ): Promise<void> {
    for (const happened of events) {
      const task = await manager.findOneBy(Task, { id: taskId });
      if (!task || task.deleted || task.parentId !== null) return;
      for (const { actions } of await this.workflows.setOff(manager, task, happened)) {
        for (const action of actions) {
          await this.applyWorkflowAction(manager, taskId, action, memberId, onAssigned);
        }
      }
    }
  }

  private async applyWorkflowAction(
    manager: EntityManager,
    taskId: number,
    action: TaskWorkflowAction,
    memberId: number,
    onAssigned?: OnAssigned,
  ): Promise<void> {
    const task = await this.locks.lock(manager, Task, taskId);
    if (!task || task.deleted) return;
    switch (action.type) {
      case 'move': {
        if (action.stageId === null || action.stageId === task.stageId) return;
        const stages = await this.locks.lockStages(manager, [task.stageId, action.stageId]);
        const to = stages.get(action.stageId);
        if (!to || to.deleted || to.projectId !== task.projectId) return;
        const fromName = stages.get(task.stageId)?.name ?? '';
        await this.placeInStage(manager, task, to, fromName, null, memberId);
        return;
      }
      case 'assign': {
        const assigneeId = action.memberId;
        if (assigneeId === null || assigneeId === task.assigneeId) return;
        const member = { projectId: task.projectId, memberId: assigneeId };
        if (!(await manager.existsBy(ProjectMember, member))) return;
        await this.changeLocked(manager, task, { assigneeId }, memberId, onAssigned);
        return;
      }
      case 'done':
      case 'undone': {
        const done = action.type === 'done';
        if (Boolean(task.done) === done) return;
        if (await doneRefused(manager, task, null, done)) return;
        await this.markDone(manager, task, done, memberId);
        return;
      }
    }
  }

  private async reassign(
    manager: EntityManager,
    task: Task,
    changes: TaskChanges & { assigneeId: number | null },
    memberId: number,
    onAssigned?: OnAssigned,
  ): Promise<void> {
    await manager.update(Task, { id: task.id }, changes);
    if (changes.assigneeId !== task.assigneeId) {
      await manager.update(TaskMember, { taskId: task.id }, { isExecutor: false });
      if (changes.assigneeId !== null) {
        await upsertTaskMember(manager, task.id, changes.assigneeId, true);
      }
      await manager.insert(Activity, {
        projectId: task.projectId,
        taskId: task.id,
        memberId,
        type: 'assign',
        content: changes.assigneeId === null ? 'unassigned the task' : 'assigned the task',
        toMemberId: changes.assigneeId,
      });
      if (changes.assigneeId !== null) {
        await onAssigned?.(manager, { ...task, ...changes }, changes.assigneeId);
      }
    }
  }
  /**
   * In a project the member leaves: their open tasks (on the board or in the bin) get no
   * assignee, each with an activity entry; done ones keep them, as history. Answers how many.
   */
  async unassignOpenTasksOf(
    manager: EntityManager,
    projectId: number,
    memberId: number,
  ): Promise<number> {
    const rows = await manager
      .createQueryBuilder(Task, 'task')
      .select('task.id', 'id')
      .where('task.projectId = :projectId AND task.assigneeId = :memberId', {
        projectId,
        memberId,
      })
      .andWhere('task.done = :open', { open: false })
      .getRawMany<{ id: number }>();
    const ids = rows.map((row) => Number(row.id));
    if (ids.length === 0) return 0;
    // Under the project's lock (the caller's): the feeds follow the new entries and what
    // leaving the tasks' executor changes of who sees them.
    const before = await feedSharesOfTasks(manager, projectId, ids);
    await manager.update(Task, { id: In(ids) }, { assigneeId: null });
    await manager.update(TaskMember, { taskId: In(ids), memberId }, { isExecutor: false });
    await manager.insert(
      Activity,
      ids.map((taskId) => ({
        projectId,
        taskId,
        memberId,
        type: 'assign' as const,
        content: 'left the project: the task is unassigned',
        toMemberId: null,
      })),
    );
    await changeFeedsSince(manager, projectId, ids, before);
    return ids.length;
  }

  /**
   * Several tasks changed at once: every change or none (see updateTask), READ COMMITTED as
   * every write under the board's locks, retried whole when picked as a deadlock's victim.
   */
  async updateTasks(
    updates: { task: Task; changes: TaskChanges }[],
    memberId: number,
    onAssigned?: OnAssigned,
  ): Promise<void> {
    await this.locks.transaction(async (manager) => {
      // The projects' locks first, as each reassignment takes its project's (feed-totals.ts).
      const projectIds = [...new Set(updates.map(({ task }) => task.projectId))].sort(
        (a, b) => a - b,
      );
      for (const projectId of projectIds) await lockProjectFeed(manager, projectId);
      for (const { task, changes } of updates) {
        await this.updateTask(task, changes, memberId, onAssigned, manager);
      }
    });
  }

  /**
   * Tasks of projects the member still belongs to (neither the task nor the project recycled). Every view
   * (assigned, created, participating) names tasks the member is on, so private ones among
   * them are theirs to see. A page walks the view's index newest first (of the done or undone
   * ones when asked), each task checked against the member's membership (whose projectState
   * mirrors the project's recycling); the total is the view's counters (see task-totals.ts).
   */
  async listForMember(memberId: number, view: TaskView, done: boolean | undefined, paging: Paging) {
    const straight = this.dataSource.options.type === 'better-sqlite3' ? '' : 'STRAIGHT_JOIN';
    const { page, parameters } = myTasksSql(memberId, view, done, straight);
    const toTask = hydrator(this.dataSource, Task);
    return onReadRunner(this.dataSource, async (query) => {
      const [raw, total] = await Promise.all([
        query(page, [...parameters, paging.pageSize, offset(paging)]) as Promise<
          Record<string, unknown>[]
        >,
        readTaskTotal(query, memberId, view, done),
      ]);
      return { rows: raw.map(toTask), total };
    });
  }
}

/** Why the task may not be marked done (or reopened) now, if it may not. */
async function doneRefused(
  manager: EntityManager,
  task: Task,
  parent: Task | null,
  done: boolean,
): Promise<Problem | null> {
  if (!done && parent?.done) return parentDone();
  if (done && (await manager.existsBy(Task, { parentId: task.id, deleted: false, done: false }))) {
    return Problem.failedPrecondition(
      'the task has child tasks not done yet',
      undefined,
      'children_not_done',
    );
  }
  return null;
}

/**
 * A page of one view of the member's tasks (LIMIT and OFFSET still to bind): the member's
 * range of the view's index newest first, each task kept while the member's membership of its
 * project (one unique-index lookup) is there and not recycled. `straight` is MariaDB's
 * STRAIGHT_JOIN (SQLite has none), so that a participant's range is read before the tasks.
 * As a join, MariaDB drove a member of few projects from their memberships, and sorted every
 * task of those projects.
 */
export function myTasksSql(
  memberId: number,
  view: TaskView,
  done: boolean | undefined,
  straight: string,
) {
  const { from, member } = MY_TASKS[view];
  const flag = done === undefined ? '' : ' AND task.done = ?';
  return {
    page: `SELECT ${straight} task.* FROM ${from}
      WHERE ${member} = ? AND task.deleted = 0${flag}
      AND (SELECT membership.projectState FROM project_member membership
        WHERE membership.projectId = task.projectId AND membership.memberId = ?) <> 'recycled'
      ORDER BY task.id DESC LIMIT ? OFFSET ?`,
    parameters: done === undefined ? [memberId, memberId] : [memberId, done ? 1 : 0, memberId],
  };
}
