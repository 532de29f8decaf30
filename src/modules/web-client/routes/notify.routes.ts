import { z } from 'zod';
import { Problem } from '@/common/problem';
import { text } from '@/common/schema-types';
import {
  announcementContent,
  announcementTitle,
} from '@/modules/notification/dto/announcement.schemas';
import type { AnnouncementView } from '@/modules/notification/dto/announcement.views';
import { NOTIFICATION_KINDS } from '@/modules/notification/entities';
import { clientRoute, code, formPage, jsonList, onlyNotFound, subjectCode } from '../client-route';
import { clientTime, parseClientTime } from '../client-time';
import { clientPage } from '../client-views';
import { clientNotification, TITLES } from './home.routes';

const OWN = "the member's own notifications";
const DEPLOYMENT =
  "the deployment's own announcements: its administrators (platform.administrators) only, checked by the operation";

/** An announcement as the client reads what save answers: id, title, content, create_time. */
function clientAnnouncement(announcement: AnnouncementView, zone: string) {
  return {
    id: announcement.id,
    code: announcement.id,
    title: announcement.title,
    content: announcement.content,
    type: 'system',
    create_time: clientTime(announcement.createdAt, zone),
    update_time: clientTime(announcement.updatedAt, zone),
  };
}

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
      'The notifications page: my notifications, newest first (type notice: every kind); the system announcements page (type system: announcements only)',
    uses: 'NotificationService.list',
    status: 'full',
    note: "its search: title matches the kinds whose shown title contains it, else the notification's sentence (for type system, the announcement's title); date (YYYY-MM-DD~YYYY-MM-DD) is a range of days in the configured zone, both days in",
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
      const title = params.title?.trim();
      const narrowed =
        params.type === 'system'
          ? { kinds: ['system' as const], ...(title ? { keyword: title } : {}) }
          : // The page asks for type notice, and both of the header's tabs lead to it: every
            // kind is listed, unless the title narrows them.
            { kinds: [], ...(title ? titleSearch(title) : {}) };
      const page = await services.notifications.list(memberId, {
        unreadOnly: false,
        ...narrowed,
        ...(params.date ? dayRange(params.date, timeZone) : {}),
        page: params.page,
        pageSize: params.pageSize,
      });
      return clientPage(page, (item) => clientNotification(item, timeZone));
    },
  }),
  clientRoute({
    path: 'project/notify/save',
    summary:
      'Send a system announcement (title, content) to every member, as a notification of type system (administrators only)',
    uses: 'AnnouncementService.send',
    status: 'full',
    note: "the deployment's administrators (platform.administrators) only: anyone else gets code 403; the sender is not told",
    scope: { notOrgScoped: DEPLOYMENT },
    params: z.object({ title: announcementTitle, content: announcementContent }),
    async handle({ params, memberId, services, timeZone }) {
      return clientAnnouncement(
        await services.announcements.send(memberId, {
          title: params.title,
          content: params.content,
        }),
        timeZone,
      );
    },
  }),
  clientRoute({
    path: 'project/notify/edit',
    summary:
      "Change a system announcement's title and content: every member's notification shows the change (administrators only)",
    uses: 'AnnouncementService.update',
    status: 'full',
    note: "id is the announcement's, as project/notify/save answers it",
    scope: { notOrgScoped: DEPLOYMENT },
    // Sent as id: the announcement's, as save answered it.
    aliases: { id: 'announcementCode' },
    params: z.object({
      announcementCode: subjectCode('announcement'),
      title: announcementTitle.optional(),
      content: announcementContent.optional(),
    }),
    async handle({ params, memberId, services, timeZone }) {
      return clientAnnouncement(
        await services.announcements.update(memberId, params.announcementCode, {
          ...(params.title !== undefined && { title: params.title }),
          ...(params.content !== undefined && { content: params.content }),
        }),
        timeZone,
      );
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
