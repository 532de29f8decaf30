import { z } from 'zod';
import { clientRoute, flag, subjectCode } from '../client-route';
import { clientTask } from '../client-views';

const TASK_DATA = "a task's data, under its project's membership";

/** Who is on a task, and who sees it. */
export const TASK_MEMBER_ROUTES = [
  clientRoute({
    path: 'project/task/setPrivate',
    summary:
      'Make a task private (private 1: seen only by its creator, its assignee and its task members) or open to the project again (0)',
    uses: 'TaskService.updateTask',
    status: 'full',
    note: 'only those on the task (creator, assignee, task members) change it: anyone else would hide it from themselves',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task'), private: flag }),
    async handle({ params, memberId, services, timeZone }) {
      const task = await services.tasks.updateTask(memberId, params.taskCode, {
        private: params.private,
      });
      return clientTask(task, timeZone);
    },
  }),
];
