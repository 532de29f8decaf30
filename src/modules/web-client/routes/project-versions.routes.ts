import { z } from 'zod';
import { text } from '@/common/schema-types';
import { VERSION_STATUSES } from '@/modules/project/entities';
import type { UpdateVersionRequest } from '@/modules/project/dto/version.schemas';
import { clientRoute, code, formInt, jsonList, subjectCode } from '../client-route';
import { clientInstant } from '../client-time';
import { clientFeature, clientVersion, clientVersionLog } from '../client-versions';
import { clientPerson, clientTask } from '../client-views';
import { MAX_VERSION_TASKS } from '@/modules/project/dto/version.schemas';

const PROJECT_DATA = "a project's data, under its membership";

const name = text({ max: 90, required: true });
const description = text({ max: 500, multiline: true });
/** A client time; the create form sends moment's 'Invalid date' for a time left unpicked. */
const formTime = z
  .string()
  .max(30)
  .meta({ examples: ['2024-05-01 09:30'] });
const unpicked = (value: string | undefined) =>
  value === undefined || value === 'Invalid date' ? '' : value;

/** The most history pages read for "show all" (100 lines each). */
const MAX_LOG_PAGES = 20;

/** The Versions tab: version libraries (features), their versions and a version's detail. */
export const PROJECT_VERSION_ROUTES = [
  clientRoute({
    path: 'project/project_features',
    summary: "The Versions tab's version libraries of a project, newest first",
    uses: 'VersionService.listFeatures',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services, timeZone }) {
      const { items } = await services.versions.listFeatures(memberId, params.projectCode);
      return items.map((feature) => clientFeature(feature, timeZone));
    },
  }),
  clientRoute({
    path: 'project/project_features/save',
    summary: 'Add a version library to a project (names unique in the project)',
    uses: 'VersionService.createFeature',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      projectCode: subjectCode('project'),
      name,
      description: description.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const feature = await services.versions.createFeature(memberId, params.projectCode, {
        name: params.name,
        description: params.description,
      });
      return clientFeature(feature, timeZone);
    },
  }),
  clientRoute({
    path: 'project/project_features/edit',
    summary: 'Rename a version library or change its description (empty clears it)',
    uses: 'VersionService.updateFeature',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      featuresCode: subjectCode('feature'),
      name,
      description: description.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const feature = await services.versions.updateFeature(memberId, params.featuresCode, {
        name: params.name,
        ...(params.description !== undefined && { description: params.description || null }),
      });
      return clientFeature(feature, timeZone);
    },
  }),
  clientRoute({
    path: 'project/project_features/delete',
    summary: 'Delete a version library with its versions; their tasks stay, in no version',
    uses: 'VersionService.deleteFeature',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ featuresCode: subjectCode('feature') }),
    async handle({ params, memberId, services }) {
      await services.versions.deleteFeature(memberId, params.featuresCode);
      return [];
    },
  }),
  clientRoute({
    path: 'project/project_version',
    summary: "A version library's versions, oldest first, with status and progress",
    uses: 'VersionService.listVersions',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectFeaturesCode: subjectCode('feature') }),
    async handle({ params, memberId, services, timeZone }) {
      const { items } = await services.versions.listVersions(memberId, params.projectFeaturesCode);
      return items.map((version) => clientVersion(version, timeZone));
    },
  }),
  clientRoute({
    path: 'project/project_version/save',
    summary:
      'Add a version to a version library: name (unique in the library), description, startTime and planPublishTime (YYYY-MM-DD HH:mm)',
    uses: 'VersionService.createVersion',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      featuresCode: subjectCode('feature'),
      name,
      description: description.optional(),
      startTime: formTime.optional(),
      planPublishTime: formTime.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const startAt = clientInstant('startTime', unpicked(params.startTime), timeZone);
      const plannedPublishAt = clientInstant(
        'planPublishTime',
        unpicked(params.planPublishTime),
        timeZone,
      );
      const version = await services.versions.createVersion(memberId, params.featuresCode, {
        name: params.name,
        description: params.description || undefined,
        ...(startAt && { startAt }),
        ...(plannedPublishAt && { plannedPublishAt }),
      });
      return clientVersion(version, timeZone);
    },
  }),
  clientRoute({
    path: 'project/project_version/edit',
    summary:
      'Change a version field by field: name, description, start_time, plan_publish_time (YYYY-MM-DD HH:mm, empty clears)',
    uses: 'VersionService.updateVersion',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      versionCode: subjectCode('version'),
      name: name.optional(),
      description: description.optional(),
      start_time: formTime.optional(),
      plan_publish_time: formTime.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const changes: UpdateVersionRequest = {};
      if (params.name !== undefined) changes.name = params.name;
      if (params.description !== undefined) changes.description = params.description || null;
      if (params.start_time !== undefined) {
        changes.startAt = clientInstant('start_time', params.start_time, timeZone);
      }
      if (params.plan_publish_time !== undefined) {
        changes.plannedPublishAt = clientInstant(
          'plan_publish_time',
          params.plan_publish_time,
          timeZone,
        );
      }
      const version = await services.versions.updateVersion(memberId, params.versionCode, changes);
      return clientVersion(version, timeZone);
    },
  }),
  clientRoute({
    path: 'project/project_version/read',
    summary: "A version's detail, with its library's name and its project",
    uses: 'VersionService.getVersion',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ versionCode: subjectCode('version') }),
    async handle({ params, memberId, services, timeZone }) {
      return clientVersion(
        await services.versions.getVersion(memberId, params.versionCode),
        timeZone,
      );
    },
  }),
  clientRoute({
    path: 'project/project_version/delete',
    summary: 'Delete a version; its tasks stay, in no version',
    uses: 'VersionService.deleteVersion',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ versionCode: subjectCode('version') }),
    async handle({ params, memberId, services }) {
      await services.versions.deleteVersion(memberId, params.versionCode);
      return [];
    },
  }),
  clientRoute({
    path: 'project/project_version/changeStatus',
    summary:
      "Set a version's status: 0 not started, 1 in progress, 2 delayed, 3 released (at publishTime, YYYY-MM-DD HH:mm, now when absent)",
    uses: 'VersionService.changeStatus',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      versionCode: subjectCode('version'),
      status: formInt({ min: 0, max: VERSION_STATUSES.length - 1 }),
      publishTime: formTime.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const status = VERSION_STATUSES[params.status];
      // Read whatever the status: a time that is no time is refused either way.
      const picked = clientInstant('publishTime', unpicked(params.publishTime), timeZone);
      const publishedAt = status === 'released' ? picked : null;
      const version = await services.versions.changeStatus(memberId, params.versionCode, {
        status,
        ...(publishedAt && { publishedAt }),
      });
      return clientVersion(version, timeZone);
    },
  }),
  clientRoute({
    path: 'project/project_version/_getVersionLog',
    summary:
      "A version's history, oldest first: the newest pageSize lines, or every line with all=1",
    uses: 'VersionService.listLog',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      versionCode: subjectCode('version'),
      all: z.enum(['0', '1', '', 'true', 'false']).optional(),
      pageSize: formInt({ min: 1, max: 100 }).default(20),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const all = params.all === '1' || params.all === 'true';
      const pageSize = all ? 100 : params.pageSize;
      const first = await services.versions.listLog(memberId, params.versionCode, {
        page: 1,
        pageSize,
      });
      const items = [...first.items];
      for (let page = 2; all && items.length < first.total && page <= MAX_LOG_PAGES; page++) {
        const next = await services.versions.listLog(memberId, params.versionCode, {
          page,
          pageSize,
        });
        if (next.items.length === 0) break;
        items.push(...next.items);
      }
      return {
        list: items.reverse().map((entry) => clientVersionLog(entry, timeZone)),
        total: first.total,
      };
    },
  }),
  clientRoute({
    path: 'project/project_version/_getVersionTask',
    summary: "A version's tasks that I may see, newest first",
    uses: 'VersionService.listVersionTasks',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ versionCode: subjectCode('version') }),
    async handle({ params, memberId, services, timeZone }) {
      const { items } = await services.versions.listVersionTasks(memberId, params.versionCode);
      return items.map((task) => ({
        ...clientTask(task, timeZone),
        executor: task.assignee ? clientPerson(task.assignee) : null,
      }));
    },
  }),
  clientRoute({
    path: 'project/project_version/addVersionTask',
    summary:
      "Put tasks (taskCodeList, a JSON list) of the version's project into it; a task in another version moves",
    uses: 'VersionService.addTasks',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      versionCode: subjectCode('version'),
      taskCodes: jsonList(code('task'), MAX_VERSION_TASKS, { lone: true }),
    }),
    // The client's `taskCodeList` holds task codes.
    aliases: { taskCodeList: 'taskCodes' },
    async handle({ params, memberId, services }) {
      if (params.taskCodes.length === 0) return { successTotal: 0 };
      const { added } = await services.versions.addTasks(memberId, params.versionCode, {
        taskIds: params.taskCodes,
      });
      return { successTotal: added };
    },
  }),
  clientRoute({
    path: 'project/project_version/removeVersionTask',
    summary: 'Take a task out of the version it is in',
    uses: 'VersionService.removeTask',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ taskCode: subjectCode('task') }),
    async handle({ params, memberId, services }) {
      await services.versions.removeTask(memberId, params.taskCode);
      return [];
    },
  }),
];
