import { z } from 'zod';
import { Problem } from '@/common/problem';
import { decodeId, encodeId } from '@/common/public-id';
import { text } from '@/common/schema-types';
import type { UpdateTaskRequest } from '@/modules/project/dto/project.schemas';
import { EXECUTION_STATUSES } from '@/modules/project/task-tree';
import { clientInstant } from '../client-time';
import {
  clientRoute,
  code,
  flag,
  formInt,
  formPage,
  optionalCode,
  optionalSubjectCode,
  subjectCode,
} from '../client-route';
import {
  clientInviteCandidate,
  clientPage,
  clientProjectMember,
  clientStage,
  clientTask,
} from '../client-views';
import type { WebClientCall } from '../web-client-call';
import type { WebClientServices } from '../web-client-services';

const TASK_DATA = "a task's data, under its project's membership";
const PROJECT_DATA = "a project's data, under its membership";

const PAGE = 100;
/** Project members looked through for the invite dialog: 500. */
const MAX_MEMBER_PAGES = 5;

/** The most stages a project shows at once: its whole board. */
const MAX_STAGES = 200;

/** Every stage of a project, in board order. */
async function allStages(services: WebClientServices, memberId: number, projectId: number) {
  const page = await services.stages.listStages(memberId, projectId, {
    page: 1,
    pageSize: MAX_STAGES,
  });
  return page.items;
}

export const BOARD_ROUTES = [
  clientRoute({
    path: 'project/task/taskDone',
    summary: 'Mark a task done (done 1) or not done (done 0)',
    uses: 'TaskService.setDone',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task'), done: flag }),
    async handle({ params, memberId, services, timeZone }) {
      const task = await services.tasks.setDone(memberId, params.taskCode, params.done);
      return clientTask(task, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task/edit',
    summary:
      'Change a task: name, description, pri (0-2), begin_time, end_time (YYYY-MM-DD HH:mm, empty clears), status (0-4), work_time (estimated hours, empty or 0 clears)',
    uses: 'TaskService.updateTask',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({
      taskCode: subjectCode('task'),
      name: text({ max: 200, required: true }).optional(),
      description: text({ max: 20_000, multiline: true }).optional(),
      pri: formInt({ min: 0, max: 2 }).optional(),
      begin_time: z.string().max(30).optional(),
      end_time: z.string().max(30).optional(),
      status: formInt({ min: 0, max: EXECUTION_STATUSES.length - 1 }).optional(),
      work_time: z
        .string()
        .regex(/^(\d{1,4}(\.\d{1,2})?)?$/, 'must be hours: at most 9999.99, two decimals')
        .meta({ examples: ['12.5'] })
        .transform((value) => (value === '' || Number(value) === 0 ? null : Number(value)))
        .optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      // A task that is not there, or is in the recycle bin (read-only), is "not found" before
      // any bad field, as an edit of it is.
      const current = await services.tasks.getTask(memberId, params.taskCode);
      if (current.deleted) throw Problem.notFound('task not found');
      const changes: UpdateTaskRequest = {};
      if (params.name !== undefined) changes.name = params.name;
      if (params.description !== undefined) changes.description = params.description || null;
      if (params.pri !== undefined) changes.priority = params.pri;
      if (params.begin_time !== undefined) {
        changes.beginAt = clientInstant('begin_time', params.begin_time, timeZone);
      }
      if (params.end_time !== undefined) {
        changes.endAt = clientInstant('end_time', params.end_time, timeZone);
      }
      if (params.status !== undefined) changes.executionStatus = EXECUTION_STATUSES[params.status];
      if (params.work_time !== undefined) changes.estimatedHours = params.work_time;
      const task = Object.keys(changes).length
        ? await services.tasks.updateTask(memberId, params.taskCode, changes)
        : current;
      return clientTask(task, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task/recycle',
    summary: "Move a task to its project's recycle bin",
    uses: 'TaskBinService.recycle',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task') }),
    async handle({ params, memberId, services, timeZone }) {
      return clientTask(await services.taskBin.recycle(memberId, params.taskCode), timeZone);
    },
  }),
  clientRoute({
    path: 'project/task/recovery',
    summary: "Restore a task from the recycle bin (its creator or the project's owner)",
    uses: 'TaskBinService.restore',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task') }),
    async handle({ params, memberId, services, timeZone }) {
      return clientTask(await services.taskBin.restore(memberId, params.taskCode), timeZone);
    },
  }),
  clientRoute({
    path: 'project/task/delete',
    summary: "Delete a recycled task for good (its creator or the project's owner)",
    uses: 'TaskBinService.deleteForGood',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task') }),
    async handle({ params, memberId, services }) {
      await services.taskBin.deleteForGood(memberId, params.taskCode);
      return [];
    },
  }),
  clientRoute({
    path: 'project/task_stages/save',
    summary: "Add a stage at the end of a project's board (owner only)",
    uses: 'StageService.createStage',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      projectCode: subjectCode('project'),
      name: text({ max: 50, required: true }),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const stage = await services.stages.createStage(memberId, params.projectCode, {
        name: params.name,
      });
      return clientStage(stage, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task_stages/edit',
    summary: 'Rename a stage (owner only)',
    uses: 'StageService.updateStage',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ stageCode: subjectCode('stage'), name: text({ max: 50, required: true }) }),
    async handle({ params, memberId, services, timeZone }) {
      const stage = await services.stages.updateStage(memberId, params.stageCode, {
        name: params.name,
      });
      return clientStage(stage, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task_stages/delete',
    summary: 'Delete a stage that has no tasks left (owner only)',
    uses: 'StageService.deleteStage',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ code: subjectCode('stage') }),
    async handle({ params, memberId, services }) {
      await services.stages.deleteStage(memberId, params.code);
      return [];
    },
  }),
  clientRoute({
    path: 'project/task_stages/sort',
    summary:
      'Move a stage (preCode) in front of another (nextCode) or to the end of the board (owner only)',
    uses: 'StageService.listStages, StageService.reorderStages',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      projectCode: subjectCode('project'),
      preCode: code('stage'),
      nextCode: optionalCode('stage'),
    }),
    async handle({ params, memberId, services, timeZone }) {
      // The service's rule first: only the owner reorders, whatever the codes name.
      await services.projectAccess.require(memberId, params.projectCode, 'owner');
      const ids = (await allStages(services, memberId, params.projectCode)).map((stage) =>
        decodeId(stage.id, 'stage'),
      );
      if (!ids.includes(params.preCode)) {
        throw Problem.invalid([{ field: 'preCode', message: 'not a stage of this project' }]);
      }
      const order = ids.filter((id) => id !== params.preCode);
      const at = params.nextCode === undefined ? -1 : order.indexOf(params.nextCode);
      if (params.nextCode !== undefined && at < 0) {
        throw Problem.invalid([{ field: 'nextCode', message: 'not a stage of this project' }]);
      }
      order.splice(at < 0 ? order.length : at, 0, params.preCode);
      const page = await services.stages.reorderStages(memberId, params.projectCode, order);
      return page.items.map((stage) => clientStage(stage, timeZone));
    },
  }),
  clientRoute({
    path: 'project/task_stages/_getAll',
    summary: "A project's stages in board order, all at once",
    uses: 'StageService.listStages',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services, timeZone }) {
      const stages = await allStages(services, memberId, params.projectCode);
      return stages.map((stage) => clientStage(stage, timeZone));
    },
  }),
  clientRoute({
    path: 'project/project_member/inviteMember',
    summary: 'Add a member to a project; they are notified (owner only)',
    uses: 'ProjectService.addMember',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project'), memberCode: code('member') }),
    async handle({ params, memberId, services, timeZone }) {
      const row = await services.projects.addMember(
        memberId,
        params.projectCode,
        params.memberCode,
      );
      return clientProjectMember(row, timeZone);
    },
  }),
  clientRoute({
    path: 'project/project_member/removeMember',
    summary: 'Take a member out of a project, never its owner (owner only)',
    uses: 'ProjectService.removeMember',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project'), memberCode: code('member') }),
    async handle({ params, memberId, services }) {
      await services.projects.removeMember(memberId, params.projectCode, params.memberCode);
      return { memberCode: encodeId(params.memberCode, 'member') };
    },
  }),
  clientRoute({
    path: 'project/task',
    summary:
      "A task's child tasks (pcode), oldest first (of a task in the recycle bin, those that went in with it), deleted 1: those recycled on their own; or, with projectCode and deleted 1, the project's recycle bin of tasks (the board's 回收站), newest recycled first",
    uses: 'TaskService.listChildTasks, TaskBinService.listRecycled',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({
      pcode: optionalSubjectCode('task'),
      projectCode: optionalSubjectCode('project'),
      deleted: formInt({ min: 0, max: 1 }).optional(),
      ...formPage,
    }),
    async handle({ params, memberId, services, timeZone }) {
      const paging = { page: params.page, pageSize: params.pageSize };
      if (params.pcode !== undefined) {
        const page = await services.tasks.listChildTasks(memberId, params.pcode, {
          recycled: params.deleted === 1,
          ...paging,
        });
        return clientPage(page, (task) => clientTask(task, timeZone));
      }
      // Without a parent, only the recycle bin is listed (the board itself is task_stages/tasks).
      if (params.projectCode === undefined || params.deleted !== 1) {
        throw Problem.invalid([{ field: 'pcode', message: 'required' }]);
      }
      const page = await services.taskBin.listRecycled(memberId, params.projectCode, paging);
      return clientPage(page, (task) => clientTask(task, timeZone));
    },
  }),
  clientRoute({
    path: 'project/project_member/_listForInvite',
    summary:
      "The invite dialog: the current organization's active accounts, joined 1 for the project's members",
    uses: 'ProjectService.members, AccountService.list',
    status: 'full',
    note: 'the first 100 accounts and 500 project members',
    scope: { orgPermission: 'project/account/index' },
    params: z.object({ projectCode: subjectCode('project') }),
    handle: (call) => inviteCandidates(call, undefined),
  }),
  clientRoute({
    path: 'project/project_member/searchInviteMember',
    summary:
      "The invite dialog's search: the current organization's active accounts matching keyword, joined 1 for the project's members",
    uses: 'ProjectService.members, AccountService.list',
    status: 'full',
    note: 'keyword as in project/account: part of a name or account name, or a whole email; the first 100 matches',
    scope: { orgPermission: 'project/account/index' },
    params: z.object({
      projectCode: subjectCode('project'),
      keyword: text({ max: 50, required: true }),
    }),
    handle: (call) => inviteCandidates(call, call.params.keyword),
  }),
];

/** The organization's active accounts to invite into a project (matching keyword), its members marked. */
async function inviteCandidates(
  { params, memberId, services, organization }: WebClientCall<{ projectCode: number }>,
  keyword: string | undefined,
) {
  const joined = new Set<string>();
  for (let page = 1; page <= MAX_MEMBER_PAGES; page++) {
    const found = await services.projects.members(memberId, params.projectCode, {
      page,
      pageSize: PAGE,
    });
    for (const row of found.items) joined.add(row.member.id);
    if (page * PAGE >= found.total) break;
  }
  const accounts = await services.accounts.list(memberId, await organization(), {
    status: 'active',
    keyword,
    page: 1,
    pageSize: PAGE,
  });
  return accounts.items.map((account) =>
    clientInviteCandidate(account, joined.has(account.member.id)),
  );
}
