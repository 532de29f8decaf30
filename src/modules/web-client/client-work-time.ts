import { z } from 'zod';
import { Problem } from '@/common/problem';
import { text } from '@/common/schema-types';
import { parseClientTime } from './client-time';

/** The work time dialog's fields: num hours, beginTime `YYYY-MM-DD HH:mm`, content. */
export const workTimeForm = {
  num: z
    .string()
    .regex(/^\d{1,2}(\.\d{1,2})?$/, 'must be hours with at most two decimals')
    .meta({ examples: ['1.5'] })
    .transform(Number),
  beginTime: z
    .string()
    .max(30)
    .meta({ examples: ['2024-05-01 09:30'] })
    .optional(),
  content: text({ max: 500, multiline: true }).optional(),
};

/** What the dialog sent, as the work time service takes it (hours, start, description). */
export function workTimeOf(
  params: { num: number; beginTime?: string; content?: string },
  timeZone: string,
) {
  let beginAt: string | undefined;
  if (params.beginTime) {
    const parsed = parseClientTime(params.beginTime, timeZone);
    if (!parsed) {
      throw Problem.invalid([{ field: 'beginTime', message: 'must be YYYY-MM-DD HH:mm' }]);
    }
    beginAt = parsed.toISOString();
  }
  if (params.num <= 0 || params.num > 24) {
    throw Problem.invalid([{ field: 'num', message: 'must be more than 0 and at most 24' }]);
  }
  return { hours: params.num, beginAt, description: params.content || undefined };
}
