import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Problem } from '@/common/problem';
import { hydrator, onReadRunner } from '@/infra/database/raw-reads';
import type { NewActivity } from './activity.repository';
import { BoardLocks } from './board-locks';
import { offset, visibleTask } from './board-queries';
import type { Paging, TaskView } from './dto/project.schemas';
import { Activity, Project, Task, TaskMember, TaskStage } from './entities';
import { StageOrder } from './stage-order';
import { upsertTaskMember } from './task-member.repository';
import { childPath, mayHaveChildren, MAX_TASK_LEVEL, subtreeCondition } from './task-tree';

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
    'name' | 'description' | 'priority' | 'beginAt' | 'endAt' | 'status' | 'estimatedHours'
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
      return this.insertTask(manager, project, { ...input, sort }, onAssigned);
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
      const task = await this.insertTask(
        manager,
        project,
        {
          ...input,
          projectId: parent.projectId,
          stageId: parent.stageId,
          path: childPath(parent),
          sort: CHILD_PLACEHOLDER_SORT,
        },
        onAssigned,
      );
      await manager.update(Task, { id: task.id }, { sort: -task.id });
      await manager.insert(Activity, {
        projectId: parent.projectId,
        taskId: parent.id,
        memberId: input.createdBy,
        type: 'createChild',
        content: `added the child task #${task.number}`,
      });
      return { ...task, sort: -task.id };
    });
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
    if (input.assigneeId) await onAssigned?.(manager, task, input.assigneeId);
    return task;
  }

  /**
   * Moves a task to the end of a stage, or in front of `beforeId` there. The source and the
   * destination stage are both locked (in id order), as every change of a stage's order
   * does; the new sort is halfway between the neighbours, and when no integer is left
   * between them the stage is renumbered first.
   */
  moveTask(
    taskId: number,
    toStageId: number,
    beforeId: number | null,
    memberId: number,
  ): Promise<Task> {
    return this.locks.transaction(async (manager) => {
      const current = await manager.findOne(Task, {
        select: { id: true, stageId: true },
        where: { id: taskId },
      });
      if (!current) throw Problem.notFound('task not found');
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
      const fromStageId = task.stageId;
      let sort: number;
      if (beforeId === null) {
        sort = await this.order.appendSort(manager, toStageId, taskId);
      } else if (beforeId === taskId) {
        return task;
      } else {
        sort = await this.order.sortBefore(manager, toStageId, taskId, beforeId);
      }
      await manager.update(Task, { id: taskId }, { stageId: toStageId, sort });
      if (fromStageId !== toStageId) {
        // Its child tasks (parked off the order) follow it into the stage.
        await manager
          .createQueryBuilder()
          .update(Task)
          .set({ stageId: toStageId })
          .where(...subtreeCondition(task))
          .execute();
        await manager.insert(Activity, {
          projectId: task.projectId,
          taskId,
          memberId,
          type: 'move',
          content: `moved the task from ${stages.get(fromStageId)?.name ?? ''} to ${to.name}`,
        });
      }
      return (await manager.findOneBy(Task, { id: taskId }))!;
    });
  }

  /**
   * Done or reopened. A task with child tasks not done stays open; a child of a done task stays
   * done. The parent's row is locked before the child's (as adding a child locks it), so that
   * a parent and its child never change the other's premise at the same time.
   */
  async setDone(taskId: number, done: boolean, memberId: number): Promise<void> {
    await this.locks.transaction(async (manager) => {
      const known = await manager.findOne(Task, {
        select: { id: true, parentId: true },
        where: { id: taskId },
      });
      if (!known) throw Problem.notFound('task not found');
      const parent = known.parentId ? await this.locks.lock(manager, Task, known.parentId) : null;
      const task = await this.locks.lock(manager, Task, taskId);
      // Checked by the caller, but it may be recycled or deleted since.
      if (!task || task.deleted) throw Problem.notFound('task not found');
      if (Boolean(task.done) === done) return;
      if (!done && parent?.done) throw parentDone();
      if (
        done &&
        (await manager.existsBy(Task, { parentId: taskId, deleted: false, done: false }))
      ) {
        throw Problem.failedPrecondition(
          'the task has child tasks not done yet',
          undefined,
          'children_not_done',
        );
      }
      await manager.update(
        Task,
        { id: taskId },
        { done, doneAt: done ? new Date() : null, doneBy: done ? memberId : null },
      );
      await manager.insert(Activity, {
        projectId: task.projectId,
        taskId,
        memberId,
        type: done ? 'done' : 'undone',
        content: done ? 'finished the task' : 'reopened the task',
      });
    });
  }

  /** Changes a task; a new assignee becomes its executor, with an activity entry. */
  async updateTask(
    task: Task,
    changes: TaskChanges,
    memberId: number,
    onAssigned?: OnAssigned,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(Task, { id: task.id }, changes);
      if (changes.assigneeId === undefined || changes.assigneeId === task.assigneeId) return;
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
    });
  }

  /**
   * Tasks of projects the member still belongs to (neither the task nor the project recycled). Every view
   * (assigned, created, participating) names tasks the member is on, so private ones among
   * them are theirs to see. A page walks the view's index newest first, each task checked
   * against the member's membership (whose projectState mirrors the project's recycling).
   */
  async listForMember(memberId: number, view: TaskView, done: boolean | undefined, paging: Paging) {
    const { page, count, parameters } = myTasksSql(memberId, view, done);
    const toTask = hydrator(this.dataSource, Task);
    return onReadRunner(this.dataSource, async (query) => {
      const [raw, counted] = await Promise.all([
        query(page, [...parameters, paging.pageSize, offset(paging)]) as Promise<
          Record<string, unknown>[]
        >,
        query(count, parameters) as Promise<{ total: number | string }[]>,
      ]);
      return { rows: raw.map(toTask), total: Number(counted[0].total) };
    });
  }
}

/** Where each view of "my tasks" starts from, and its condition on the member (the first `?`). */
const MY_TASKS: Record<TaskView, { from: string; where: string }> = {
  assigned: { from: 'task', where: 'task.assigneeId = ?' },
  created: { from: 'task', where: 'task.createdBy = ?' },
  participating: {
    from: 'task_member participant INNER JOIN task ON task.id = participant.taskId',
    where: 'participant.memberId = ?',
  },
};

/** A page (LIMIT and OFFSET still to bind) and the count of one view of the member's tasks. */
export function myTasksSql(memberId: number, view: TaskView, done: boolean | undefined) {
  const { from, where } = MY_TASKS[view];
  const filters = `${where} AND task.deleted = 0${done === undefined ? '' : ' AND task.done = ?'}`;
  const joined = `${from} INNER JOIN project_member membership
    ON membership.projectId = task.projectId AND membership.memberId = ?
    AND membership.projectState <> 'recycled' WHERE ${filters}`;
  return {
    page: `SELECT task.* FROM ${joined} ORDER BY task.id DESC LIMIT ? OFFSET ?`,
    count: `SELECT COUNT(*) AS total FROM ${joined}`,
    parameters: done === undefined ? [memberId, memberId] : [memberId, memberId, done ? 1 : 0],
  };
}
