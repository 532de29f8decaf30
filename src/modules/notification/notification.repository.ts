import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, LessThan, Repository } from 'typeorm';
import { offset, type Paging } from '@/common/paging';
import type { AppConfig } from '@/config/schema';
import { Notification, type NotificationKind } from './entities';

export interface NewNotification {
  memberId: number;
  kind: NotificationKind;
  content: string;
  actorId?: number | null;
  organizationId?: number | null;
  projectId?: number | null;
  taskId?: number | null;
  invitationId?: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows pruned per member per store at most: each store adds one, so the surplus stays small. */
const PRUNE_BATCH = 100;
/** The column holds the content; a longer sentence (a long task name) is cut to fit. */
const CONTENT_MAX = 500;

/** Stored notifications, one row per recipient. */
@Injectable()
export class NotificationRepository {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /**
   * Stores one notification per entry; within `manager`'s transaction when given, so a
   * notification exists exactly when what it announces does. A member is never told about
   * their own action. Each recipient's old ones are pruned on the way (`notifications.*`).
   */
  async add(entries: NewNotification[], manager?: EntityManager): Promise<void> {
    const wanted = entries
      .filter((entry) => entry.memberId !== entry.actorId)
      .map((entry) => ({ ...entry, content: entry.content.slice(0, CONTENT_MAX) }));
    if (wanted.length === 0) return;
    const repository = manager ? manager.getRepository(Notification) : this.notifications;
    await repository.insert(wanted);
    await this.prune(repository, [...new Set(wanted.map((entry) => entry.memberId))]);
  }

  /**
   * Deletes the recipients' notifications that the retention rule lets go: read longer ago
   * than `retentionDays`, or beyond their newest `maxPerMember`. The ids are found by plain
   * reads and deleted by primary key in ascending order, so concurrent stores lock the rows
   * they prune in one order and never the index ranges new rows go into.
   */
  private async prune(repository: Repository<Notification>, memberIds: number[]) {
    const { retentionDays, maxPerMember } = this.config.get('notifications', { infer: true });
    const readBefore = new Date(Date.now() - retentionDays * DAY_MS);
    const doomed = new Set<number>();
    for (const memberId of memberIds) {
      const stale = await repository.find({
        select: { id: true },
        where: { memberId, readAt: LessThan(readBefore) },
        take: PRUNE_BATCH,
      });
      const surplus = await repository.find({
        select: { id: true },
        where: { memberId },
        order: { id: 'DESC' },
        skip: maxPerMember,
        take: PRUNE_BATCH,
      });
      for (const { id } of [...stale, ...surplus]) doomed.add(id);
    }
    if (doomed.size === 0) return;
    await repository.delete({ id: In([...doomed].sort((a, b) => a - b)) });
  }

  /** The member's notifications, newest first; only the unread ones when asked. */
  async listForMember(memberId: number, unreadOnly: boolean, paging: Paging) {
    const [rows, total] = await this.notifications.findAndCount({
      where: unreadOnly ? { memberId, readAt: IsNull() } : { memberId },
      order: { id: 'DESC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  /** Answered from the (memberId, readAt) index alone. */
  async countUnread(memberId: number): Promise<number> {
    const row = await this.notifications
      .createQueryBuilder('notification')
      .select('COUNT(*)', 'unread')
      .where('notification.memberId = :memberId AND notification.readAt IS NULL', { memberId })
      .getRawOne<{ unread: number | string }>();
    return Number(row?.unread ?? 0);
  }

  /** The member's own notification; another member's is as unknown as a missing one. */
  findForMember(memberId: number, id: number): Promise<Notification | null> {
    return this.notifications.findOneBy({ id, memberId });
  }

  async markRead(memberId: number, id: number): Promise<void> {
    await this.notifications.update({ id, memberId, readAt: IsNull() }, { readAt: new Date() });
  }

  /** How many went: 0 when it is not the member's (another member's is left alone). */
  async remove(memberId: number, id: number): Promise<number> {
    const result = await this.notifications.delete({ id, memberId });
    return result.affected ?? 0;
  }

  /** How many were unread. */
  async markAllRead(memberId: number): Promise<number> {
    const result = await this.notifications.update(
      { memberId, readAt: IsNull() },
      { readAt: new Date() },
    );
    return result.affected ?? 0;
  }
}
