import { z } from 'zod';
import { Problem } from '@/common/problem';
import { decodeId } from '@/common/public-id';
import { clientRoute, code, jsonList, subjectCode } from '../client-route';

const TASK_DATA = "a task's data, under its project's membership";

/** The most tasks one batch call changes. */
export const MAX_BATCH_TASKS = 100;

/** Pages of a stage's tasks read to gather a batch. */
const PAGE_SIZE = 100;

export const TASK_BATCH_ROUTES = [
  clientRoute({
    path: 'project/task/batchAssignTask',
    summary:
      'Give every task of taskCodes (a JSON list, at most 100, of one project) to the project member executorCode',
    uses: 'TaskService.getTask, TaskService.updateTask',
    status: 'full',
    note: 'every task is read before any changes; each new assignee is notified, as through PATCH /api/v1/tasks/:id',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({
      taskCodes: jsonList(code('task'), MAX_BATCH_TASKS),
      executorCode: code('member'),
    }),
    async handle({ params, memberId, services }) {
      const taskIds = [...new Set(params.taskCodes)];
      const tasks = [];
      for (const taskId of taskIds) tasks.push(await services.tasks.getTask(memberId, taskId));
      if (new Set(tasks.map((task) => task.projectId)).size > 1) {
        throw Problem.invalid([{ field: 'taskCodes', message: 'tasks of one project only' }]);
      }
      for (const taskId of taskIds) {
        await services.tasks.updateTask(memberId, taskId, { assigneeId: params.executorCode });
      }
      return { assigned: taskIds.length };
    },
  }),
  clientRoute({
    path: 'project/task/recycleBatch',
    summary: "Move every task of a stage (stageCode) to its project's recycle bin",
    uses: 'TaskService.listTasks, TaskBinService.recycle',
    status: 'full',
    note: `a stage of more than ${MAX_BATCH_TASKS} tasks is refused, nothing moved`,
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ stageCode: subjectCode('stage') }),
    async handle({ params, memberId, services }) {
      const first = await services.tasks.listTasks(memberId, params.stageCode, {
        page: 1,
        pageSize: PAGE_SIZE,
      });
      if (first.total > MAX_BATCH_TASKS) {
        throw Problem.failedPrecondition(
          `the stage holds more than ${MAX_BATCH_TASKS} tasks: move them a few at a time`,
          'stageCode',
          'batch_too_large',
        );
      }
      for (const task of first.items) {
        await services.taskBin.recycle(memberId, decodeId(task.id, 'task'));
      }
      return { recycled: first.items.length };
    },
  }),
];
