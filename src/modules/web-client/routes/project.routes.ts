import { z } from 'zod';
import { text } from '@/common/schema-types';
import { decodeId } from '@/common/public-id';
import type { ProjectFilter } from '@/modules/project/dto/project.schemas';
import { projectPrefix, type UpdateProjectRequest } from '@/modules/project/dto/project.schemas';
import {
  clientRoute,
  flag,
  formInt,
  formPage,
  onlyNotFound,
  optionalCode,
  subjectCode,
} from '../client-route';
import { clientCover, storedCover } from '../client-cover';
import { clientPage, clientProject, clientProjectLog, clientProjectMember } from '../client-views';

const PROJECT_DATA = "a project's data, under its membership";
const OWN = "the member's own projects";

const FILTER_BY_SELECT: Record<string, ProjectFilter> = {
  '': 'mine',
  my: 'mine',
  collect: 'collected',
  archive: 'archived',
  deleted: 'recycled',
};

export const PROJECT_ROUTES = [
  clientRoute({
    path: 'project/project',
    summary: 'My projects: mine, collected, archived or in the recycle bin',
    uses: 'ProjectService.list',
    status: 'full',
    scope: { notOrgScoped: OWN },
    note: 'the sidebar recycle bin and archive pages send recycle=1 or archive=1 (and type) instead of selectBy=deleted or archive: the same lists',
    params: z.object({
      selectBy: z.enum(['', 'my', 'collect', 'archive', 'deleted']).default('my'),
      recycle: z.enum(['', '0', '1']).default(''),
      archive: z.enum(['', '0', '1']).default(''),
      ...formPage,
    }),
    async handle({ params, memberId, services, timeZone }) {
      const filter =
        params.recycle === '1'
          ? 'recycled'
          : params.archive === '1'
            ? 'archived'
            : FILTER_BY_SELECT[params.selectBy];
      const page = await services.projects.list(memberId, {
        filter,
        page: params.page,
        pageSize: params.pageSize,
      });
      return clientPage(page, (project) => clientProject(project, timeZone));
    },
  }),
  clientRoute({
    path: 'project/project/selfList',
    summary: 'My active projects (home page, project switcher)',
    uses: 'ProjectService.list',
    status: 'full',
    scope: { notOrgScoped: OWN },
    params: z.object({ ...formPage }),
    async handle({ params, memberId, services, timeZone }) {
      const page = await services.projects.list(memberId, { filter: 'mine', ...params });
      return clientPage(page, (project) => clientProject(project, timeZone));
    },
  }),
  clientRoute({
    path: 'project/project/save',
    summary: "Create a project in the current organization, with a template's stages",
    uses: 'ProjectService.create',
    status: 'full',
    scope: { orgPermission: 'project/project/save' },
    params: z.object({
      name: text({ max: 90, required: true }),
      description: text({ max: 500, multiline: true }).optional(),
      templateCode: optionalCode('template'),
    }),
    async handle(call) {
      const { params } = call;
      const project = await call.services.projects.createIn(
        call.memberId,
        await call.organization(),
        {
          name: params.name,
          description: params.description || undefined,
          templateId: params.templateCode,
        },
      );
      return clientProject(project, call.timeZone);
    },
  }),
  clientRoute({
    path: 'project/project/read',
    summary: 'A project I am a member of',
    uses: 'ProjectService.get',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services, timeZone }) {
      return clientProject(await services.projects.get(memberId, params.projectCode), timeZone);
    },
  }),
  clientRoute({
    path: 'project/project/edit',
    summary: 'Change a project (owner only)',
    uses: 'ProjectService.update',
    status: 'full',
    note: "cover '' or the picture shown for a project without one (the dialog sends back what it was shown): none; auto_update_schedule: schedule shows the share of done tasks; prefix (2 to 6 letters) is shown before task numbers by the client; private and open_begin_time are kept and shown only: members alone see a project, begin times are always accepted",
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      projectCode: subjectCode('project'),
      name: text({ max: 90, required: true }).optional(),
      description: text({ max: 500, multiline: true }).optional(),
      cover: clientCover.optional(),
      task_board_theme: z.enum(['simple', 'default']).optional(),
      open_task_private: flag.optional(),
      schedule: formInt({ min: 0, max: 100 }).optional(),
      auto_update_schedule: flag.optional(),
      private: flag.optional(),
      prefix: z
        .literal('')
        .or(projectPrefix)
        .meta({ examples: ['EP'] })
        .optional(),
      open_prefix: flag.optional(),
      open_begin_time: flag.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const changes: UpdateProjectRequest = {};
      if (params.name !== undefined) changes.name = params.name;
      if (params.description !== undefined) changes.description = params.description || null;
      if (params.cover !== undefined) changes.cover = storedCover(params.cover);
      if (params.task_board_theme !== undefined) changes.taskBoardTheme = params.task_board_theme;
      if (params.open_task_private !== undefined)
        changes.openTaskPrivate = params.open_task_private;
      if (params.schedule !== undefined) changes.schedule = params.schedule;
      if (params.auto_update_schedule !== undefined) {
        changes.autoUpdateSchedule = params.auto_update_schedule;
      }
      if (params.private !== undefined) changes.private = params.private;
      if (params.prefix !== undefined) changes.prefix = params.prefix || null;
      if (params.open_prefix !== undefined) changes.openPrefix = params.open_prefix;
      if (params.open_begin_time !== undefined) changes.openBeginTime = params.open_begin_time;
      const project =
        Object.keys(changes).length > 0
          ? await services.projects.update(memberId, params.projectCode, changes)
          : await services.projects.get(memberId, params.projectCode);
      return clientProject(project, timeZone);
    },
  }),
  clientRoute({
    path: 'project/project/recycle',
    summary: 'Move a project to the recycle bin (owner only)',
    uses: 'ProjectService.setRecycled',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services, timeZone }) {
      return clientProject(
        await services.projects.setRecycled(memberId, params.projectCode, true),
        timeZone,
      );
    },
  }),
  clientRoute({
    path: 'project/project/recovery',
    summary: 'Take a project out of the recycle bin (owner only)',
    uses: 'ProjectService.setRecycled',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services, timeZone }) {
      return clientProject(
        await services.projects.setRecycled(memberId, params.projectCode, false),
        timeZone,
      );
    },
  }),
  clientRoute({
    path: 'project/project_collect/collect',
    summary: 'Mark a project as a favourite (type collect) or unmark it (cancel)',
    uses: 'ProjectService.setCollected',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      projectCode: subjectCode('project'),
      type: z.enum(['collect', 'cancel']),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const project = await services.projects.setCollected(
        memberId,
        params.projectCode,
        params.type === 'collect',
      );
      return clientProject(project, timeZone);
    },
  }),
  clientRoute({
    path: 'project/project/getLogBySelfProject',
    summary:
      "The newest activity across my projects (home page, a list), or of one project (projectCode: the Overview's, a page)",
    uses: 'ActivityService.myActivity, ActivityService.projectActivity',
    status: 'full',
    note: "lines in Chinese; a project's entries without a task show their content as HTML: it is escaped",
    scope: { notOrgScoped: OWN },
    params: z.object({
      projectCode: optionalCode('project'),
      ...formPage,
      pageSize: formPage.pageSize.default(10),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const { projectCode, ...paging } = params;
      const page = projectCode
        ? await services.activity.projectActivity(memberId, projectCode, paging)
        : await services.activity.myActivity(memberId, paging);
      const projectNames = new Map<string, string>();
      const taskNames = new Map<string, string>();
      for (const entry of page.items) {
        if (!projectNames.has(entry.projectId)) {
          const project = await services.projects
            .get(memberId, decodeId(entry.projectId, 'project'))
            .catch(onlyNotFound);
          projectNames.set(entry.projectId, project?.name ?? '');
        }
        if (entry.taskId && !taskNames.has(entry.taskId)) {
          // A task deleted for good since has no name to show here.
          const task = await services.tasks
            .getTask(memberId, decodeId(entry.taskId, 'task'))
            .catch(onlyNotFound);
          taskNames.set(entry.taskId, task?.name ?? '');
        }
      }
      const lines = page.items.map((entry) =>
        clientProjectLog(entry, timeZone, {
          projectName: projectNames.get(entry.projectId) ?? '',
          taskName: entry.taskId ? (taskNames.get(entry.taskId) ?? '') : '',
        }),
      );
      if (!projectCode) return lines;
      // The Overview reads sourceInfo.name of a task's entry, and shows a project's content as
      // HTML (its line's detail, escaped).
      return clientPage({ ...page, items: lines }, (line) => ({
        ...line,
        sourceInfo: { code: line.source_code, name: line.task_name },
      }));
    },
  }),
  clientRoute({
    path: 'project/project_member/index',
    summary: "A project's members, the owner marked",
    uses: 'ProjectService.members',
    status: 'full',
    note: "email is '' (members never see each other's contact details)",
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project'), ...formPage }),
    async handle({ params, memberId, services, timeZone }) {
      const page = await services.projects.members(memberId, params.projectCode, params);
      return clientPage(page, (row) => clientProjectMember(row, timeZone));
    },
  }),
];
