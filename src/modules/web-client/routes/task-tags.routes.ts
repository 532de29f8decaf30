import { z } from 'zod';
import { encodeId } from '@/common/public-id';
import { tagColor, tagName } from '@/modules/project/dto/task-tag.schemas';
import { clientRoute, code, formPage, subjectCode } from '../client-route';
import { clientPage, clientTagOnTask, clientTask, clientTaskTag } from '../client-views';

const PROJECT_DATA = "a project's data, under its membership";

/** The tag menu of the task detail and the project's tag list (tasks by tag). */
export const TASK_TAG_ROUTES = [
  clientRoute({
    path: 'project/task_tag',
    summary: "A project's task tags, oldest first",
    uses: 'TaskTagService.listTags',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ projectCode: subjectCode('project') }),
    async handle({ params, memberId, services, timeZone }) {
      const { items } = await services.taskTags.listTags(memberId, params.projectCode);
      return items.map((tag) => clientTaskTag(tag, timeZone));
    },
  }),
  clientRoute({
    path: 'project/task_tag/save',
    summary:
      'Add a task tag to a project: a name unique in the project whatever its case, a colour of the palette or #rrggbb',
    uses: 'TaskTagService.createTag',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      projectCode: subjectCode('project'),
      name: tagName,
      color: tagColor.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const tag = await services.taskTags.createTag(memberId, params.projectCode, {
        name: params.name,
        color: params.color,
      });
      return clientTaskTag(tag, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task_tag/edit',
    summary: 'Rename a task tag and set its colour',
    uses: 'TaskTagService.updateTag',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      tagCode: subjectCode('taskTag'),
      name: tagName,
      color: tagColor.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      const tag = await services.taskTags.updateTag(memberId, params.tagCode, {
        name: params.name,
        ...(params.color !== undefined && { color: params.color }),
      });
      return clientTaskTag(tag, timeZone);
    },
  }),
  clientRoute({
    path: 'project/task_tag/delete',
    summary: 'Delete a task tag: it comes off every task that carries it',
    uses: 'TaskTagService.deleteTag',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ tagCode: subjectCode('taskTag') }),
    async handle({ params, memberId, services }) {
      await services.taskTags.deleteTag(memberId, params.tagCode);
      return [];
    },
  }),
  clientRoute({
    path: 'project/task/setTag',
    summary: "Put a tag of the task's project on the task, or take it off when the task carries it",
    uses: 'TaskTagService.toggleTag',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    // The task is what it acts on; a tag of another project is not found (4041) all the same.
    params: z.object({ taskCode: subjectCode('task'), tagCode: code('taskTag') }),
    async handle({ params, memberId, services }) {
      const { tagged } = await services.taskTags.toggleTag(
        memberId,
        params.taskCode,
        params.tagCode,
      );
      return { tagged: tagged ? 1 : 0 };
    },
  }),
  clientRoute({
    path: 'project/task/taskToTags',
    summary: "A task's tags, each as the link the tag menu matches (tag_code) with its tag",
    uses: 'TaskTagService.listTagsOfTask',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ taskCode: subjectCode('task') }),
    async handle({ params, memberId, services }) {
      const { items } = await services.taskTags.listTagsOfTask(memberId, params.taskCode);
      const taskCode = encodeId(params.taskCode, 'task');
      return items.map((tag) => clientTagOnTask(tag, taskCode));
    },
  }),
  clientRoute({
    path: 'project/task/getListByTaskTag',
    summary: 'The tasks carrying a tag that I may see, newest first, a page at a time',
    uses: 'TaskTagService.listTaggedTasks',
    status: 'full',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({ taskTagCode: subjectCode('taskTag'), ...formPage }),
    async handle({ params, memberId, services, timeZone }) {
      const page = await services.taskTags.listTaggedTasks(memberId, params.taskTagCode, {
        page: params.page,
        pageSize: params.pageSize,
      });
      return clientPage(page, (task) => clientTask(task, timeZone));
    },
  }),
];
