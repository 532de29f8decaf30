import { z } from 'zod';
import type { NotificationView } from '@/modules/notification/dto/notification.views';
import type { NotificationKind } from '@/modules/notification/entities';
import { clientAvatar } from '../client-avatars';
import { escapeHtml } from '../client-log-lines';
import { clientTime } from '../client-time';
import { clientRoute, formInt, formPage } from '../client-route';

const OWN = "the member's own notifications and calendar";

/** The unread notifications the header shows at once. */
const HEADER_NOTIFICATIONS = 20;

/** A notification's title as the client shows it (the notifications page searches it). */
export const TITLES: Record<NotificationKind, string> = {
  taskAssigned: '任务指派',
  mentioned: '有人提到了你',
  addedToProject: '加入项目',
  invited: '组织邀请',
};

/**
 * The header's tabs, as the original fills them: "message" the task events (opening one goes
 * to the task), "notice" the rest (projects joined, organization invitations). Its third tab,
 * the to-do list of task reminders, has no kind to show: msproject sends no reminders.
 */
const TAB_KINDS = {
  message: ['taskAssigned', 'mentioned'],
  notice: ['addedToProject', 'invited'],
} as const satisfies Record<string, NotificationKind[]>;

export function clientNotification(notification: NotificationView, zone: string) {
  const task = notification.taskId !== null;
  return {
    id: notification.id,
    code: notification.id,
    type: notification.kind,
    title: TITLES[notification.kind] ?? '',
    content: escapeHtml(notification.content),
    avatar: clientAvatar(notification.actor),
    is_read: notification.read ? 1 : 0,
    // What opening it does: the client parses send_data whatever the action.
    action: task ? 'task' : 'notice',
    send_data: JSON.stringify(
      task ? { code: notification.taskId, project_code: notification.projectId } : {},
    ),
    create_time: clientTime(notification.createdAt, zone),
  };
}

export const HOME_ROUTES = [
  clientRoute({
    path: 'project/notify/noReads',
    summary:
      'The header bell: my newest unread notifications (content HTML-escaped) in its tabs, task events as messages, the others as notices, with their counts',
    uses: 'NotificationService.list, NotificationService.countUnread',
    status: 'full',
    note: 'the to-do tab (task reminders) stays empty: msproject has no reminder kind',
    scope: { notOrgScoped: OWN },
    params: z.object({}),
    async handle({ memberId, services, timeZone }) {
      const tab = async (kinds: readonly NotificationKind[]) =>
        (
          await services.notifications.list(memberId, {
            unreadOnly: true,
            kinds: [...kinds],
            page: 1,
            pageSize: HEADER_NOTIFICATIONS,
          })
        ).items.map((item) => clientNotification(item, timeZone));
      const { byKind } = await services.notifications.countUnread(memberId);
      const count = (kinds: readonly NotificationKind[]) =>
        kinds.reduce((sum, kind) => sum + byKind[kind], 0);
      const message = count(TAB_KINDS.message);
      const notice = count(TAB_KINDS.notice);
      return {
        list: {
          message: await tab(TAB_KINDS.message),
          notice: await tab(TAB_KINDS.notice),
          task: [],
        },
        total: message + notice,
        totalSum: { message, notice, task: 0 },
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
