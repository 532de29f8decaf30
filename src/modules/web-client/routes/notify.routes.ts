import { z } from 'zod';
import { text } from '@/common/schema-types';
import { clientRoute, code, formPage, jsonList, onlyNotFound, subjectCode } from '../client-route';
import { clientPage } from '../client-views';
import { clientNotification } from './home.routes';

const OWN = "the member's own notifications";

/** More than the client's notification pages ever select at once. */
const MAX_SELECTED = 100;

/** The ids the client selected, as it sends them: a JSON list of codes. */
const selected = z.object({ ids: jsonList(code('notification'), MAX_SELECTED) });

export const NOTIFY_ROUTES = [
  clientRoute({
    path: 'project/notify',
    summary:
      'The notifications page: my notifications, newest first (type notice); announcements (type system) are none',
    uses: 'NotificationService.list',
    status: 'partial',
    note: 'the keyword (title) and date range (date) of its search are accepted and not applied; msproject has no announcements, so type system is always empty',
    scope: { notOrgScoped: OWN },
    params: z.object({
      type: z.enum(['', 'notice', 'message', 'system']).default('notice'),
      title: text({ max: 200 }).optional(),
      date: text({ max: 30 }).optional(),
      ...formPage,
    }),
    async handle({ params, memberId, services, timeZone }) {
      if (params.type === 'system') return { list: [], total: 0, page: params.page };
      const page = await services.notifications.list(memberId, {
        unreadOnly: false,
        // The page always asks for type notice, and both of the header's tabs lead to it:
        // every kind is listed.
        kinds: [],
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
