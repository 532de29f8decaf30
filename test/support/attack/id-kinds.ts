/**
 * The attack suite's only knowledge of the routes: which kind of resource an id names, read
 * from the id's name (`stageId`, `to_stage_id`) or, for a bare `id`, from its context (the
 * path segment before it, the message or RPC name).
 */
export type ResourceKind =
  'project' | 'stage' | 'task' | 'activity' | 'organization' | 'member' | 'template' | 'file';

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
  file: 'file',
};

/** Resources that belong to someone: another member must not learn they exist. */
export const OWNED_KINDS: ReadonlySet<ResourceKind> = new Set([
  'project',
  'stage',
  'task',
  'activity',
  'organization',
  'file',
]);

/** `id`, `ids`, `stage_id`, `stageIds`; not `paid` or `valid`. */
const ID_NAME = /(?:^|_)ids?$|[a-z0-9]Ids?$/;

/** Whether a parameter or field carries ids: `id`, `ids`, `projectId`, `stage_ids`. */
export function isIdName(name: string): boolean {
  return ID_NAME.test(name);
}

export function isListOfIds(name: string): boolean {
  return /ids$/i.test(name);
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
  const own = words(name).filter((word) => word !== 'id' && word !== 'ids');
  const fromName = kindIn(own);
  if (fromName || own.length > 0) return fromName;
  for (const context of contexts) {
    const kind = kindIn(words(context));
    if (kind) return kind;
  }
  return undefined;
}
