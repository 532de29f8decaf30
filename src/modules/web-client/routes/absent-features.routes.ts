import { z } from 'zod';
import { Problem } from '@/common/problem';
import { text } from '@/common/schema-types';
import { clientRoute, formPage, subjectCode, type ClientRoute } from '../client-route';

/**
 * Screens of the client for features msproject does not have: their lists answer empty, after
 * checking what they name, and their writes a message the client shows (code 409), never 404.
 */

const PROJECT_DATA = "a project's data, under its membership";

/** The writes of a feature msproject does not have: refused with `reason`, whatever is sent. */
function refusedWrites(paths: string[], feature: string, reason: string): ClientRoute[] {
  return paths.map((path) =>
    clientRoute({
      path,
      summary: `${feature}: msproject has none, refused`,
      uses: '(none)',
      status: 'empty',
      note: `${reason}: answers code 409 with a message the client shows`,
      scope: { notOrgScoped: 'refused whoever asks: nothing is read or written' },
      params: z.object({}),
      handle(): Promise<never> {
        return Promise.reject(Problem.failedPrecondition(reason, undefined, 'not_supported'));
      },
    }),
  );
}

export const ABSENT_FEATURE_ROUTES = [
  clientRoute({
    path: 'project/events',
    summary: "The Schedule tab's events: msproject has no calendar",
    uses: 'ProjectService.get',
    status: 'empty',
    note: 'no calendar: always an empty list (for a project I am a member of)',
    scope: { notOrgScoped: PROJECT_DATA },
    params: z.object({
      projectCode: subjectCode('project'),
      deleted: z.enum(['0', '1']).optional(),
      ...formPage,
    }),
    async handle({ params, memberId, services }) {
      await services.projects.get(memberId, params.projectCode);
      return { list: [], total: 0, page: params.page };
    },
  }),
  clientRoute({
    path: 'project/events/getEventsListByCalendar',
    summary: "The calendar page's events of a month: msproject has no calendar",
    uses: '(none)',
    status: 'empty',
    note: 'no calendar: always an empty list',
    scope: { notOrgScoped: "the member's own calendar" },
    params: z.object({ date: text({ max: 30 }).optional() }),
    handle() {
      return Promise.resolve({ list: [] });
    },
  }),
  ...['project/events/read', 'project/events/confirmJoin'].map((path) =>
    clientRoute({
      path,
      summary:
        path === 'project/events/read'
          ? 'A calendar event: msproject has no calendar'
          : "Accept or decline a calendar event's invitation: msproject has no calendar",
      uses: '(none)',
      status: 'empty',
      note: 'no calendar, so no event is ever found: code 4041, whatever eventsCode names',
      scope: { notOrgScoped: "the member's own calendar" },
      // Sent as eventsCode: no id msproject ever issued (it has no events).
      aliases: { eventsCode: 'calendarEvent' },
      params: z.object({
        calendarEvent: text({ max: 100 }).optional(),
        status: z.enum(['1', '2']).optional(),
      }),
      handle(): Promise<never> {
        return Promise.reject(Problem.notFound('no such event: msproject has no calendar'));
      },
    }),
  ),
  clientRoute({
    path: 'project/events/_getEventsLog',
    summary: "A calendar event's activity log: msproject has no calendar",
    uses: '(none)',
    status: 'empty',
    note: 'no calendar: always an empty page',
    scope: { notOrgScoped: "the member's own calendar" },
    aliases: { eventsCode: 'calendarEvent' },
    params: z.object({
      calendarEvent: text({ max: 100 }).optional(),
      all: z.enum(['0', '1']).optional(),
      ...formPage,
    }),
    handle({ params }) {
      return Promise.resolve({ list: [], total: 0, page: params.page });
    },
  }),
  ...refusedWrites(
    ['project/events/save', 'project/events/edit', 'project/events/delete'],
    'Calendar events',
    'msproject has no calendar',
  ),
];
