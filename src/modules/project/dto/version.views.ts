import { encodeId } from '@/common/public-id';
import {
  VERSION_STATUSES,
  type ProjectFeature,
  type ProjectVersion,
  type VersionLog,
} from '../entities';
import { memberRef, type Members } from './project.views';

const iso = (value: Date | string | null | undefined) =>
  value ? new Date(value).toISOString() : null;

/** How many of a version's tasks (out of the recycle bin) there are and are done. */
export interface VersionProgress {
  total: number;
  done: number;
}

export function featureView(feature: ProjectFeature) {
  return {
    id: encodeId(feature.id, 'feature'),
    projectId: encodeId(feature.projectId, 'project'),
    name: feature.name,
    description: feature.description ?? null,
    createdAt: iso(feature.createdAt)!,
  };
}

export function versionView(
  version: ProjectVersion,
  feature: Pick<ProjectFeature, 'name'>,
  progress: VersionProgress,
) {
  return {
    id: encodeId(version.id, 'version'),
    featureId: encodeId(version.featureId, 'feature'),
    featureName: feature.name,
    projectId: encodeId(version.projectId, 'project'),
    name: version.name,
    description: version.description ?? null,
    status: VERSION_STATUSES[version.status] ?? VERSION_STATUSES[0],
    startAt: iso(version.startAt),
    plannedPublishAt: iso(version.plannedPublishAt),
    publishedAt: iso(version.publishedAt),
    taskCount: progress.total,
    doneTaskCount: progress.done,
    /** Percent of its tasks done, rounded down; 0 without tasks. */
    schedule: progress.total ? Math.floor((progress.done * 100) / progress.total) : 0,
    createdAt: iso(version.createdAt)!,
  };
}

export type VersionViewModel = ReturnType<typeof versionView>;

const TASK_LIST_TYPES = new Set(['tasksAdded', 'taskRemoved']);

export function versionLogView(entry: VersionLog, members: Members) {
  const listsTasks = TASK_LIST_TYPES.has(entry.type);
  return {
    id: encodeId(entry.id, 'versionLog'),
    versionId: encodeId(entry.versionId, 'version'),
    type: entry.type,
    member: memberRef(members, entry.memberId),
    /** The new name, description, time (ISO) or status; null for the task lists. */
    content: listsTasks ? null : (entry.content ?? null),
    /** The tasks added or removed, by name. */
    taskNames: listsTasks && entry.content ? entry.content.split('\n') : [],
    createdAt: iso(entry.createdAt)!,
  };
}

export type VersionLogViewModel = ReturnType<typeof versionLogView>;
