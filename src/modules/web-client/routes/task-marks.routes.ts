import { z } from 'zod';
import { clientRoute, flag, subjectCode } from '../client-route';
import { clientTask } from '../client-views';

const TASK_DATA = "a task's data, under its project's membership";

/** The task detail's like button and its star (collect) menu item. */
export const TASK_MARK_ROUTES = [
  clientRoute({
    path: 'project/task/like',
    summary: 'Like a task (like 1) or take the like back (like 0)',
    uses: 'TaskService.setLiked',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task'), like: flag }),
    async handle({ params, memberId, services, timeZone }) {
      return clientTask(
        await services.tasks.setLiked(memberId, params.taskCode, params.like),
        timeZone,
      );
    },
  }),
  clientRoute({
    path: 'project/task/star',
    summary: "Star a task into the member's collection (star 1) or take it out (star 0)",
    uses: 'TaskService.setStarred',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task'), star: flag }),
    async handle({ params, memberId, services, timeZone }) {
      return clientTask(
        await services.tasks.setStarred(memberId, params.taskCode, params.star),
        timeZone,
      );
    },
  }),
];
