import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  And,
  DataSource,
  EntityManager,
  In,
  IsNull,
  LessThan,
  MoreThanOrEqual,
  Raw,
  Repository,
  type FindOperator,
  type FindOptionsWhere,
} from 'typeorm';
import { offset, type Paging } from '@/common/paging';
import type { AppConfig } from '@/config/schema';
import { addToTotals, readTotal, type TotalChange } from '@/infra/database/list-totals';
import { hydrator, onReadRunner } from '@/infra/database/raw-reads';
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
  announcementId?: number | null;
  /** When it happened, if not now (an announcement a new member gets: when it was sent). */
  createdAt?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Rows pruned per recipient per store at most (on average over a store's recipients): each
 * store adds one, so the surplus stays small.
 */
const PRUNE_BATCH = 100;
/** The column holds the content; a longer sentence (a long task name) is cut to fit. */
const CONTENT_MAX = 500;

/** A member's notifications, newest first; the unread ones only. */
export const NOTIFICATION_LIST_SQL = {
  // A range of the (memberId, id) index.
  all: 'SELECT * FROM notification WHERE memberId = ? ORDER BY id DESC LIMIT ? OFFSET ?',
  // A range of the (memberId, readAt) index, whose entries end in the id.
  unread:
    'SELECT * FROM notification WHERE memberId = ? AND readAt IS NULL ORDER BY id DESC LIMIT ? OFFSET ?',
};

/** What a member's notification list is narrowed to; nothing narrows it when empty. */
export interface NotificationFilter {
  unreadOnly: boolean;
  /** Some kinds only. */
  kinds: NotificationKind[];
  /** The sentence contains it (any case). */
  keyword?: string;
  createdFrom?: Date;
  createdBefore?: Date;
}

/** `text` as a LIKE pattern that matches it anywhere, its wildcards taken literally. */
function containing(text: string): ReturnType<typeof Raw> {
  const pattern = `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  return Raw((column) => `LOWER(${column}) LIKE LOWER(:pattern) ESCAPE '!'`, { pattern });
}

function createdWithin(filter: NotificationFilter): FindOperator<Date> | undefined {
  const bounds = [
    filter.createdFrom ? MoreThanOrEqual(filter.createdFrom) : undefined,
    filter.createdBefore ? LessThan(filter.createdBefore) : undefined,
  ].filter((bound) => bound !== undefined);
  return bounds.length ? And(...bounds) : undefined;
}

/** Stored and unread counts change with every store, prune and read (list-totals.ts). */
const stored = (memberId: number, delta: number): TotalChange[] => [
  { memberId, list: 'notifications', delta },
  { memberId, list: 'notifications:unread', delta },
];

/** What a notification's going takes off its member's counters, read or unread as it was. */
const gone = (row: Pick<Notification, 'memberId' | 'readAt'>): TotalChange[] => [
  { memberId: row.memberId, list: 'notifications', delta: -1 },
  ...(row.readAt === null
    ? [{ memberId: row.memberId, list: 'notifications:unread' as const, delta: -1 }]
    : []),
];

/** Stored notifications, one row per recipient. */
@Injectable()
export class NotificationRepository {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
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
    const store = async (manager: EntityManager) => {
      const repository = manager.getRepository(Notification);
      await repository.insert(wanted);
      const changes = wanted.flatMap((entry) => stored(entry.memberId, 1));
      changes.push(
        ...(await this.prune(repository, [...new Set(wanted.map((entry) => entry.memberId))])),
      );
      await addToTotals(manager, changes);
    };
    if (manager) await store(manager);
    else await this.dataSource.transaction(store);
  }

  /**
   * Deletes the recipients' notifications that the retention rule lets go: read longer ago
   * than `retentionDays`, or beyond their newest `maxPerMember`. The ids are found by plain
   * reads and deleted by primary key in ascending order, so concurrent stores lock the rows
   * they prune in one order and never the index ranges new rows go into. The rows are locked
   * before they go, so the counters lose exactly those this prune deleted; returns the changes.
   */
  private async prune(
    repository: Repository<Notification>,
    memberIds: number[],
  ): Promise<TotalChange[]> {
    const { retentionDays, maxPerMember } = this.config.get('notifications', { infer: true });
    const readBefore = new Date(Date.now() - retentionDays * DAY_MS);
    const doomed = new Set<number>();
    // One query for all the recipients (an announcement tells every member at once).
    const stale = await repository.find({
      select: { id: true },
      where: { memberId: In(memberIds), readAt: LessThan(readBefore) },
      take: PRUNE_BATCH * memberIds.length,
    });
    for (const { id } of stale) doomed.add(id);
    // Only those holding more than they may keep have a surplus to look for.
    const crowded = await repository
      .createQueryBuilder('notification')
      .select('notification.memberId', 'memberId')
      .where({ memberId: In(memberIds) })
      .groupBy('notification.memberId')
      .having('COUNT(*) > :maxPerMember', { maxPerMember })
      .getRawMany<{ memberId: number | string }>();
    for (const { memberId } of crowded) {
      const surplus = await repository.find({
        select: { id: true },
        where: { memberId: Number(memberId) },
        order: { id: 'DESC' },
        skip: maxPerMember,
        take: PRUNE_BATCH,
      });
      for (const { id } of surplus) doomed.add(id);
    }
    if (doomed.size === 0) return [];
    const ids = [...doomed].sort((a, b) => a - b);
    const locked = repository
      .createQueryBuilder('notification')
      .select(['notification.id', 'notification.memberId', 'notification.readAt'])
      .where({ id: In(ids) })
      .orderBy('notification.id', 'ASC');
    if (repository.manager.connection.options.type !== 'better-sqlite3') {
      locked.setLock('pessimistic_write');
    }
    const rows = await locked.getMany();
    if (rows.length === 0) return [];
    await repository.delete({ id: In(rows.map((row) => row.id)) });
    return rows.flatMap(gone);
  }

  /** The member's notifications, newest first, narrowed by `filter`. */
  async listForMember(memberId: number, filter: NotificationFilter, paging: Paging) {
    const { unreadOnly, kinds } = filter;
    const created = createdWithin(filter);
    // Narrowed (the web client's tabs, a search): their own count, from the (memberId,
    // readAt, kind) index for unread ones of some kinds, else a range of (memberId, id).
    if (kinds.length || filter.keyword || created) {
      const where: FindOptionsWhere<Notification> = {
        memberId,
        ...(unreadOnly ? { readAt: IsNull() } : {}),
        ...(kinds.length ? { kind: In(kinds) } : {}),
        ...(filter.keyword ? { content: containing(filter.keyword) } : {}),
        ...(created ? { createdAt: created } : {}),
      };
      const [rows, total] = await this.notifications.findAndCount({
        where,
        order: { id: 'DESC' },
        skip: offset(paging),
        take: paging.pageSize,
      });
      return { rows, total };
    }
    const toNotification = hydrator(this.dataSource, Notification);
    return onReadRunner(this.dataSource, async (query) => {
      const [raw, total] = await Promise.all([
        query(NOTIFICATION_LIST_SQL[unreadOnly ? 'unread' : 'all'], [
          memberId,
          paging.pageSize,
          offset(paging),
        ]) as Promise<Record<string, unknown>[]>,
        readTotal(query, memberId, unreadOnly ? 'notifications:unread' : 'notifications'),
      ]);
      return { rows: raw.map(toNotification), total };
    });
  }

  /** The unread counter: one primary-key read however many there are. */
  countUnread(memberId: number): Promise<number> {
    return onReadRunner(this.dataSource, (query) =>
      readTotal(query, memberId, 'notifications:unread'),
    );
  }

  /** The unread ones of each kind that has any, from the (memberId, readAt, kind) index alone. */
  async countUnreadByKind(memberId: number): Promise<Map<NotificationKind, number>> {
    const rows = await this.notifications
      .createQueryBuilder('notification')
      .select('notification.kind', 'kind')
      .addSelect('COUNT(*)', 'unread')
      .where('notification.memberId = :memberId AND notification.readAt IS NULL', { memberId })
      .groupBy('notification.kind')
      .getRawMany<{ kind: NotificationKind; unread: number | string }>();
    return new Map(rows.map((row) => [row.kind, Number(row.unread)]));
  }

  /** The member's own notification; another member's is as unknown as a missing one. */
  findForMember(memberId: number, id: number): Promise<Notification | null> {
    return this.notifications.findOneBy({ id, memberId });
  }

  async markRead(memberId: number, id: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.update(
        Notification,
        { id, memberId, readAt: IsNull() },
        { readAt: new Date() },
      );
      await addToTotals(manager, [
        { memberId, list: 'notifications:unread', delta: -(result.affected ?? 0) },
      ]);
    });
  }

  /**
   * How many went: 0 when it is not the member's (another member's is left alone). The row is
   * locked first, so the counters lose it once, read or unread as it was when it went.
   */
  remove(memberId: number, id: number): Promise<number> {
    return this.dataSource.transaction((manager) =>
      this.removeLocked(manager, { id, memberId }, 1),
    );
  }

  /**
   * Deletes up to `limit` of the notifications that carry the announcement, in one
   * transaction with their members' counters; how many went (0: none is left).
   */
  removeOfAnnouncement(announcementId: number, limit: number): Promise<number> {
    return this.dataSource.transaction((manager) =>
      this.removeLocked(manager, { announcementId }, limit),
    );
  }

  /**
   * Locks up to `limit` of the notifications `where` names (in ascending id order, as a prune
   * does) and deletes them, taking each off its member's counters as it was when it went.
   */
  private async removeLocked(
    manager: EntityManager,
    where: FindOptionsWhere<Notification>,
    limit: number,
  ): Promise<number> {
    const found = manager
      .createQueryBuilder(Notification, 'notification')
      .select(['notification.id', 'notification.memberId', 'notification.readAt'])
      .where(where)
      .orderBy('notification.id', 'ASC')
      .limit(limit);
    if (manager.connection.options.type !== 'better-sqlite3') found.setLock('pessimistic_write');
    const rows = await found.getMany();
    if (rows.length === 0) return 0;
    await manager.delete(Notification, { id: In(rows.map((row) => row.id)) });
    await addToTotals(manager, rows.flatMap(gone));
    return rows.length;
  }

  /** How many were unread. */
  markAllRead(memberId: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager.update(
        Notification,
        { memberId, readAt: IsNull() },
        { readAt: new Date() },
      );
      const marked = result.affected ?? 0;
      await addToTotals(manager, [{ memberId, list: 'notifications:unread', delta: -marked }]);
      return marked;
    });
  }
}
