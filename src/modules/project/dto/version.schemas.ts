import { z } from 'zod';
import { publicId } from '@/common/public-id';
import { boundedList, text } from '@/common/schema-types';
import { VERSION_STATUSES } from '../entities';

const name = text({ max: 90, required: true });
const description = text({ max: 500, multiline: true });
const when = z.iso.datetime({ offset: true });

/** The most tasks added to a version at once. */
export const MAX_VERSION_TASKS = 100;

export const createFeatureRequest = z.strictObject({
  name,
  description: description.optional(),
});

export const updateFeatureRequest = z
  .strictObject({
    name: name.optional(),
    description: description.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export const createVersionRequest = z.strictObject({
  name,
  description: description.optional(),
  startAt: when.optional(),
  plannedPublishAt: when.optional(),
});

/** One field at a time or several; null clears the description and the times. */
export const updateVersionRequest = z
  .strictObject({
    name: name.optional(),
    description: description.nullable().optional(),
    startAt: when.nullable().optional(),
    plannedPublishAt: when.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

/** Unset fields keep what the version has: `publishedAt` alone corrects a release's time. */
/** At least one of the two (checked after the version's access check, in the service). */
export const changeVersionStatusRequest = z.strictObject({
  status: z.enum(VERSION_STATUSES).optional(),
  /** For `released` only: when it was released; now (or the time it has) when absent. */
  publishedAt: when.optional(),
});

export const addVersionTasksRequest = z.strictObject({
  taskIds: boundedList(publicId('task'), MAX_VERSION_TASKS, 1),
});

export type CreateFeatureRequest = z.infer<typeof createFeatureRequest>;
export type UpdateFeatureRequest = z.infer<typeof updateFeatureRequest>;
export type CreateVersionRequest = z.infer<typeof createVersionRequest>;
export type UpdateVersionRequest = z.infer<typeof updateVersionRequest>;
export type ChangeVersionStatusRequest = z.infer<typeof changeVersionStatusRequest>;
export type AddVersionTasksRequest = z.infer<typeof addVersionTasksRequest>;
