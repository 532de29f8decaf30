import { z } from 'zod';
import { text } from '@/common/schema-types';
import { TAG_PALETTE } from '../entities';

/** The longest tag name: a tag is a short label on a task card. */
export const TAG_NAME_MAX = 30;

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export const tagName = text({ max: TAG_NAME_MAX, required: true });

/** A colour of the client's palette (blue, red, orange, green, brown, purple) or `#rgb`/`#rrggbb`. */
export const tagColor = z
  .string()
  .trim()
  .max(20)
  .toLowerCase()
  .refine((value) => (TAG_PALETTE as readonly string[]).includes(value) || HEX_COLOR.test(value), {
    message: `one of ${TAG_PALETTE.join(', ')}, or a hex colour (#rgb or #rrggbb)`,
  })
  .meta({ examples: ['blue', '#1890ff'] });

export const createTaskTagRequest = z.strictObject({
  name: tagName,
  /** Blue when absent. */
  color: tagColor.optional(),
});

export const updateTaskTagRequest = z
  .strictObject({
    name: tagName.optional(),
    color: tagColor.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });

export type CreateTaskTagRequest = z.infer<typeof createTaskTagRequest>;
export type UpdateTaskTagRequest = z.infer<typeof updateTaskTagRequest>;
