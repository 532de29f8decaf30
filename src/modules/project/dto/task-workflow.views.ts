import { encodeId } from '@/common/public-id';
import type { WorkflowWithActions } from '../task-workflow.repository';

const optionalId = (id: number | null, kind: 'stage' | 'member') =>
  id === null ? null : encodeId(id, kind);

/** A task workflow: its trigger and its actions in order. */
export function taskWorkflowView({ workflow, actions }: WorkflowWithActions) {
  return {
    id: encodeId(workflow.id, 'taskWorkflow'),
    projectId: encodeId(workflow.projectId, 'project'),
    name: workflow.name,
    trigger: {
      stageId: encodeId(workflow.stageId, 'stage'),
      event: workflow.event,
      memberId: optionalId(workflow.memberId, 'member'),
    },
    actions: actions.map((action) => ({
      type: action.type,
      stageId: optionalId(action.stageId, 'stage'),
      memberId: optionalId(action.memberId, 'member'),
    })),
    createdBy: encodeId(workflow.createdBy, 'member'),
    createdAt: new Date(workflow.createdAt).toISOString(),
    updatedAt: new Date(workflow.updatedAt).toISOString(),
  };
}

export type TaskWorkflowView = ReturnType<typeof taskWorkflowView>;
