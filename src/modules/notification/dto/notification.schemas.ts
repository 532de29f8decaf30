import { z } from 'zod';
import { pageFields } from '@/common/paging';
import { queryText } from '@/common/valid-query';
import { NOTIFICATION_KINDS } from '../entities/notification.entity';

const kindList = z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length);

const instant = z.iso.datetime({ offset: true });

export const listNotificationsQuery = z
  .strictObject({
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
    /** Only those whose sentence contains this text (any case); every one when empty. */
    keyword: queryText({ max: 100 }).optional(),
    /** Only those stored at or after this instant (ISO 8601 with an offset). */
    createdFrom: instant.optional(),
    /** Only those stored before this instant. */
    createdBefore: instant.optional(),
    ...pageFields,
  })
  .refine(
    (query) =>
      !query.createdFrom ||
      !query.createdBefore ||
      Date.parse(query.createdFrom) < Date.parse(query.createdBefore),
    { path: ['createdBefore'], message: 'must be after createdFrom' },
  );

export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;
