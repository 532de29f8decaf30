import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Not, Repository, type ObjectLiteral } from 'typeorm';
import { Problem } from '../../common/problem';
import type { Paging, TaskView } from './dto/project.schemas';
import {
  Activity,
  Project,
  ProjectMember,
  SORT_STEP,
  Task,
  TaskMember,
  TaskStage,
  type ActivityType,
} from './entities';

/** The largest value of the INT sort column: an append past it renumbers the stage first. */
const MAX_SORT = 2_147_483_647;
const DEADLOCK_RETRIES = 5;

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

export type TaskChanges = Partial<
  Pick<Task, 'name' | 'description' | 'priority' | 'beginAt' | 'endAt'>
> & { assigneeId?: number | null };

export interface NewActivity {
  projectId: number;
  taskId: number | null;
  memberId: number;
  type: ActivityType;
  content: string;
  toMemberId?: number | null;
}

const offset = ({ page, pageSize }: Paging) => (page - 1) * pageSize;

function isDeadlock(error: unknown): boolean {
  const { driverError } = error as { driverError?: { code?: string; errno?: number } };
  return driverError?.code === 'ER_LOCK_DEADLOCK' || driverError?.errno === 1213;
}

/** Stages, tasks, task members and activity, by intent. */
@Injectable()
export class TaskRepository {
  constructor(
    @InjectRepository(TaskStage) private readonly stages: Repository<TaskStage>,
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    @InjectRepository(TaskMember) private readonly taskMembers: Repository<TaskMember>,
    @InjectRepository(Activity) private readonly activity: Repository<Activity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** A transaction, retried when the database picks it as a deadlock victim. */
  private async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (!isDeadlock(error) || attempt >= DEADLOCK_RETRIES) throw error;
      }
    }
  }

  /** Locks a row until the transaction ends; SQLite serializes writers by itself. */
  private async lock<T extends ObjectLiteral>(
    manager: EntityManager,
    entity: new () => T,
    id: number,
  ): Promise<T | null> {
    const query = manager.createQueryBuilder(entity, 'row').where('row.id = :id', { id });
    if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
    return query.getOne();
  }

  // Stages

  async listStages(projectId: number, paging: Paging) {
    const [rows, total] = await this.stages.findAndCount({
      where: { projectId, deleted: false },
      order: { sort: 'ASC', id: 'ASC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  findStage(id: number): Promise<TaskStage | null> {
    return this.stages.findOneBy({ id, deleted: false });
  }

  async createStage(projectId: number, name: string, description: string | null) {
    const last = await this.stages.findOne({
      select: { sort: true },
      where: { projectId, deleted: false },
      order: { sort: 'DESC' },
    });
    return this.stages.save(
      this.stages.create({ projectId, name, description, sort: (last?.sort ?? -1) + 1 }),
    );
  }

  async updateStage(id: number, changes: Partial<Pick<TaskStage, 'name' | 'description'>>) {
    await this.stages.update({ id }, changes);
  }

  async deleteStage(id: number): Promise<void> {
    await this.stages.update({ id }, { deleted: true });
  }

  countTasksIn(stageId: number): Promise<number> {
    return this.tasks.countBy({ stageId });
  }

  async reorderStages(stageIds: number[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const [sort, id] of stageIds.entries())
        await manager.update(TaskStage, { id }, { sort });
    });
  }

  // Tasks

  async listTasks(stageId: number, paging: Paging) {
    const [rows, total] = await this.tasks.findAndCount({
      where: { stageId },
      order: { sort: 'ASC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  findTask(id: number): Promise<Task | null> {
    return this.tasks.findOneBy({ id });
  }

  /**
   * The task numbered next in its project, at the end of its stage, with its creator (and
   * assignee) as task members and the activity entries: all or nothing.
   */
  createTask(input: NewTask): Promise<Task> {
    return this.transaction(async (manager) => {
      // The project row lock hands out task numbers one at a time.
      await this.lock(manager, Project, input.projectId);
      await manager.increment(Project, { id: input.projectId }, 'lastTaskNumber', 1);
      const { lastTaskNumber } = (await manager.findOneBy(Project, { id: input.projectId }))!;
      await this.lock(manager, TaskStage, input.stageId);
      const sort = await this.appendSort(manager, input.stageId, 0);
      const task = await manager.save(
        Task,
        manager.create(Task, { ...input, number: lastTaskNumber, sort }),
      );
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
      return task;
    });
  }

  /** One step past the last task of the stage (other than `movingId`), renumbering on overflow. */
  private async appendSort(manager: EntityManager, stageId: number, movingId: number) {
    const last = await manager.findOne(Task, {
      select: { sort: true },
      where: { stageId, id: Not(movingId) },
      order: { sort: 'DESC' },
    });
    const next = (last?.sort ?? 0) + SORT_STEP;
    if (next <= MAX_SORT) return next;
    const count = await this.renumber(manager, stageId, movingId);
    return (count + 1) * SORT_STEP;
  }

  /**
   * Spreads the stage's tasks (other than `movingId`) back to SORT_STEP apart, keeping their
   * order; returns how many. Every row is parked on a distinct negative value first, so that
   * no intermediate state breaks the unique (stage, sort) index.
   */
  private async renumber(manager: EntityManager, stageId: number, movingId: number) {
    const rows = await manager.find(Task, {
      select: { id: true },
      where: { stageId, id: Not(movingId) },
      order: { sort: 'ASC' },
    });
    await manager.query('UPDATE `task` SET `sort` = -`id` WHERE `stageId` = ?', [stageId]);
    if (rows.length) {
      const cases = rows.map(() => 'WHEN ? THEN ?').join(' ');
      await manager.query(
        `UPDATE \`task\` SET \`sort\` = CASE \`id\` ${cases} END WHERE \`id\` IN (${rows.map(() => '?').join(', ')})`,
        [
          ...rows.flatMap((row, index) => [row.id, (index + 1) * SORT_STEP]),
          ...rows.map((row) => row.id),
        ],
      );
    }
    return rows.length;
  }

  /**
   * Moves a task to the end of a stage, or in front of `beforeId` there. Moves into one stage
   * are serialized by a lock on the stage row; the new sort is halfway between the
   * neighbours, and when no integer is left between them the stage is renumbered first.
   */
  moveTask(
    taskId: number,
    toStageId: number,
    beforeId: number | null,
    memberId: number,
    stageNames: { from: string; to: string },
  ): Promise<Task> {
    return this.transaction(async (manager) => {
      await this.lock(manager, TaskStage, toStageId);
      const task = (await this.lock(manager, Task, taskId))!;
      const fromStageId = task.stageId;
      let sort: number;
      if (beforeId === null) {
        sort = await this.appendSort(manager, toStageId, taskId);
      } else if (beforeId === taskId) {
        return task;
      } else {
        sort = await this.sortBefore(manager, toStageId, taskId, beforeId);
      }
      await manager.update(Task, { id: taskId }, { stageId: toStageId, sort });
      if (fromStageId !== toStageId) {
        await manager.insert(Activity, {
          projectId: task.projectId,
          taskId,
          memberId,
          type: 'move',
          content: `moved the task from ${stageNames.from} to ${stageNames.to}`,
        });
      }
      return (await manager.findOneBy(Task, { id: taskId }))!;
    });
  }

  private async sortBefore(
    manager: EntityManager,
    stageId: number,
    movingId: number,
    beforeId: number,
  ): Promise<number> {
    const neighbours = async () => {
      const before = await manager.findOneBy(Task, { id: beforeId });
      // Checked by the caller, but another move may have taken it away since.
      if (before?.stageId !== stageId) {
        throw Problem.invalid([{ field: 'beforeTaskId', message: 'not a task of that stage' }]);
      }
      const previous = await manager
        .createQueryBuilder(Task, 'task')
        .select('MAX(task.sort)', 'sort')
        .where('task.stageId = :stageId AND task.id <> :movingId AND task.sort < :sort', {
          stageId,
          movingId,
          sort: before.sort,
        })
        .getRawOne<{ sort: number | null }>();
      return { lower: Number(previous?.sort ?? 0), upper: before.sort };
    };
    let { lower, upper } = await neighbours();
    if (upper - lower < 2) {
      await this.renumber(manager, stageId, movingId);
      ({ lower, upper } = await neighbours());
    }
    return lower + Math.floor((upper - lower) / 2);
  }

  async setDone(taskId: number, done: boolean, memberId: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const task = (await this.lock(manager, Task, taskId))!;
      if (Boolean(task.done) === done) return;
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
  async updateTask(task: Task, changes: TaskChanges, memberId: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(Task, { id: task.id }, changes);
      if (changes.assigneeId === undefined || changes.assigneeId === task.assigneeId) return;
      await manager.update(TaskMember, { taskId: task.id }, { isExecutor: false });
      if (changes.assigneeId !== null) {
        await this.upsertTaskMember(manager, task.id, changes.assigneeId, true);
      }
      await manager.insert(Activity, {
        projectId: task.projectId,
        taskId: task.id,
        memberId,
        type: 'assign',
        content: changes.assigneeId === null ? 'unassigned the task' : 'assigned the task',
        toMemberId: changes.assigneeId,
      });
    });
  }

  private async upsertTaskMember(
    manager: EntityManager,
    taskId: number,
    memberId: number,
    isExecutor: boolean,
  ) {
    const existing = await manager.findOneBy(TaskMember, { taskId, memberId });
    if (existing) {
      if (isExecutor) await manager.update(TaskMember, { id: existing.id }, { isExecutor });
    } else {
      await manager.insert(TaskMember, { taskId, memberId, isExecutor, isOwner: false });
    }
  }

  /** Tasks of projects the member still belongs to (and that are not recycled). */
  async listForMember(memberId: number, view: TaskView, done: boolean | undefined, paging: Paging) {
    const query = this.tasks
      .createQueryBuilder('task')
      .innerJoin(
        ProjectMember,
        'membership',
        'membership.projectId = task.projectId AND membership.memberId = :memberId',
        { memberId },
      )
      .innerJoin(Project, 'project', 'project.id = task.projectId AND project.deleted = :no', {
        no: false,
      });
    if (view === 'assigned') query.andWhere('task.assigneeId = :memberId');
    if (view === 'created') query.andWhere('task.createdBy = :memberId');
    if (view === 'participating') {
      query.andWhere(
        'EXISTS (SELECT 1 FROM task_member participant WHERE participant.taskId = task.id AND participant.memberId = :memberId)',
      );
    }
    if (done !== undefined) query.andWhere('task.done = :done', { done });
    const [rows, total] = await query
      .orderBy('task.id', 'DESC')
      .skip(offset(paging))
      .take(paging.pageSize)
      .getManyAndCount();
    return { rows, total };
  }

  // Task members

  async listTaskMembers(taskId: number, paging: Paging) {
    const [rows, total] = await this.taskMembers.findAndCount({
      where: { taskId },
      order: { id: 'ASC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  findTaskMember(taskId: number, memberId: number): Promise<TaskMember | null> {
    return this.taskMembers.findOneBy({ taskId, memberId });
  }

  async addTaskMember(taskId: number, memberId: number): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.upsertTaskMember(manager, taskId, memberId, false),
    );
  }

  /** Removing the executor leaves the task unassigned. */
  async removeTaskMember(task: Task, memberId: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(TaskMember, { taskId: task.id, memberId });
      if (task.assigneeId === memberId) {
        await manager.update(Task, { id: task.id }, { assigneeId: null });
      }
    });
  }

  // Activity

  async addActivity(entry: NewActivity): Promise<Activity> {
    return this.activity.save(
      this.activity.create({ ...entry, isComment: entry.type === 'comment' }),
    );
  }

  async listTaskActivity(taskId: number, commentsOnly: boolean, paging: Paging) {
    const [rows, total] = await this.activity.findAndCount({
      where: commentsOnly ? { taskId, isComment: true } : { taskId },
      order: { id: 'DESC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  /** The newest entries of every project the member belongs to. */
  async listForMemberProjects(memberId: number, paging: Paging) {
    const [rows, total] = await this.activity
      .createQueryBuilder('entry')
      .innerJoin(
        ProjectMember,
        'membership',
        'membership.projectId = entry.projectId AND membership.memberId = :memberId',
        { memberId },
      )
      .orderBy('entry.id', 'DESC')
      .skip(offset(paging))
      .take(paging.pageSize)
      .getManyAndCount();
    return { rows, total };
  }
}
