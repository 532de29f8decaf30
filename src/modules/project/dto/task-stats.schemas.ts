import { z } from 'zod';
import { decimalInt } from '@/common/schema-types';
import { isTimeZone } from '@/config/schema';

export const taskStatsQuery = z.strictObject({
  /** How many days, today included, the daily series covers. */
  days: decimalInt({ min: 1, max: 90 }).default(15),
  /** The IANA zone whose calendar days count ("today", the series' dates). */
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai or UTC')
    .default('UTC'),
});

export type TaskStatsQuery = z.infer<typeof taskStatsQuery>;
