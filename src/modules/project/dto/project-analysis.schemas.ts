import { z } from 'zod';
import { isTimeZone } from '@/config/schema';

export const projectAnalysisQuery = z.strictObject({
  /** The IANA zone whose calendar (this year's months, this month's days) the series follow. */
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai or UTC')
    .default('UTC'),
});

export type ProjectAnalysisQuery = z.infer<typeof projectAnalysisQuery>;
