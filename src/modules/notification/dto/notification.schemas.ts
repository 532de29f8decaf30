import { z } from 'zod';
import { pageFields } from '@/common/paging';

export const listNotificationsQuery = z.strictObject({
  /** A boolean; a query string spells it `true` or `false`. */
  unreadOnly: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
    .default(false),
  ...pageFields,
});

export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;
