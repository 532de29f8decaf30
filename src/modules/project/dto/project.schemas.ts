import { z } from 'zod';
import { ownImageLink } from '@/common/image-link';
import { publicId } from '@/common/public-id';
import { pageFields } from '@/common/paging';
import { boundedList, cleanText, text } from '@/common/schema-types';
import { EXECUTION_STATUSES } from '../task-tree';

export { pageFields };
export type { Paging } from '@/common/paging';

const name = text({ max: 90, required: true });
const description = text({ max: 500, multiline: true });

/** A project's task-number prefix: two to six letters (`EP` shows task 12 as `EP-12`). */
export const projectPrefix = z.string().regex(/^[A-Za-z]{2,6}$/, 'must be 2 to 6 letters');

export const PROJECT_FILTERS = ['mine', 'archived', 'recycled', 'collected'] as const;
export type ProjectFilter = (typeof PROJECT_FILTERS)[number];

export const listProjectsQuery = z.strictObject({
  filter: z.enum(PROJECT_FILTERS).default('mine'),
  ...pageFields,
});

export const createProjectRequest = z.strictObject({
  name,
  description: description.optional(),
  templateId: publicId('template').optional(),
});

export const updateProjectRequest = z
  .strictObject({
    name: name.optional(),
    description: description.nullable().optional(),
    cover: cleanText(z.url())
      .max(500)
      .or(ownImageLink)
      .meta({ examples: ['https://example.test/cover.png'] })
      .nullable()
      .optional(),
    taskBoardTheme: z.enum(['simple', 'default']).optional(),
    openTaskPrivate: z.boolean().optional(),
    schedule: z.number().int().min(0).max(100).optional(),
    autoUpdateSchedule: z.boolean().optional(),
    private: z.boolean().optional(),
    /** Two to six letters; null (or "") clears it. */
    prefix: z
      .literal('')
      .or(projectPrefix)
      .meta({ examples: ['EP'] })
      .nullable()
      .optional(),
    openPrefix: z.boolean().optional(),
    openBeginTime: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export const TEMPLATE_SCOPES = ['all', 'mine', 'system'] as const;
export const listTemplatesQuery = z.strictObject({
  scope: z.enum(TEMPLATE_SCOPES).default('all'),
  ...pageFields,
});

/** An organization's list: system templates and its own (all), its own, or the system ones. */
export const ORGANIZATION_TEMPLATE_SCOPES = ['all', 'organization', 'system'] as const;
export const listOrganizationTemplatesQuery = z.strictObject({
  scope: z.enum(ORGANIZATION_TEMPLATE_SCOPES).default('all'),
  ...pageFields,
});

const templateStageName = text({ max: 50, required: true });
/** Where a template's stage stands among its others (lower first). */
export const templateStageSort = z.number().int().min(0).max(1_000_000);
const templateCover = cleanText(z.url({ protocol: /^https?$/ }))
  .max(500)
  .or(ownImageLink)
  .meta({ examples: ['https://example.test/cover.png'] });

export const createTemplateRequest = z.strictObject({
  name,
  description: description.optional(),
  cover: templateCover.optional(),
  /** The stages a project made from it starts with, in order. */
  stages: boundedList(templateStageName, 50).optional(),
});

export const updateTemplateRequest = z
  .strictObject({
    name: name.optional(),
    description: description.nullable().optional(),
    cover: templateCover.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export const addTemplateStageRequest = z.strictObject({
  name: templateStageName,
  sort: templateStageSort.optional(),
});

export const updateTemplateStageRequest = z
  .strictObject({ name: templateStageName.optional(), sort: templateStageSort.optional() })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export const setTemplateStagesRequest = z.strictObject({
  names: boundedList(templateStageName, 50),
});

export const pageQuery = z.strictObject({ ...pageFields });

export const addMemberRequest = z.strictObject({ memberId: publicId('member') });

export const createStageRequest = z.strictObject({
  name: text({ max: 50, required: true }),
  description: description.optional(),
});

export const updateStageRequest = z
  .strictObject({
    name: text({ max: 50, required: true }).optional(),
    description: description.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export const reorderStagesRequest = z.strictObject({
  stageIds: boundedList(publicId('stage'), 200, 1),
});

/** Whole hundredths at most: 1.25 is fine, 1.255 (or 1e-7) is not. */
const TWO_DECIMALS = /^\d+(\.\d{1,2})?$/;

/** Hours: more than 0, at most `max`, two decimals. */
function hoursUpTo(max: number, tooMany: string) {
  return z
    .number()
    .positive('must be more than 0')
    .max(max, tooMany)
    .refine((value) => TWO_DECIMALS.test(String(value)), 'at most two decimal places');
}

/** The most hours a task may be estimated at. */
export const MAX_ESTIMATED_HOURS = 9999.99;

const when = z.iso.datetime({ offset: true });

/** A boolean; a query string spells it `true` or `false`. */
const queryBoolean = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((value) => value === 'true'),
]);
const taskName = text({ max: 200, required: true });
const taskDescription = text({ max: 20_000, multiline: true });

export const createTaskRequest = z.strictObject({
  stageId: publicId('stage'),
  name: taskName,
  description: taskDescription.optional(),
  assigneeId: publicId('member').optional(),
  priority: z.number().int().min(0).max(2).optional(),
  beginAt: when.optional(),
  endAt: when.optional(),
});

/** A child task: in its parent's project and stage, so without a stage of its own. */
export const createChildTaskRequest = createTaskRequest.omit({ stageId: true });

export const listChildTasksQuery = z.strictObject({
  /**
   * The task's children in the recycle bin that were recycled on their own, instead of those
   * it holds (the live ones; of a task in the bin, those that went in with it).
   */
  recycled: queryBoolean.default(false),
  ...pageFields,
});

export const updateTaskRequest = z
  .strictObject({
    name: taskName.optional(),
    description: taskDescription.nullable().optional(),
    assigneeId: publicId('member').nullable().optional(),
    priority: z.number().int().min(0).max(2).optional(),
    beginAt: when.nullable().optional(),
    endAt: when.nullable().optional(),
    /** Where the work stands, apart from done. */
    executionStatus: z.enum(EXECUTION_STATUSES).optional(),
    /** null clears it. */
    estimatedHours: hoursUpTo(MAX_ESTIMATED_HOURS, `at most ${MAX_ESTIMATED_HOURS}`)
      .nullable()
      .optional(),
    /**
     * Seen only by its creator, its assignee and its task members. Changed only by one of
     * them: anyone else would hide the task from themselves.
     */
    private: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export const moveTaskRequest = z.strictObject({
  toStageId: publicId('stage'),
  /** The task it lands in front of; at the end of the stage when absent. */
  beforeTaskId: publicId('task').optional(),
});

export const TASK_VIEWS = ['assigned', 'participating', 'created'] as const;
export type TaskView = (typeof TASK_VIEWS)[number];

export const myTasksQuery = z.strictObject({
  view: z.enum(TASK_VIEWS).default('assigned'),
  done: queryBoolean.optional(),
  ...pageFields,
});

export const ACTIVITY_KINDS = ['all', 'comments'] as const;
export const taskActivityQuery = z.strictObject({
  type: z.enum(ACTIVITY_KINDS).default('all'),
  ...pageFields,
});

/** Members a comment may mention, as the original client sends `mentions[]`. */
export const MAX_MENTIONS = 20;

export const commentRequest = z.strictObject({
  content: text({ max: 2000, required: true, multiline: true }),
  /** Project members to notify (each once, never the author); a private task's must see it. */
  mentions: boundedList(publicId('member'), MAX_MENTIONS).optional(),
});

export const taskMemberRequest = z.strictObject({ memberId: publicId('member') });

/** The most members a task's member list is set to at once. */
export const MAX_TASK_MEMBERS = 500;

export const setTaskMembersRequest = z.strictObject({
  /** Members of the task's project; the task's creator stays on it whether listed or not. */
  memberIds: boundedList(publicId('member'), MAX_TASK_MEMBERS),
});

/** The most tasks one batch changes. */
export const MAX_BATCH_TASKS = 100;

export const assignTasksRequest = z.strictObject({
  /** Tasks of the project, each visible to the caller; repeats count once. */
  taskIds: boundedList(publicId('task'), MAX_BATCH_TASKS, 1),
  assigneeId: publicId('member'),
});

const hours = hoursUpTo(24, 'at most 24 hours per entry');
const workDescription = text({ max: 500, multiline: true });

export const addWorkTimeRequest = z.strictObject({
  /** Now when absent. */
  beginAt: when.optional(),
  hours,
  description: workDescription.optional(),
});

export const updateWorkTimeRequest = z
  .strictObject({
    beginAt: when.optional(),
    hours: hours.optional(),
    description: workDescription.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export type ListProjectsQuery = z.infer<typeof listProjectsQuery>;
export type CreateProjectRequest = z.infer<typeof createProjectRequest>;
export type UpdateProjectRequest = z.infer<typeof updateProjectRequest>;
export type ListTemplatesQuery = z.infer<typeof listTemplatesQuery>;
export type ListOrganizationTemplatesQuery = z.infer<typeof listOrganizationTemplatesQuery>;
export type CreateTemplateRequest = z.infer<typeof createTemplateRequest>;
export type UpdateTemplateRequest = z.infer<typeof updateTemplateRequest>;
export type AddTemplateStageRequest = z.infer<typeof addTemplateStageRequest>;
export type UpdateTemplateStageRequest = z.infer<typeof updateTemplateStageRequest>;
export type SetTemplateStagesRequest = z.infer<typeof setTemplateStagesRequest>;
export type CreateStageRequest = z.infer<typeof createStageRequest>;
export type UpdateStageRequest = z.infer<typeof updateStageRequest>;
export type CreateTaskRequest = z.infer<typeof createTaskRequest>;
export type UpdateTaskRequest = z.infer<typeof updateTaskRequest>;
export type CreateChildTaskRequest = z.infer<typeof createChildTaskRequest>;
export type ListChildTasksQuery = z.infer<typeof listChildTasksQuery>;
export type MoveTaskRequest = z.infer<typeof moveTaskRequest>;
export type AddMemberRequest = z.infer<typeof addMemberRequest>;
export type ReorderStagesRequest = z.infer<typeof reorderStagesRequest>;
export type TaskMemberRequest = z.infer<typeof taskMemberRequest>;
export type AssignTasksRequest = z.infer<typeof assignTasksRequest>;
export type SetTaskMembersRequest = z.infer<typeof setTaskMembersRequest>;
export type CommentRequest = z.infer<typeof commentRequest>;
export type MyTasksQuery = z.infer<typeof myTasksQuery>;
export type TaskActivityQuery = z.infer<typeof taskActivityQuery>;
export type PageQuery = z.infer<typeof pageQuery>;
export type AddWorkTimeRequest = z.infer<typeof addWorkTimeRequest>;
export type UpdateWorkTimeRequest = z.infer<typeof updateWorkTimeRequest>;

/** A message that only says whether (archive, collect, done). */
export const flagRequest = <K extends string>(flag: K) =>
  z.strictObject({ [flag]: z.boolean().default(false) } as Record<K, z.ZodDefault<z.ZodBoolean>>);
