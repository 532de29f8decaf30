import { z } from 'zod';
import { text } from '@/common/schema-types';

/** The most information fields one project keeps. */
export const MAX_PROJECT_INFO_FIELDS = 100;
/** The highest place a field can take in its project's list. */
export const MAX_INFO_SORT = 1_000_000;

export const infoFieldName = text({ max: 90, required: true });
export const infoFieldValue = text({ max: 1000, multiline: true });
export const infoFieldDescription = text({ max: 500, multiline: true });
/** Its place in the project's list: lower first, then oldest first. */
export const infoFieldSort = z.number().int().min(0).max(MAX_INFO_SORT);

export const createProjectInfoFieldRequest = z.strictObject({
  name: infoFieldName,
  value: infoFieldValue.optional(),
  description: infoFieldDescription.optional(),
  /** After the project's last field when absent. */
  sort: infoFieldSort.optional(),
});

/** One field at a time or several; null (or "") clears the description. */
export const updateProjectInfoFieldRequest = z
  .strictObject({
    name: infoFieldName.optional(),
    value: infoFieldValue.optional(),
    description: infoFieldDescription.nullable().optional(),
    sort: infoFieldSort.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export type CreateProjectInfoFieldRequest = z.infer<typeof createProjectInfoFieldRequest>;
export type UpdateProjectInfoFieldRequest = z.infer<typeof updateProjectInfoFieldRequest>;
