import { z } from 'zod';
import type { NotificationView } from '@/modules/notification/dto/notification.views';
import { clientTime } from '../client-time';
import { clientRoute, formInt, formPage } from '../client-route';

const OWN = "the member's own notifications and calendar";

/** The unread notifications the header shows at once. */
const HEADER_NOTIFICATIONS = 20;

const TITLES: Record<string, string> = {
  taskAssigned: '任务指派',
  mentioned: '有人提到了你',
  addedToProject: '加入项目',
  invited: '组织邀请',
};

/** The client shows a notification's content as HTML: escaped, it stays the text it is. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function clientNotification(notification: NotificationView, zone: string) {
  return {
    id: notification.id,
    code: notification.id,
    type: notification.kind,
    title: TITLES[notification.kind] ?? '',
    content: escapeHtml(notification.content),
    avatar: notification.actor?.avatar ?? '',
    is_read: 0,
    create_time: clientTime(notification.createdAt, zone),
  };
}

export const HOME_ROUTES = [
  clientRoute({
    path: 'project/notify/noReads',
    summary:
      'The header bell: my newest unread notifications as messages (content HTML-escaped) and their count',
    uses: 'NotificationService.list, NotificationService.countUnread',
    status: 'partial',
    note: 'no notices or task reminders: those lists stay empty',
    scope: { notOrgScoped: OWN },
    params: z.object({}),
    async handle({ memberId, services, timeZone }) {
      const page = await services.notifications.list(memberId, {
        unreadOnly: true,
        page: 1,
        pageSize: HEADER_NOTIFICATIONS,
      });
      const { unread } = await services.notifications.countUnread(memberId);
      return {
        list: {
          message: page.items.map((item) => clientNotification(item, timeZone)),
          notice: [],
          task: [],
        },
        total: unread,
        totalSum: { message: unread, notice: 0, task: 0 },
      };
    },
  }),
  clientRoute({
    path: 'project/events/myList',
    summary: 'Calendar events: msproject has no calendar, always an empty list',
    uses: '(none)',
    status: 'empty',
    note: 'no calendar feature',
    scope: { notOrgScoped: OWN },
    params: z.object({ deleted: formInt({ min: 0, max: 1 }).optional(), ...formPage }),
    handle({ params }) {
      return Promise.resolve({ list: [], total: 0, page: params.page });
    },
  }),
];
