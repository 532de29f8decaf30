/**
 * The attack suite's only knowledge of the routes: which kind of resource an id names, read
 * from the id's name (`stageId`, `to_stage_id`) or, for a bare `id`, from its context (the
 * path segment before it, the message or RPC name).
 */
export type ResourceKind =
  | 'project'
  | 'stage'
  | 'task'
  | 'activity'
  | 'organization'
  | 'member'
  | 'template'
  | 'workTime'
  | 'notification'
  | 'department'
  | 'account'
  | 'invitation'
  | 'role'
  | 'file'
  | 'feature'
  | 'version'
  | 'taskWorkflow'
  | 'taskTag'
  | 'projectInfo'
  | 'announcement'
  | 'menu';

const KIND_BY_WORD: Record<string, ResourceKind> = {
  project: 'project',
  stage: 'stage',
  task: 'task',
  activity: 'activity',
  comment: 'activity',
  organization: 'organization',
  member: 'member',
  assignee: 'member',
  executor: 'member',
  template: 'template',
  // `workTimeId`, `work-times/{id}`, `WorkTimeId`: the last word decides.
  time: 'workTime',
  notification: 'notification',
  // The web client's notification routes: `project/notify/delete` names one by a bare `id`.
  notify: 'notification',
  department: 'department',
  account: 'account',
  invitation: 'invitation',
  role: 'role',
  file: 'file',
  // The web client's task detail names a task's file its source (`sourceCode`).
  source: 'file',
  // The deployment's one menu: anyone logged in reads it, its administrators change it.
  menu: 'menu',
  // The web client's roles are its "auths": `project/auth/apply` names one by a bare `id`.
  auth: 'role',
  // A project's version libraries (`featuresCode`, `features/{id}`) and their versions.
  feature: 'feature',
  version: 'version',
  // `taskWorkflowCode`, `task-workflows/{id}`, `TaskWorkflowId`: the last word decides.
  workflow: 'taskWorkflow',
  // A project's task tags: `tagCode`, `taskTagCode`, `task-tags/{id}`, `TaskTagId`.
  tag: 'taskTag',
  // A project's information fields: `infoCode`, `info-fields/{id}`, `ProjectInfoFieldId`.
  info: 'projectInfo',
  // The deployment's system announcements: its administrators send and edit them.
  announcement: 'announcement',
};

/** Lists of ids whose name does not say so: a comment's `mentions` name members. */
const ID_LISTS_BY_NAME = new Map<string, ResourceKind>([['mentions', 'member']]);

/**
 * Single ids whose name does not say so: the web client's `assign_to` names a member, its
 * `preCode` and `nextCode` (stage sort) stages.
 */
const IDS_BY_NAME = new Map<string, ResourceKind>([
  ['assign_to', 'member'],
  ['preCode', 'stage'],
  ['nextCode', 'stage'],
]);

/**
 * Resources that belong to someone: another member must not learn they exist. (A notification
 * is its one member's alone, not the project's: the access test's rule that a project member
 * may use the owner's ids does not fit it; notifications.test.ts holds it to "someone else's
 * is not found". An invitation is its invitee's alone, shared with nobody: accounts.test holds
 * everyone else to 404.)
 */
export const OWNED_KINDS: ReadonlySet<ResourceKind> = new Set([
  'project',
  'stage',
  'task',
  'activity',
  'organization',
  'workTime',
  'department',
  'role',
  'account',
  'file',
  'feature',
  'version',
  'taskWorkflow',
  'taskTag',
  'projectInfo',
]);

/**
 * `id`, `ids`, `stage_id`, `stageIds`, and the web client's `projectCode`, `stage_code`; not
 * `paid`, `valid` or a bare `code`.
 */
const ID_NAME = /(?:^|_)ids?$|[a-z0-9]Ids?$|[a-z0-9](?:Code|_code)s?$/;

/**
 * Single ids whose name says only "parent": the web client's `pcode` names a parent task on
 * `project/task*` and a parent department on `project/department*`, so its kind is read from
 * the route, as a bare `id`'s is; a menu entry's `parentId` names another entry.
 */
const PARENT_IDS = new Set(['pcode', 'parentId']);

/** Whether a parameter or field carries ids: `id`, `ids`, `projectId`, `stage_ids`, `taskCode`. */
export function isIdName(name: string): boolean {
  return (
    ID_NAME.test(name) ||
    ID_LISTS_BY_NAME.has(name) ||
    IDS_BY_NAME.has(name) ||
    PARENT_IDS.has(name)
  );
}

export function isListOfIds(name: string): boolean {
  return /ids$/i.test(name) || ID_LISTS_BY_NAME.has(name);
}

/** `toStageId` → [to, stage, id]; `to_stage_id` → [to, stage, id]; `TaskService` → [task, service]. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

function kindIn(candidates: string[]): ResourceKind | undefined {
  for (const word of [...candidates].reverse()) {
    const kind = KIND_BY_WORD[singular(word)];
    if (kind) return kind;
  }
  return undefined;
}

/**
 * The kind an id names: from its own name, else from each context in turn (most specific
 * first); undefined when nothing maps, which the access test reports by route.
 */
export function kindOfId(name: string, contexts: string[]): ResourceKind | undefined {
  const listed = ID_LISTS_BY_NAME.get(name) ?? IDS_BY_NAME.get(name);
  if (listed) return listed;
  const own = PARENT_IDS.has(name)
    ? []
    : words(name).filter((word) => !['id', 'ids', 'code', 'codes'].includes(word));
  const fromName = kindIn(own);
  if (fromName || own.length > 0) return fromName;
  for (const context of contexts) {
    const kind = kindIn(words(context));
    if (kind) return kind;
  }
  return undefined;
}
