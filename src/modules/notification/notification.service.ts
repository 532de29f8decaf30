import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { Problem } from '@/common/problem';
import { UserDirectory } from '@/modules/user/user-directory';
import type { ListNotificationsQuery } from './dto/notification.schemas';
import { notificationView } from './dto/notification.views';
import { NOTIFICATION_KINDS, type Notification, type NotificationKind } from './entities';
import { AnnouncementRepository } from './announcement.repository';
import { NotificationFreshness } from './notification-freshness';
import { NotificationRepository } from './notification.repository';

/** A member's own notifications: listed, counted and marked read, by that member only. */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class NotificationService {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly directory: UserDirectory,
    private readonly freshness: NotificationFreshness,
    private readonly announcements: AnnouncementRepository,
  ) {}

  async list(memberId: number, query: ListNotificationsQuery) {
    await this.freshness.preferPrimaryIfRecent(memberId);
    const { rows, total } = await this.notifications.listForMember(
      memberId,
      {
        unreadOnly: query.unreadOnly,
        kinds: query.kinds,
        keyword: query.keyword || undefined,
        createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
        createdBefore: query.createdBefore ? new Date(query.createdBefore) : undefined,
      },
      query,
    );
    return {
      items: await this.views(rows),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async countUnread(memberId: number) {
    await this.freshness.preferPrimaryIfRecent(memberId);
    const byKind = await this.notifications.countUnreadByKind(memberId);
    return {
      unread: [...byKind.values()].reduce((sum, count) => sum + count, 0),
      byKind: Object.fromEntries(
        NOTIFICATION_KINDS.map((kind) => [kind, byKind.get(kind) ?? 0]),
      ) as Record<NotificationKind, number>,
    };
  }

  /** Marks it read (again: no change); someone else's is not found. */
  async markRead(memberId: number, notificationId: number) {
    // The write goes first: what follows reads the primary, where a new one surely is.
    await this.notifications.markRead(memberId, notificationId);
    const row = await this.notifications.findForMember(memberId, notificationId);
    if (!row) throw Problem.notFound('notification not found');
    await this.freshness.written(memberId);
    return (await this.views([row]))[0];
  }

  /** Deleted for good, read or not; someone else's is not found. */
  async remove(memberId: number, notificationId: number): Promise<void> {
    if ((await this.notifications.remove(memberId, notificationId)) === 0) {
      throw Problem.notFound('notification not found');
    }
    await this.freshness.written(memberId);
  }

  async markAllRead(memberId: number) {
    const marked = await this.notifications.markAllRead(memberId);
    await this.freshness.written(memberId);
    return { marked };
  }

  private async views(rows: Notification[]) {
    const actorIds = [...new Set(rows.flatMap((row) => (row.actorId ? [row.actorId] : [])))];
    const members = await this.directory.summaries(actorIds);
    const announcements = await this.announcements.findMany([
      ...new Set(rows.flatMap((row) => (row.announcementId ? [row.announcementId] : []))),
    ]);
    return rows.map((row) => notificationView(row, members, announcements));
  }
}
