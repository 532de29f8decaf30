import { z } from 'zod';
import { Problem } from '@/common/problem';
import { decodeId } from '@/common/public-id';
import { text } from '@/common/schema-types';
import { MAX_MENTIONS, type TaskView } from '@/modules/project/dto/project.schemas';
import { workTimeOf, workTimeForm } from '../client-work-time';
import type { WebClientServices } from '../web-client-services';
import {
  clientRoute,
  code,
  formPage,
  optionalSubjectCode,
  jsonList,
  onlyNotFound,
  optionalCode,
  subjectCode,
} from '../client-route';
import {
  clientActivity,
  clientPage,
  clientStage,
  clientTask,
  clientTaskMember,
  clientWorkTime,
} from '../client-views';

const TASK_DATA = "a task's data, under its project's membership";
const OWN = "the member's own tasks";

/** The most tasks one stage answers with (the client asks for a whole column). */
const MAX_STAGE_TASKS = 1000;
const PAGE = 100;
/** Members looked through for mentioned names: 500, more than any board shows. */
const MAX_MEMBER_PAGES = 5;

const VIEW_BY_TASK_TYPE: Record<string, TaskView> = {
  '1': 'assigned',
  '2': 'participating',
  '3': 'created',
};

const badField = (field: string, message: string) => Problem.invalid([{ field, message }]);

/**
 * The members a comment's mentions name. The client sends the text after each `@` (a task
 * member's name as it inserted it, or anything typed after an `@`): each names the project's
 * members of that name; a member code names its member. Texts that name nobody are ignored.
 */
async function mentionedMembers(
  services: WebClientServices,
  memberId: number,
  taskId: number,
  mentions: string[],
): Promise<number[]> {
  const task = await services.tasks.getTask(memberId, taskId);
  const projectId = decodeId(task.projectId, 'project');
  const byName = new Map<string, string[]>();
  for (let page = 1; page <= MAX_MEMBER_PAGES; page++) {
    const found = await services.projects.members(memberId, projectId, { page, pageSize: PAGE });
    for (const { member } of found.items) {
      byName.set(member.name, [...(byName.get(member.name) ?? []), member.id]);
    }
    if (page * PAGE >= found.total) break;
  }
  const ids = new Set<number>();
  for (const mention of mentions) {
    const asCode = mention.length <= 40 ? tryDecode(mention) : undefined;
    if (asCode !== undefined) ids.add(asCode);
    const named = namedAtStart(mention.trim(), byName);
    for (const id of named ? byName.get(named)! : []) ids.add(decodeId(id, 'member'));
  }
  return [...ids].slice(0, MAX_MENTIONS);
}

/**
 * The member name a mention starts with: the whole text, or the longest name followed by a
 * space or punctuation (the client sends everything typed after the `@`: "李四 请看一下").
 */
function namedAtStart(text: string, names: Map<string, string[]>): string | undefined {
  if (names.has(text)) return text;
  let found: string | undefined;
  for (const name of names.keys()) {
    if (!name || !text.startsWith(name) || (found && found.length >= name.length)) continue;
    if (/^[\s\p{P}]/u.test(text.slice(name.length))) found = name;
  }
  return found;
}

function tryDecode(value: string): number | undefined {
  try {
    return decodeId(value, 'member');
  } catch {
    return undefined;
  }
}

export const TASK_ROUTES = [
  clientRoute({
    path: 'project/task_stages',
    summary: "A project's stages in board order, each with the task arrays the board fills",
    uses: 'StageService.listStages',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ projectCode: subjectCode('project'), ...formPage }),
    async handle({ params, memberId, services, timeZone }) {
      const page = await services.stages.listStages(memberId, params.projectCode, params);
      return clientPage(page, (stage) => clientStage(stage, timeZone));
    },
  }),
  clientRoute({
    path: 'project/task_stages/tasks',
    summary: "A stage's tasks, in board order",
    uses: 'TaskService.listTasks',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ stageCode: subjectCode('stage') }),
    async handle({ params, memberId, services, timeZone }) {
      const tasks = [];
      for (let page = 1; tasks.length < MAX_STAGE_TASKS; page++) {
        const found = await services.tasks.listTasks(memberId, params.stageCode, {
          page,
          pageSize: PAGE,
        });
        tasks.push(...found.items);
        if (found.items.length < PAGE || tasks.length >= found.total) break;
      }
      return tasks.map((task) => clientTask(task, timeZone));
    },
  }),
  clientRoute({
    path: 'project/task/save',
    summary:
      'Create a task at the end of a stage, or (pcode) a child task under a task, in its project and stage',
    uses: 'TaskService.createTask, TaskService.createChildTask',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({
      project_code: optionalSubjectCode('project'),
      stage_code: optionalCode('stage'),
      pcode: optionalCode('task'),
      name: text({ max: 200, required: true }),
      assign_to: optionalCode('member'),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const fields = { name: params.name, assigneeId: params.assign_to };
      if (params.pcode === undefined) {
        if (params.project_code === undefined) throw badField('project_code', 'required');
        if (params.stage_code === undefined) throw badField('stage_code', 'required');
        const task = await services.tasks.createTask(memberId, params.project_code, {
          ...fields,
          stageId: params.stage_code,
        });
        return clientTask(task, timeZone);
      }
      // A project named beside the parent is checked first, as the route's subject.
      if (params.project_code !== undefined) {
        await services.projects.get(memberId, params.project_code);
      }
      const parent = await services.tasks.getTask(memberId, params.pcode);
      if (
        params.project_code !== undefined &&
        decodeId(parent.projectId, 'project') !== params.project_code
      ) {
        throw badField('project_code', "not the parent task's project");
      }
      if (
        params.stage_code !== undefined &&
        decodeId(parent.stageId, 'stage') !== params.stage_code
      ) {
        throw badField('stage_code', "not the parent task's stage");
      }
      const task = await services.tasks.createChildTask(memberId, params.pcode, fields);
      return clientTask(task, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task/sort',
    summary: 'Move a task into a stage, in front of another task or at the end',
    uses: 'TaskService.moveTask',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({
      preTaskCode: subjectCode('task'),
      toStageCode: code('stage'),
      nextTaskCode: optionalCode('task'),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const task = await services.tasks.moveTask(memberId, params.preTaskCode, {
        toStageId: params.toStageCode,
        beforeTaskId: params.nextTaskCode,
      });
      return clientTask(task, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task/selfList',
    summary: 'My tasks: assigned to me (taskType 1), taking part (2), created (3); type 1 done',
    uses: 'TaskService.myTasks',
    status: 'full',
    scope: { notOrgScoped: OWN },
    params: z.object({
      taskType: z.enum(['1', '2', '3']).default('1'),
      type: z.enum(['0', '1']).optional(),
      ...formPage,
    }),
    async handle({ params, memberId, services, timeZone }) {
      const page = await services.tasks.myTasks(memberId, {
        view: VIEW_BY_TASK_TYPE[params.taskType],
        done: params.type === undefined ? undefined : params.type === '1',
        page: params.page,
        pageSize: params.pageSize,
      });
      const projects = new Map<string, { code: string; name: string }>();
      for (const task of page.items) {
        if (projects.has(task.projectId)) continue;
        const project = await services.projects
          .get(memberId, decodeId(task.projectId, 'project'))
          .catch(onlyNotFound);
        projects.set(task.projectId, { code: task.projectId, name: project?.name ?? '' });
      }
      return clientPage(page, (task) => ({
        ...clientTask(task, timeZone),
        projectInfo: projects.get(task.projectId)!,
      }));
    },
  }),
  clientRoute({
    path: 'project/task/read',
    summary: 'A task, with its project and stage names',
    uses: 'TaskService.getTask',
    status: 'full',
    note: 'on the board or in the recycle bin (deleted 1: the client shows it read-only), to those who could see it on the board; a stage deleted since is named by an empty stageName',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task') }),
    async handle({ params, memberId, services, timeZone }) {
      const task = await services.tasks.getTask(memberId, params.taskCode);
      const project = await services.projects.get(memberId, decodeId(task.projectId, 'project'));
      // A stage holding only recycled tasks may be deleted: the task then names no stage.
      const found = await services.board
        .stageFor(memberId, decodeId(task.stageId, 'stage'))
        .catch(onlyNotFound);
      return clientTask(task, timeZone, {
        projectName: project.name,
        stageName: found?.stage.name ?? '',
      });
    },
  }),
  clientRoute({
    path: 'project/task_member',
    summary: "A task's members: creator, executor, participants",
    uses: 'TaskService.listTaskMembers',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task'), ...formPage }),
    async handle({ params, memberId, services, timeZone }) {
      const page = await services.tasks.listTaskMembers(memberId, params.taskCode, params);
      return clientPage(page, (row) => clientTaskMember(row, timeZone));
    },
  }),
  clientRoute({
    path: 'project/task/taskLog',
    summary: "A task's activity (comment 1: only comments; all 1: everything at once)",
    uses: 'ActivityService.taskActivity',
    status: 'full',
    note: 'lines in Chinese, shown as HTML: what members wrote (comments, names) is escaped',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({
      taskCode: subjectCode('task'),
      all: z.enum(['0', '1']).default('0'),
      comment: z.enum(['0', '1']).default('0'),
      ...formPage,
    }),
    async handle({ params, memberId, services, timeZone }) {
      const page = await services.activity.taskActivity(memberId, params.taskCode, {
        type: params.comment === '1' ? 'comments' : 'all',
        page: params.all === '1' ? 1 : params.page,
        pageSize: params.all === '1' ? PAGE : params.pageSize,
      });
      return clientPage(page, (entry) => clientActivity(entry, timeZone));
    },
  }),
  clientRoute({
    path: 'project/task/createComment',
    summary: 'Comment on a task; the project members its mentions name are notified',
    uses: 'ActivityService.comment',
    status: 'full',
    note: 'mentions: the JSON list of "@name" texts the client sends, or member codes; a text that names no project member is ignored',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({
      taskCode: subjectCode('task'),
      comment: text({ max: 2000, required: true, multiline: true }),
      mentions: jsonList(text({ max: 100 }), MAX_MENTIONS).optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const mentioned = params.mentions?.length
        ? await mentionedMembers(services, memberId, params.taskCode, params.mentions)
        : [];
      const entry = await services.activity.comment(
        memberId,
        params.taskCode,
        params.comment,
        mentioned,
      );
      return clientActivity(entry, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task/_taskWorkTimeList',
    summary: "A task's work time, newest start first",
    uses: 'WorkTimeService.listWorkTimes',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task') }),
    async handle({ params, memberId, services, timeZone }) {
      const page = await services.workTimes.listWorkTimes(memberId, params.taskCode, {
        page: 1,
        pageSize: PAGE,
      });
      return page.items.map((entry) => clientWorkTime(entry, timeZone));
    },
  }),
  clientRoute({
    path: 'project/task/saveTaskWorkTime',
    summary: 'Log time spent on a task: num hours (more than 0, at most 24, two decimals)',
    uses: 'WorkTimeService.addWorkTime',
    status: 'full',
    scope: { notOrgScoped: TASK_DATA },
    params: z.object({ taskCode: subjectCode('task'), ...workTimeForm }),
    async handle({ params, memberId, services, timeZone }) {
      const entry = await services.workTimes.addWorkTime(
        memberId,
        params.taskCode,
        workTimeOf(params, timeZone),
      );
      return clientWorkTime(entry, timeZone);
    },
  }),
];
