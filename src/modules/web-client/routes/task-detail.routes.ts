import { z } from 'zod';
import { clientRoute, optionalCode, subjectCode } from '../client-route';
import { clientTask, clientWorkTime } from '../client-views';
import { workTimeForm, workTimeOf } from '../client-work-time';

const TASK_DATA = "a task's data, under its project's membership";

export const TASK_DETAIL_ROUTES = [
  clientRoute({
    path: 'project/task/assignTask',
    summary: "Give a task to a project member (executorCode), or to nobody ('')",
    uses: 'TaskService.updateTask',
    status: 'full',
    note: 'the new assignee is notified, as through PATCH /api/v1/tasks/:id',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({
      taskCode: subjectCode('task'),
      executorCode: optionalCode('member'),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const task = await services.tasks.updateTask(memberId, params.taskCode, {
        assigneeId: params.executorCode ?? null,
      });
      return clientTask(task, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task/editTaskWorkTime',
    summary:
      'Change logged work time (code): num hours, beginTime, content. Its author or the project owner only',
    uses: 'WorkTimeService.updateWorkTime',
    status: 'full',
    note: 'the entry names its task: taskCode is not read; an empty content clears it',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ code: subjectCode('workTime'), ...workTimeForm }),
    async handle({ params, memberId, services, timeZone }) {
      const { description, ...change } = workTimeOf(params, timeZone);
      const entry = await services.workTimes.updateWorkTime(memberId, params.code, {
        ...change,
        description: description ?? null,
      });
      return clientWorkTime(entry, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task/delTaskWorkTime',
    summary: 'Delete logged work time (code). Its author or the project owner only',
    uses: 'WorkTimeService.deleteWorkTime',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ code: subjectCode('workTime') }),
    async handle({ params, memberId, services }) {
      await services.workTimes.deleteWorkTime(memberId, params.code);
      return '';
    },
  }),
  clientRoute({
    path: 'project/source_link/delete',
    summary:
      "Unlink a file from its task (sourceCode, from project/task/taskSources): it goes to the project's recycle bin. Its uploader or the project owner only",
    uses: 'FileService.deleteFile',
    status: 'full',
    note: 'a file belongs to one task: unlinked, it is in the recycle bin (the project owner restores it)',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ sourceCode: subjectCode('file') }),
    async handle({ params, memberId, services }) {
      await services.files.deleteFile(memberId, params.sourceCode);
      return '';
    },
  }),
];
