import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import { TracedService } from '@/telemetry/traced-service';
import { BoardAccess } from './board-access';
import {
  MAX_PROJECT_WORKFLOWS,
  type CreateTaskWorkflowRequest,
  type UpdateTaskWorkflowRequest,
  type WorkflowActionRequest,
  type WorkflowTriggerRequest,
} from './dto/task-workflow.schemas';
import { taskWorkflowView } from './dto/task-workflow.views';
import { ProjectAccess } from './project-access';
import { RecentWrites } from './recent-writes';
import { StageRepository } from './stage.repository';
import {
  TaskWorkflowRepository,
  type WorkflowActionFields,
  type WorkflowFields,
} from './task-workflow.repository';

/**
 * A request body read once the caller may make the request: its checks (400) come after
 * theirs (404, 403), as a stranger learns nothing of a project by what its stages are.
 */
export type Deferred<T> = () => T;

/**
 * A project's task workflows ("task flow" in its settings): its members read them, its owner
 * writes them, as the project's other settings. They fire in the task writes (TaskRepository).
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class TaskWorkflowService {
  constructor(
    private readonly workflows: TaskWorkflowRepository,
    private readonly access: ProjectAccess,
    private readonly board: BoardAccess,
    private readonly stages: StageRepository,
    private readonly recentWrites: RecentWrites,
  ) {}

  async listWorkflows(memberId: number, projectId: number) {
    await this.access.require(memberId, projectId);
    const rows = await this.workflows.listForProject(projectId);
    return { items: rows.map(taskWorkflowView) };
  }

  async getWorkflow(memberId: number, workflowId: number) {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const found = await this.workflows.findWorkflow(workflowId);
    if (!found) throw Problem.notFound('task workflow not found');
    await this.access.require(memberId, found.workflow.projectId).catch(notFoundAsWorkflow);
    return taskWorkflowView(found);
  }

  async createWorkflow(
    memberId: number,
    projectId: number,
    read: Deferred<CreateTaskWorkflowRequest>,
  ) {
    ProjectAccess.writable(await this.access.require(memberId, projectId, 'owner'));
    const request = read();
    const fields = { name: request.name, ...(await this.trigger(projectId, request.trigger)) };
    const actions = await this.actions(projectId, request.actions);
    const id = await this.workflows.createWorkflow(
      projectId,
      memberId,
      fields,
      actions,
      (count) => {
        if (count >= MAX_PROJECT_WORKFLOWS) {
          throw Problem.failedPrecondition(
            `a project keeps at most ${MAX_PROJECT_WORKFLOWS} task workflows`,
            undefined,
            'too_many_workflows',
          );
        }
      },
    );
    await this.board.written(memberId);
    return this.getWorkflow(memberId, id);
  }

  async updateWorkflow(
    memberId: number,
    workflowId: number,
    read: Deferred<UpdateTaskWorkflowRequest>,
  ) {
    const { projectId } = await this.writable(memberId, workflowId);
    const request = read();
    const fields: Partial<WorkflowFields> = {};
    if (request.name !== undefined) fields.name = request.name;
    if (request.trigger !== undefined) {
      Object.assign(fields, await this.trigger(projectId, request.trigger));
    }
    const actions = request.actions && (await this.actions(projectId, request.actions));
    await this.workflows.updateWorkflow(workflowId, fields, actions);
    await this.board.written(memberId);
    return this.getWorkflow(memberId, workflowId);
  }

  async deleteWorkflow(memberId: number, workflowId: number): Promise<void> {
    await this.writable(memberId, workflowId);
    await this.workflows.deleteWorkflow(workflowId);
    await this.board.written(memberId);
  }

  /** A workflow the member may change: they own its project, which is out of the bin. */
  private async writable(memberId: number, workflowId: number) {
    await this.recentWrites.preferPrimaryIfRecent(memberId);
    const found = await this.workflows.findWorkflow(workflowId);
    if (!found) throw Problem.notFound('task workflow not found');
    const { projectId } = found.workflow;
    ProjectAccess.writable(
      await this.access.require(memberId, projectId, 'owner').catch(notFoundAsWorkflow),
    );
    return { projectId };
  }

  private async trigger(
    projectId: number,
    trigger: WorkflowTriggerRequest,
  ): Promise<Omit<WorkflowFields, 'name'>> {
    await this.projectStage(projectId, trigger.stageId, 'trigger.stageId');
    const memberId =
      trigger.memberId === undefined
        ? null
        : await this.board.projectMember(projectId, trigger.memberId, 'trigger.memberId');
    return { stageId: trigger.stageId, event: trigger.event, memberId };
  }

  private async actions(
    projectId: number,
    actions: WorkflowActionRequest[],
  ): Promise<WorkflowActionFields[]> {
    const checked: WorkflowActionFields[] = [];
    for (const [index, action] of actions.entries()) {
      const field = `actions.${index}`;
      if (action.stageId !== undefined) {
        await this.projectStage(projectId, action.stageId, `${field}.stageId`);
      }
      if (action.memberId !== undefined) {
        await this.board.projectMember(projectId, action.memberId, `${field}.memberId`);
      }
      checked.push({
        type: action.type,
        stageId: action.stageId ?? null,
        memberId: action.memberId ?? null,
      });
    }
    return checked;
  }

  private async projectStage(projectId: number, stageId: number, field: string): Promise<void> {
    const stage = await this.stages.findStage(stageId);
    if (stage?.projectId !== projectId) {
      throw Problem.invalid([{ field, message: 'not a stage of this project' }]);
    }
  }
}

/** Of a project the member is not in, a workflow looks unknown. */
function notFoundAsWorkflow(error: unknown): never {
  throw error instanceof Problem && error.status === 404
    ? Problem.notFound('task workflow not found')
    : error;
}
