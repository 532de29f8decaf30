import { z } from 'zod';
import { publicId } from '@/common/public-id';
import { boundedList, text } from '@/common/schema-types';
import { WORKFLOW_ACTION_TYPES, WORKFLOW_EVENTS } from '../entities';

/** The most workflows one project keeps. */
export const MAX_PROJECT_WORKFLOWS = 50;

/** What sets the workflow off: its stage, the event, and for `assigned` the member. */
export const workflowTrigger = z
  .strictObject({
    stageId: publicId('stage'),
    event: z.enum(WORKFLOW_EVENTS),
    memberId: publicId('member').optional(),
  })
  .superRefine((trigger, context) => {
    if (trigger.event === 'assigned' && trigger.memberId === undefined) {
      context.addIssue({ code: 'custom', path: ['memberId'], message: 'required for assigned' });
    }
    if (trigger.event !== 'assigned' && trigger.memberId !== undefined) {
      context.addIssue({ code: 'custom', path: ['memberId'], message: 'only for assigned' });
    }
  });

/** One action: `move` names a stage, `assign` a member, `done` and `undone` nothing. */
export const workflowAction = z
  .strictObject({
    type: z.enum(WORKFLOW_ACTION_TYPES),
    stageId: publicId('stage').optional(),
    memberId: publicId('member').optional(),
  })
  .superRefine((action, context) => {
    const needs = { move: 'stageId', assign: 'memberId', done: null, undone: null }[action.type];
    for (const field of ['stageId', 'memberId'] as const) {
      if (field === needs && action[field] === undefined) {
        context.addIssue({ code: 'custom', path: [field], message: `required for ${action.type}` });
      }
      if (field !== needs && action[field] !== undefined) {
        context.addIssue({ code: 'custom', path: [field], message: `not for ${action.type}` });
      }
    }
  });

/** Each kind of action at most once, and not both done and undone. */
export const workflowActions = boundedList(workflowAction, 3, 1).superRefine((actions, context) => {
  const types = actions.map((action) => (action.type === 'undone' ? 'done' : action.type));
  if (new Set(types).size !== types.length) {
    context.addIssue({
      code: 'custom',
      message: 'each of move, assign and done/undone at most once',
    });
  }
});

export const workflowName = text({ max: 100, required: true });

export const createTaskWorkflowRequest = z.strictObject({
  name: workflowName,
  trigger: workflowTrigger,
  actions: workflowActions,
});

export const updateTaskWorkflowRequest = z
  .strictObject({
    name: workflowName.optional(),
    trigger: workflowTrigger.optional(),
    actions: workflowActions.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export type WorkflowTriggerRequest = z.infer<typeof workflowTrigger>;
export type WorkflowActionRequest = z.infer<typeof workflowAction>;
export type CreateTaskWorkflowRequest = z.infer<typeof createTaskWorkflowRequest>;
export type UpdateTaskWorkflowRequest = z.infer<typeof updateTaskWorkflowRequest>;
