import { z } from 'zod';
import type { TaskTreeNode } from '@/modules/project/task.service';
import { clientRoute, subjectCode } from '../client-route';
import { clientStage, clientTask } from '../client-views';

const TASK_DATA = "a task's data, under its project's membership";

/** A row of the table view: a task with `type` and its child tasks under `tasks`. */
function clientTreeTask(node: TaskTreeNode, zone: string): Record<string, unknown> {
  return {
    ...clientTask(node.task, zone),
    type: 'task',
    tasks: node.children.map((child) => clientTreeTask(child, zone)),
  };
}

/** The project's table view (components/project/taskTable.vue). */
export const TASK_TREE_ROUTES = [
  clientRoute({
    path: 'project/task_stages/taskTree',
    summary:
      "A project's stages (type stage), each with its tasks under tasks (type task) and their child tasks under theirs, as the member sees them",
    uses: 'TaskService.taskTree',
    status: 'full',
    note: 'at most 2000 tasks',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services, timeZone }) {
      const tree = await services.tasks.taskTree(memberId, params.projectCode);
      return tree.stages.map(({ stage, tasks }) => ({
        ...clientStage(stage, timeZone),
        type: 'stage',
        tasks: tasks.map((node) => clientTreeTask(node, timeZone)),
      }));
    },
  }),
];
