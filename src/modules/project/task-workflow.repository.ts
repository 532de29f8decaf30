import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { BoardLocks } from './board-locks';
import { Project, Task, TaskWorkflow, TaskWorkflowAction, type WorkflowEvent } from './entities';

/** A workflow with its actions in order. */
export interface WorkflowWithActions {
  workflow: TaskWorkflow;
  actions: TaskWorkflowAction[];
}

export type WorkflowFields = Pick<TaskWorkflow, 'name' | 'stageId' | 'event' | 'memberId'>;
export type WorkflowActionFields = Pick<TaskWorkflowAction, 'type' | 'stageId' | 'memberId'>;

/** What happened to a board task, as a workflow's trigger names it. */
export interface TaskEvent {
  event: WorkflowEvent;
  /** For `assigned`: the new assignee. */
  memberId?: number;
}

/** Task workflows and their actions. */
@Injectable()
export class TaskWorkflowRepository {
  constructor(
    @InjectRepository(TaskWorkflow) private readonly workflows: Repository<TaskWorkflow>,
    private readonly locks: BoardLocks,
  ) {}

  /** The project's workflows, oldest first. */
  async listForProject(projectId: number): Promise<WorkflowWithActions[]> {
    const rows = await this.workflows.find({ where: { projectId }, order: { id: 'ASC' } });
    return withActions(this.workflows.manager, rows);
  }

  async findWorkflow(id: number): Promise<WorkflowWithActions | null> {
    const row = await this.workflows.findOneBy({ id });
    return row ? (await withActions(this.workflows.manager, [row]))[0] : null;
  }

  countForProject(projectId: number): Promise<number> {
    return this.workflows.countBy({ projectId });
  }

  /** A new workflow with its actions, under the project's row lock (which caps their number). */
  createWorkflow(
    projectId: number,
    createdBy: number,
    fields: WorkflowFields,
    actions: WorkflowActionFields[],
    countBelow: (count: number) => void,
  ): Promise<number> {
    return this.locks.transaction(async (manager) => {
      await this.locks.lock(manager, Project, projectId);
      countBelow(await manager.countBy(TaskWorkflow, { projectId }));
      const workflow = await manager.save(
        TaskWorkflow,
        manager.create(TaskWorkflow, { ...fields, projectId, createdBy }),
      );
      await insertActions(manager, workflow.id, actions);
      return workflow.id;
    });
  }

  /** Changes a workflow; `actions`, when given, replace its actions. */
  updateWorkflow(
    id: number,
    fields: Partial<WorkflowFields>,
    actions: WorkflowActionFields[] | undefined,
  ): Promise<void> {
    return this.locks.transaction(async (manager) => {
      // updatedAt moves with every change, the actions' too.
      await manager.update(TaskWorkflow, { id }, { ...fields, updatedAt: new Date() });
      if (actions) {
        await manager.delete(TaskWorkflowAction, { workflowId: id });
        await insertActions(manager, id, actions);
      }
    });
  }

  deleteWorkflow(id: number): Promise<void> {
    return this.locks.transaction(async (manager) => {
      await manager.delete(TaskWorkflowAction, { workflowId: id });
      await manager.delete(TaskWorkflow, { id });
    });
  }

  /** With a project deleted for good, in its transaction. */
  async deleteAllOfProject(manager: EntityManager, projectId: number): Promise<void> {
    const rows = await manager.find(TaskWorkflow, { select: { id: true }, where: { projectId } });
    if (rows.length === 0) return;
    await manager.delete(TaskWorkflowAction, { workflowId: In(rows.map((row) => row.id)) });
    await manager.delete(TaskWorkflow, { projectId });
  }

  /**
   * The workflows that `happened` to a board task sets off, oldest first, read in the task
   * write's transaction: those of the task's stage and that event (of `assigned`, naming the
   * new assignee).
   */
  async setOff(
    manager: EntityManager,
    task: Pick<Task, 'stageId'>,
    happened: TaskEvent,
  ): Promise<WorkflowWithActions[]> {
    const rows = await manager.find(TaskWorkflow, {
      where: {
        stageId: task.stageId,
        event: happened.event,
        ...(happened.event === 'assigned' ? { memberId: happened.memberId } : {}),
      },
      order: { id: 'ASC' },
    });
    return withActions(manager, rows);
  }
}

async function withActions(
  manager: EntityManager,
  rows: TaskWorkflow[],
): Promise<WorkflowWithActions[]> {
  if (rows.length === 0) return [];
  const actions = await manager.find(TaskWorkflowAction, {
    where: { workflowId: In(rows.map((row) => row.id)) },
    order: { workflowId: 'ASC', sort: 'ASC' },
  });
  return rows.map((workflow) => ({
    workflow,
    actions: actions.filter((action) => action.workflowId === workflow.id),
  }));
}

async function insertActions(
  manager: EntityManager,
  workflowId: number,
  actions: WorkflowActionFields[],
): Promise<void> {
  await manager.insert(
    TaskWorkflowAction,
    actions.map((action, sort) => ({ ...action, workflowId, sort })),
  );
}
