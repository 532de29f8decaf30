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
  system: '系统公告',
};

/**
 * The header's tabs, as the original fills them: "message" the task events (opening one goes
 * to the task), "notice" the rest (projects joined, organization invitations, announcements). Its third tab,
 * the to-do list of task reminders, has no kind to show: msproject sends no reminders.
 */
export const TAB_KINDS = {
  message: ['taskAssigned', 'mentioned'],
  notice: ['addedToProject', 'invited', 'system'],
} as const satisfies Record<string, NotificationKind[]>;

/**
 * A notification's sentence as the client's users read it. The stored sentence is English (the
 * API's); each kind's is rebuilt here in Chinese from its names, the stored one kept when it
 * does not have the kind's shape. An announcement has none: it shows its own text.
 */
const SENTENCES: Partial<
  Record<
    NotificationKind,
    { english: RegExp; chinese: (actor: string, ...names: string[]) => string }
  >
> = {
  taskAssigned: {
    english: /^assigned you the task ([\s\S]*)$/,
    chinese: (actor, task) => `${actor}将任务「${task}」指派给你`,
  },
  mentioned: {
    english: /^mentioned you in a comment on the task ([\s\S]*)$/,
    chinese: (actor, task) => `${actor}在任务「${task}」的评论中提到了你`,
  },
  addedToProject: {
    english: /^added you to the project ([\s\S]*)$/,
    chinese: (actor, project) => `${actor}将你加入了项目「${project}」`,
  },
  invited: {
    english: /^([\s\S]*?) invited you to join ([\s\S]*)$/,
    chinese: (_actor, inviter, organization) => `${inviter} 邀请你加入组织「${organization}」`,
  },
};

export function notificationSentence(notification: NotificationView): string {
  const sentence = SENTENCES[notification.kind];
  const names = sentence ? sentence.english.exec(notification.content) : null;
  if (!sentence || !names) return notification.content;
  return sentence.chinese(notification.actor?.name || '有人', ...names.slice(1));
}

/** An announcement shows its own title and text, as they are now. */
export function clientNotification(notification: NotificationView, zone: string) {
  const task = notification.taskId !== null;
  const { announcement } = notification;
  return {
    id: notification.id,
    code: notification.id,
    type: notification.kind,
    title: announcement ? announcement.title : (TITLES[notification.kind] ?? ''),
    content: escapeHtml(announcement ? announcement.content : notificationSentence(notification)),
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
