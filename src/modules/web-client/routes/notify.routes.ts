import { z } from 'zod';
import { Problem } from '@/common/problem';
import { text } from '@/common/schema-types';
import { NOTIFICATION_KINDS } from '@/modules/notification/entities';
import { clientRoute, code, formPage, jsonList, onlyNotFound, subjectCode } from '../client-route';
import { parseClientTime } from '../client-time';
import { clientPage } from '../client-views';
import { clientNotification, TITLES } from './home.routes';

const OWN = "the member's own notifications";

/** More than the client's notification pages ever select at once. */
const MAX_SELECTED = 100;

/** The ids the client selected, as it sends them: a JSON list of codes. */
const selected = z.object({ ids: jsonList(code('notification'), MAX_SELECTED) });

/** The search's date range as the page sends it: `YYYY-MM-DD~YYYY-MM-DD`, both days in. */
const DATE_RANGE = /^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$/;

/** The day after `day` (`YYYY-MM-DD`), on the calendar. */
function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
}

/** The instants a range of days in `zone` spans: from its first day's start to after its last. */
function dayRange(range: string, zone: string): { createdFrom: string; createdBefore: string } {
  const [, first = '', last = ''] = DATE_RANGE.exec(range) ?? [];
  const from = parseClientTime(`${first} 00:00`, zone);
  const lastStart = parseClientTime(`${last} 00:00`, zone);
  const before = lastStart && parseClientTime(`${nextDay(last)} 00:00`, zone);
  if (!from || !before || from >= before) {
    throw Problem.invalid([
      { field: 'date', message: 'must be YYYY-MM-DD~YYYY-MM-DD, the first day not after the last' },
    ]);
  }
  return { createdFrom: from.toISOString(), createdBefore: before.toISOString() };
}

/**
 * The search's title keyword: the kinds whose title (as the page shows it) contains it, or,
 * when none does, the notifications whose sentence does.
 */
function titleSearch(title: string) {
  const kinds = NOTIFICATION_KINDS.filter((kind) => TITLES[kind].includes(title));
  return kinds.length ? { kinds } : { kinds: [], keyword: title };
}

export const NOTIFY_ROUTES = [
  clientRoute({
    path: 'project/notify',
    summary:
      'The notifications page: my notifications, newest first (type notice); announcements (type system) are none',
    uses: 'NotificationService.list',
    status: 'full',
    note: "its search: title matches the kinds whose shown title contains it, else the notification's sentence; date (YYYY-MM-DD~YYYY-MM-DD) is a range of days in the configured zone, both days in; msproject has no announcements, so type system is always empty",
    scope: { notOrgScoped: OWN },
    params: z.object({
      type: z.enum(['', 'notice', 'message', 'system']).default('notice'),
      title: text({ max: 100 }).optional(),
      date: z
        .union([z.literal(''), z.string().regex(DATE_RANGE, 'must be YYYY-MM-DD~YYYY-MM-DD')])
        .optional(),
      ...formPage,
    }),
    async handle({ params, memberId, services, timeZone }) {
      if (params.type === 'system') return { list: [], total: 0, page: params.page };
      const title = params.title?.trim();
      const page = await services.notifications.list(memberId, {
        unreadOnly: false,
        // The page always asks for type notice, and both of the header's tabs lead to it:
        // every kind is listed, unless the title narrows them.
        kinds: [],
        ...(title ? titleSearch(title) : {}),
        ...(params.date ? dayRange(params.date, timeZone) : {}),
        page: params.page,
        pageSize: params.pageSize,
      });
      return clientPage(page, (item) => clientNotification(item, timeZone));
    },
  }),
  clientRoute({
    path: 'project/notify/setReadied',
    summary: 'Mark the selected notifications read (ids: a JSON list of codes)',
    uses: 'NotificationService.markRead',
    status: 'full',
    note: 'ids no longer there (deleted meanwhile) are passed over',
    scope: { notOrgScoped: OWN },
    params: selected,
    async handle({ params, memberId, services }) {
      for (const id of params.ids) {
        await services.notifications.markRead(memberId, id).catch(onlyNotFound);
      }
      return '';
    },
  }),
  clientRoute({
    path: 'project/notify/batchDel',
    summary: 'Delete the selected notifications for good (ids: a JSON list of codes)',
    uses: 'NotificationService.remove',
    status: 'full',
    note: 'ids no longer there are passed over',
    scope: { notOrgScoped: OWN },
    params: selected,
    async handle({ params, memberId, services }) {
      for (const id of params.ids) {
        await services.notifications.remove(memberId, id).catch(onlyNotFound);
      }
      return '';
    },
  }),
  clientRoute({
    path: 'project/notify/delete',
    summary: 'Delete one of my notifications for good',
    uses: 'NotificationService.remove',
    status: 'full',
    scope: { notOrgScoped: OWN },
    params: z.object({ id: subjectCode('notification') }),
    async handle({ params, memberId, services }) {
      await services.notifications.remove(memberId, params.id);
      return '';
    },
  }),
  clientRoute({
    path: 'project/notify/_clearAll',
    summary: "The header bell's clear: mark all my notifications read",
    uses: 'NotificationService.markAllRead',
    status: 'full',
    scope: { notOrgScoped: OWN },
    params: z.object({}),
    async handle({ memberId, services }) {
      await services.notifications.markAllRead(memberId);
      return '';
    },
  }),
];
