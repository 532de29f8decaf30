import { encodeId } from '@/common/public-id';
import type { TaskTag } from '../entities';

export function taskTagView(tag: TaskTag) {
  return {
    id: encodeId(tag.id, 'taskTag'),
    projectId: encodeId(tag.projectId, 'project'),
    name: tag.name,
    color: tag.color,
    createdAt: new Date(tag.createdAt).toISOString(),
  };
}

export type TaskTagViewModel = ReturnType<typeof taskTagView>;

/** A tag as a task shows it. */
export function taskTagRef(tag: Pick<TaskTag, 'id' | 'name' | 'color'>) {
  return { id: encodeId(tag.id, 'taskTag'), name: tag.name, color: tag.color };
}

export type TaskTagRef = ReturnType<typeof taskTagRef>;
