import { z } from 'zod';
import {
  workflowActions,
  workflowName,
  workflowTrigger,
} from '@/modules/project/dto/task-workflow.schemas';
import type { TaskWorkflowView } from '@/modules/project/dto/task-workflow.views';
import type { WorkflowActionType, WorkflowEvent } from '@/modules/project/entities';
import { ZodValidationPipe } from '@/common/zod-validation';
import { clientRoute, subjectCode } from '../client-route';
import { clientTime } from '../client-time';

const PROJECT_DATA = "a project's own rules apply: its members, some operations only its owner";

/** The trigger events by the number the settings screen gives them. */
const EVENTS: readonly WorkflowEvent[] = ['enter', 'done', 'undone', 'assigned'];
/** The screen's result numbers: 0 moves the task, 3 assigns it. */
const MOVE = 0;
const ASSIGN = 3;
/** The screen's task states: 1 done, 2 not done (-1 leaves it). */
const STATE_DONE = 1;
const STATE_UNDONE = 2;

/** An action as the domain's schema reads it, its codes still to decode. */
interface ClientAction {
  type: WorkflowActionType;
  stageId?: string;
  memberId?: string;
}

const step = z.object({
  action: z.number().int(),
  value: z.union([z.string().max(40), z.number()]).optional(),
});

/**
 * The settings screen's rule (`taskWorkflowRules`, JSON): the stage (`firstObj`), the event
 * (`firstAction`: 0 created or moved in, 1 done, 2 reopened, 3 given to the member of its
 * `value`), the first result (`firstResult`: 0 move to the stage, 3 assign to the member of
 * its `value`), the other one (`lastResult`, when it has a value) and the state (`state`: 1
 * done, 2 not done), as the workflow's trigger and actions.
 */
const clientRules = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    }
  })
  .pipe(
    z.object({
      firstObj: z.string().max(40),
      firstAction: step,
      firstResult: step,
      lastResult: step.optional(),
      state: z.object({ value: z.number().int() }).optional(),
    }),
  )
  .transform((rules, context) => {
    const event = EVENTS[rules.firstAction.action];
    if (event === undefined) {
      context.addIssue({ code: 'custom', path: ['firstAction'], message: 'unknown condition' });
      return z.NEVER;
    }
    const code = (value: string | number | undefined) => (value === undefined ? '' : `${value}`);
    const result = ({ action, value }: z.infer<typeof step>, path: string): ClientAction => {
      if (action === MOVE) return { type: 'move', stageId: code(value) };
      if (action === ASSIGN) return { type: 'assign', memberId: code(value) };
      context.addIssue({ code: 'custom', path: [path], message: 'unknown result' });
      return { type: 'move' };
    };
    const actions: ClientAction[] = [result(rules.firstResult, 'firstResult')];
    if (rules.lastResult?.value) actions.push(result(rules.lastResult, 'lastResult'));
    if (rules.state?.value === STATE_DONE) actions.push({ type: 'done' });
    if (rules.state?.value === STATE_UNDONE) actions.push({ type: 'undone' });
    if (context.issues.length > 0) return z.NEVER;
    const trigger = { stageId: rules.firstObj, event };
    return {
      trigger:
        event === 'assigned' ? { ...trigger, memberId: code(rules.firstAction.value) } : trigger,
      actions,
    };
  })
  // The domain's own checks: codes of the kinds named, each kind of action once.
  .pipe(z.strictObject({ trigger: workflowTrigger, actions: workflowActions }));

/** The rule's JSON text, read once the caller may save it (see TaskWorkflowService). */
const rulesText = z.string().max(4000).meta({ contentMediaType: 'application/json' });

/** The screen's form as the domain's request: name and rule, named by their form fields. */
const clientWorkflow = z.object({ taskWorkflowName: workflowName, taskWorkflowRules: clientRules });

function readClientWorkflow(form: { taskWorkflowName: string; taskWorkflowRules: string }) {
  const { taskWorkflowName, taskWorkflowRules } = new ZodValidationPipe(clientWorkflow).transform(
    form,
  );
  return { name: taskWorkflowName, ...taskWorkflowRules };
}

/** A workflow in the settings screen's list: it reads `code` and `name`. */
function clientTaskWorkflow(workflow: TaskWorkflowView, zone: string) {
  return {
    id: workflow.id,
    code: workflow.id,
    name: workflow.name,
    project_code: workflow.projectId,
    create_time: clientTime(workflow.createdAt, zone),
    update_time: clientTime(workflow.updatedAt, zone),
  };
}

/**
 * A workflow as the original's rule rows, by `sort`: 1 the stage, 2 the event (its number in
 * `action`, the member in `object_code`), then the move and the assignment (`action` 0 or 3),
 * then the state (`action` 1 or 2, no `object_code`).
 */
function clientWorkflowRules(workflow: TaskWorkflowView) {
  const { trigger } = workflow;
  const rows = [
    { action: 0, object_code: trigger.stageId },
    { action: EVENTS.indexOf(trigger.event), object_code: trigger.memberId ?? '' },
  ];
  for (const action of workflow.actions) {
    if (action.type === 'move') rows.push({ action: MOVE, object_code: action.stageId ?? '' });
    if (action.type === 'assign') {
      rows.push({ action: ASSIGN, object_code: action.memberId ?? '' });
    }
  }
  for (const action of workflow.actions) {
    if (action.type === 'done') rows.push({ action: STATE_DONE, object_code: '' });
    if (action.type === 'undone') rows.push({ action: STATE_UNDONE, object_code: '' });
  }
  return rows.map((row, index) => ({
    ...row,
    type: 0,
    sort: index + 1,
    workflow_code: workflow.id,
  }));
}

/** The project settings' task workflows ("task flow"): list, rules, add, edit, delete. */
export const TASK_WORKFLOW_ROUTES = [
  clientRoute({
    path: 'project/task_workflow',
    summary: "A project's task workflows, oldest first",
    uses: 'TaskWorkflowService.listWorkflows',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services, timeZone }) {
      const { items } = await services.taskWorkflows.listWorkflows(memberId, params.projectCode);
      return items.map((workflow) => clientTaskWorkflow(workflow, timeZone));
    },
  }),
  clientRoute({
    path: 'project/task_workflow/_getTaskWorkflowRules',
    summary: "A task workflow's rules as the settings screen reads them back, in order",
    uses: 'TaskWorkflowService.getWorkflow',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ taskWorkflowCode: subjectCode('taskWorkflow') }),
    async handle({ params, memberId, services }) {
      return clientWorkflowRules(
        await services.taskWorkflows.getWorkflow(memberId, params.taskWorkflowCode),
      );
    },
  }),
  clientRoute({
    path: 'project/task_workflow/save',
    summary: "Add a task workflow from the settings screen's rule (owner only)",
    uses: 'TaskWorkflowService.createWorkflow',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      projectCode: subjectCode('project'),
      taskWorkflowName: z.string().max(100),
      taskWorkflowRules: rulesText,
    }),
    async handle({ params, memberId, services, timeZone }) {
      const workflow = await services.taskWorkflows.createWorkflow(
        memberId,
        params.projectCode,
        () => readClientWorkflow(params),
      );
      return clientTaskWorkflow(workflow, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task_workflow/edit',
    summary: 'Rename a task workflow and replace its rule (owner only)',
    uses: 'TaskWorkflowService.updateWorkflow',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      taskWorkflowCode: subjectCode('taskWorkflow'),
      taskWorkflowName: z.string().max(100),
      taskWorkflowRules: rulesText,
    }),
    async handle({ params, memberId, services, timeZone }) {
      const workflow = await services.taskWorkflows.updateWorkflow(
        memberId,
        params.taskWorkflowCode,
        () => readClientWorkflow(params),
      );
      return clientTaskWorkflow(workflow, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task_workflow/delete',
    summary: 'Delete a task workflow (owner only)',
    uses: 'TaskWorkflowService.deleteWorkflow',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ taskWorkflowCode: subjectCode('taskWorkflow') }),
    async handle({ params, memberId, services }) {
      await services.taskWorkflows.deleteWorkflow(memberId, params.taskWorkflowCode);
      return [];
    },
  }),
];
