import { encodeId, type IdKind } from '@/common/public-id';
import type { MemberSummary } from '@/modules/user/user-directory';
import type { Announcement, Notification } from '../entities';

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
const optionalId = (id: number | null, kind: IdKind) => (id ? encodeId(id, kind) : null);

/**
 * A notification as its member sees it: what happened, who did it, and the ids to link; a
 * system announcement's title and text as they are now.
 */
export function notificationView(
  row: Notification,
  members: Map<number, MemberSummary>,
  announcements: Map<number, Announcement> = new Map(),
) {
  const announcement = row.announcementId ? announcements.get(row.announcementId) : undefined;
  return {
    id: encodeId(row.id, 'notification'),
    kind: row.kind,
    content: row.content,
    actor: row.actorId
      ? (members.get(row.actorId) ?? {
          id: encodeId(row.actorId, 'member'),
          name: '',
          avatar: null,
          account: '',
        })
      : null,
    projectId: optionalId(row.projectId, 'project'),
    taskId: optionalId(row.taskId, 'task'),
    organizationId: optionalId(row.organizationId, 'organization'),
    invitationId: optionalId(row.invitationId, 'invitation'),
    announcement: announcement
      ? {
          id: encodeId(announcement.id, 'announcement'),
          title: announcement.title,
          content: announcement.content,
        }
      : null,
    read: row.readAt !== null,
    readAt: iso(row.readAt),
    createdAt: iso(row.createdAt)!,
  };
}

export type NotificationView = ReturnType<typeof notificationView>;
