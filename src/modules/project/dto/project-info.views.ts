import { encodeId } from '@/common/public-id';
import type { ProjectInfoField } from '../entities';

/** A project's custom information field. */
export function projectInfoFieldView(field: ProjectInfoField) {
  return {
    id: encodeId(field.id, 'projectInfo'),
    projectId: encodeId(field.projectId, 'project'),
    name: field.name,
    value: field.value,
    description: field.description ?? null,
    sort: field.sort,
    createdBy: encodeId(field.createdBy, 'member'),
    createdAt: new Date(field.createdAt).toISOString(),
    updatedAt: new Date(field.updatedAt).toISOString(),
  };
}

export type ProjectInfoFieldView = ReturnType<typeof projectInfoFieldView>;
