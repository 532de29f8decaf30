import { z } from 'zod';
import { pageFields } from '@/common/paging';
import { NOTIFICATION_KINDS } from '../entities/notification.entity';

const kindList = z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length);

export const listNotificationsQuery = z.strictObject({
  /** A boolean; a query string spells it `true` or `false`. */
  unreadOnly: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
    .default(false),
  /** Only these kinds (a query string lists them comma-separated); every kind when empty. */
  kinds: z
    .union([
      kindList,
      z
        .string()
        .max(200)
        .transform((value) => (value === '' ? [] : value.split(',')))
        .pipe(kindList),
    ])
    .default([]),
  ...pageFields,
});

export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;
