import { z } from 'zod';
import { decodeId } from '@/common/public-id';
import { MAX_BATCH_TASKS } from '@/modules/project/dto/project.schemas';
import { clientRoute, code, jsonList, subjectCode } from '../client-route';

const TASK_DATA = "a task's data, under its project's membership";

export const TASK_BATCH_ROUTES = [
  clientRoute({
    path: 'project/task/batchAssignTask',
    summary: `Give every task of taskCodes (a JSON list, at most ${MAX_BATCH_TASKS}, of one project) to the project member executorCode: all of them or none`,
    uses: 'TaskService.getTask, TaskService.assignTasks',
    status: 'full',
    note: 'every task is checked before any changes, in one transaction; each new assignee is notified, as through PATCH /api/v1/tasks/:id',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({
      taskCodes: jsonList(code('task'), MAX_BATCH_TASKS),
      executorCode: code('member'),
    }),
    async handle({ params, memberId, services }) {
      if (params.taskCodes.length === 0) return { assigned: 0 };
      // The project is the first task's: a task of another one is refused by the batch.
      const first = await services.tasks.getTask(memberId, params.taskCodes[0]);
      return services.tasks.assignTasks(memberId, decodeId(first.projectId, 'project'), {
        taskIds: params.taskCodes,
        assigneeId: params.executorCode,
      });
    },
  }),
  clientRoute({
    path: 'project/task/recycleBatch',
    summary: "Move every task of a stage (stageCode) to its project's recycle bin: all or none",
    uses: 'TaskBinService.recycleStage',
    status: 'full',
    note: `the tasks the caller sees, in one transaction; a stage of more than ${MAX_BATCH_TASKS} tasks is refused, nothing moved`,
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ stageCode: subjectCode('stage') }),
    async handle({ params, memberId, services }) {
      return services.taskBin.recycleStage(memberId, params.stageCode);
    },
  }),
];
