import type { Paging } from './project.schemas';
import { encodeId, type IdKind } from '@/common/public-id';
import type { MemberSummary } from '@/modules/user/user-directory';
import type { TaskFamily } from '../task-family.repository';
import { executionStatusOf } from '../task-tree';
import type { TaskTagRef } from './task-tag.views';
import type {
  Activity,
  Project,
  ProjectRole,
  ProjectTemplate,
  StageTemplate,
  Task,
  TaskMember,
  TaskStage,
  WorkTime,
} from '../entities';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** One page of a list, as every list answers it. */
export function pageOf<T>(items: T[], total: number, paging: Paging): Page<T> {
  return { items, total, page: paging.page, pageSize: paging.pageSize };
}

export type Members = Map<number, MemberSummary>;

const iso = (value: Date | string | null | undefined) =>
  value ? new Date(value).toISOString() : null;
const optionalId = (id: number | null | undefined, kind: IdKind) =>
  id ? encodeId(id, kind) : null;

/** A member as other modules show them; an unknown id still shows its id. */
export function memberRef(members: Members, id: number): MemberSummary {
  return members.get(id) ?? { id: encodeId(id, 'member'), name: '', avatar: null, account: '' };
}

export interface ProjectView {
  id: string;
  name: string;
  description: string | null;
  cover: string | null;
  organizationId: string | null;
  templateId: string | null;
  taskBoardTheme: string;
  openTaskPrivate: boolean;
  /** Completion, 0 to 100: from the tasks while autoUpdateSchedule is on. */
  schedule: number;
  autoUpdateSchedule: boolean;
  private: boolean;
  prefix: string | null;
  openPrefix: boolean;
  openBeginTime: boolean;
  archived: boolean;
  archivedAt: string | null;
  deleted: boolean;
  deletedAt: string | null;
  createdAt: string;
  owner: MemberSummary;
  myRole: ProjectRole;
  collected: boolean;
}

/** A project as one member sees it: with their role and whether they collected it. */
export interface ProjectOfMember {
  project: Project;
  role: ProjectRole;
  collected: boolean;
}

/**
 * `completion`: the share of done tasks, for a project whose schedule follows its tasks
 * (see ProjectProgress).
 */
export function projectView(
  { project, role, collected }: ProjectOfMember,
  members: Members,
  completion?: number,
) {
  return {
    id: encodeId(project.id, 'project'),
    name: project.name,
    description: project.description ?? null,
    cover: project.cover ?? null,
    organizationId: optionalId(project.organizationId, 'organization'),
    templateId: optionalId(project.templateId, 'template'),
    taskBoardTheme: project.taskBoardTheme,
    openTaskPrivate: Boolean(project.openTaskPrivate),
    schedule:
      project.autoUpdateSchedule && completion !== undefined
        ? completion
        : Number(project.schedule),
    autoUpdateSchedule: Boolean(project.autoUpdateSchedule),
    private: Boolean(project.private),
    prefix: project.prefix ?? null,
    openPrefix: Boolean(project.openPrefix),
    openBeginTime: Boolean(project.openBeginTime),
    archived: Boolean(project.archived),
    archivedAt: iso(project.archivedAt),
    deleted: Boolean(project.deleted),
    deletedAt: iso(project.deletedAt),
    createdAt: iso(project.createdAt)!,
    owner: memberRef(members, project.ownerId),
    myRole: role,
    collected,
  } satisfies ProjectView;
}

export interface TemplateView {
  id: string;
  name: string;
  description: string | null;
  cover: string | null;
  isSystem: boolean;
  stages: string[];
  createdAt: string;
}

export function templateView(template: ProjectTemplate, stages: string[]): TemplateView {
  return {
    id: encodeId(template.id, 'template'),
    name: template.name,
    description: template.description ?? null,
    cover: template.cover ?? null,
    isSystem: Boolean(template.isSystem),
    stages,
    createdAt: iso(template.createdAt)!,
  };
}

export interface TemplateStageView {
  id: string;
  templateId: string;
  name: string;
  sort: number;
  createdAt: string;
}

export function templateStageView(stage: StageTemplate): TemplateStageView {
  return {
    id: encodeId(stage.id, 'templateStage'),
    templateId: encodeId(stage.templateId, 'template'),
    name: stage.name,
    sort: stage.sort,
    createdAt: iso(stage.createdAt)!,
  };
}

export function projectMemberView(
  row: { memberId: number; role: ProjectRole; joinedAt: Date },
  members: Members,
) {
  return {
    member: memberRef(members, row.memberId),
    role: row.role,
    joinedAt: iso(row.joinedAt)!,
  };
}

export function stageView(stage: TaskStage) {
  return {
    id: encodeId(stage.id, 'stage'),
    projectId: encodeId(stage.projectId, 'project'),
    name: stage.name,
    description: stage.description ?? null,
    sort: stage.sort,
    createdAt: iso(stage.createdAt)!,
  };
}

const NO_FAMILY: TaskFamily = { children: { total: 0, done: 0 }, ancestors: [] };

/** The viewer's own marks on a task. */
export interface TaskMarks {
  liked: boolean;
  starred: boolean;
}

const NO_MARKS: TaskMarks = { liked: false, starred: false };

export function taskView(
  task: Task,
  members: Members,
  family: TaskFamily = NO_FAMILY,
  marks: TaskMarks = NO_MARKS,
  tags: TaskTagRef[] = [],
) {
  const parent = family.ancestors.at(-1);
  return {
    id: encodeId(task.id, 'task'),
    projectId: encodeId(task.projectId, 'project'),
    stageId: encodeId(task.stageId, 'stage'),
    /** The task it is a child of; null on the board. */
    parentId: optionalId(task.parentId, 'task'),
    /** Root first, the parent last; `name` is null for one the viewer may not see. */
    ancestors: family.ancestors.map((ancestor) => ({
      id: encodeId(ancestor.id, 'task'),
      name: ancestor.name,
    })),
    /** False for a parent the viewer may not see, as its name is hidden. */
    parentDone: Boolean(task.parentId && parent?.done),
    /** Its live child tasks (private ones too), and how many of them are done. */
    childCount: family.children.total,
    doneChildCount: family.children.done,
    hasUndoneChildren: family.children.done < family.children.total,
    number: task.number,
    name: task.name,
    description: task.description ?? null,
    priority: task.priority,
    executionStatus: executionStatusOf(task.status),
    estimatedHours: task.estimatedHours === null ? null : Number(task.estimatedHours),
    // A recycled task's place is parked (see Task.sort): it shows the one it left. A child
    // task has none.
    sort: task.parentId ? 0 : task.deleted ? (task.recycledSort ?? 0) : task.sort,
    done: Boolean(task.done),
    doneAt: iso(task.doneAt),
    doneBy: task.doneBy ? memberRef(members, task.doneBy) : null,
    private: Boolean(task.private),
    /** How many members like it and starred it, and whether the viewer did. */
    likeCount: task.likeCount ?? 0,
    starCount: task.starCount ?? 0,
    liked: marks.liked,
    starred: marks.starred,
    /** The project's tags it carries, in the order they were put on. */
    tags,
    creator: memberRef(members, task.createdBy),
    assignee: task.assigneeId ? memberRef(members, task.assigneeId) : null,
    beginAt: iso(task.beginAt),
    endAt: iso(task.endAt),
    createdAt: iso(task.createdAt)!,
    deleted: Boolean(task.deleted),
    deletedAt: iso(task.deletedAt),
  };
}

export type TaskViewModel = ReturnType<typeof taskView>;

export function taskMemberView(row: TaskMember, members: Members) {
  return {
    member: memberRef(members, row.memberId),
    isExecutor: Boolean(row.isExecutor),
    isOwner: Boolean(row.isOwner),
    joinedAt: iso(row.joinedAt)!,
  };
}

export function activityView(entry: Activity, members: Members) {
  return {
    id: encodeId(entry.id, 'activity'),
    projectId: encodeId(entry.projectId, 'project'),
    taskId: optionalId(entry.taskId, 'task'),
    type: entry.type,
    isComment: Boolean(entry.isComment),
    content: entry.content,
    member: memberRef(members, entry.memberId),
    toMember: entry.toMemberId ? memberRef(members, entry.toMemberId) : null,
    createdAt: iso(entry.createdAt)!,
  };
}

export function workTimeView(entry: WorkTime, members: Members) {
  return {
    id: encodeId(entry.id, 'workTime'),
    taskId: encodeId(entry.taskId, 'task'),
    member: memberRef(members, entry.memberId),
    beginAt: iso(entry.beginAt)!,
    hours: Number(entry.hours),
    description: entry.description ?? null,
    createdAt: iso(entry.createdAt)!,
  };
}

/** Every member id a list of rows mentions, for one directory batch. */
export function memberIdsOf(...lists: (number | null | undefined)[][]): number[] {
  return [...new Set(lists.flat().filter((id): id is number => typeof id === 'number' && id > 0))];
}

/** What a task import created: how many tasks, and their ids in the sheet's order. */
export interface TaskImportResult {
  imported: number;
  taskIds: string[];
}
