import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, MoreThanOrEqual, Repository } from 'typeorm';
import { offset, type Paging } from '@/common/paging';
import { UserDirectory } from '@/modules/user/user-directory';
import { Announcement, Notification } from './entities';
import { NotificationRepository, type NewNotification } from './notification.repository';

/** Members told per batch: one insert of their notifications, one upsert of their counters. */
export const FAN_OUT_BATCH = 500;
/** The notification's sentence column (the announcement's title, cut to fit). */
const SENTENCE_MAX = 500;
/** The most announcements a new member gets at registration (the newest of the window). */
export const NEW_MEMBER_MAX = 20;

/** The notification that tells a member of an announcement (its sentence: the title). */
const told = (
  memberId: number,
  announcement: Pick<Announcement, 'id' | 'title' | 'createdBy'>,
  createdAt?: Date,
): NewNotification => ({
  memberId,
  kind: 'system',
  content: announcement.title,
  actorId: announcement.createdBy,
  announcementId: announcement.id,
  ...(createdAt && { createdAt }),
});

const isSqlite = (manager: EntityManager) => manager.connection.options.type === 'better-sqlite3';

export interface NewAnnouncement {
  title: string;
  content: string;
  createdBy: number;
}

/** System announcements and the notifications that carry them to every member. */
@Injectable()
export class AnnouncementRepository {
  constructor(
    @InjectRepository(Announcement) private readonly announcements: Repository<Announcement>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationRepository,
    private readonly directory: UserDirectory,
  ) {}

  /**
   * The announcement and a notification of kind `system` for every member but its sender, in
   * one transaction: members in ascending id order, a batch at a time, each batch's rows and
   * counters (stored, unread) written together, so that every counter is exact when it commits.
   */
  send(announcement: NewAnnouncement): Promise<Announcement> {
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        Announcement,
        manager.create(Announcement, { ...announcement, recipients: 0 }),
      );
      let recipients = 0;
      for (let after = 0; ;) {
        const batch = await this.directory.memberIdsAfter(manager, after, FAN_OUT_BATCH);
        if (batch.length === 0) break;
        after = batch[batch.length - 1];
        const others = batch.filter((memberId) => memberId !== announcement.createdBy);
        await this.notifications.add(
          others.map((memberId) => told(memberId, saved)),
          manager,
        );
        recipients += others.length;
        if (batch.length < FAN_OUT_BATCH) break;
      }
      await manager.update(Announcement, { id: saved.id }, { recipients });
      return manager.findOneByOrFail(Announcement, { id: saved.id });
    });
  }

  /**
   * Changes the announcement and, with its title, the sentence of every notification that
   * carries it, in one transaction; whether each was read stays as it was (no counter moves).
   * Null when there is no such announcement.
   */
  update(
    id: number,
    changes: Partial<Pick<Announcement, 'title' | 'content'>>,
  ): Promise<Announcement | null> {
    return this.dataSource.transaction(async (manager) => {
      const found = manager
        .createQueryBuilder(Announcement, 'announcement')
        .where({ id, deletedAt: IsNull() });
      if (!isSqlite(manager)) found.setLock('pessimistic_write');
      if (!(await found.getOne())) return null;
      await manager.update(Announcement, { id }, { ...changes, updatedAt: new Date() });
      if (changes.title !== undefined) {
        await manager.update(
          Notification,
          { announcementId: id },
          { content: changes.title.slice(0, SENTENCE_MAX) },
        );
      }
      return manager.findOneByOrFail(Announcement, { id });
    });
  }

  /** The announcements not being deleted, newest first, with their exact count. */
  async list(paging: Paging): Promise<{ rows: Announcement[]; total: number }> {
    const [rows, total] = await this.announcements.findAndCount({
      where: { deletedAt: IsNull() },
      order: { id: 'DESC' },
      skip: offset(paging),
      take: paging.pageSize,
    });
    return { rows, total };
  }

  /** The announcement, unless it is unknown or being deleted. */
  find(id: number): Promise<Announcement | null> {
    return this.announcements.findOneBy({ id, deletedAt: IsNull() });
  }

  /**
   * Deletes the announcement and every notification that carries it; false when there is no
   * such announcement. First marked deleted (from then on nobody lists, edits or newly gets
   * it), then its notifications go a batch at a time, each batch with its members' counters in
   * its own transaction, so every counter is exact at every commit and no transaction grows
   * with the number of members; the row goes last. A deletion cut short is finished by
   * deleting it again.
   */
  async remove(id: number): Promise<boolean> {
    const marked = await this.dataSource.transaction(async (manager) => {
      const found = manager.createQueryBuilder(Announcement, 'announcement').where({ id });
      if (!isSqlite(manager)) found.setLock('pessimistic_write');
      const announcement = await found.getOne();
      if (!announcement) return false;
      if (announcement.deletedAt === null) {
        // Its last edit stays as it was.
        await manager
          .createQueryBuilder()
          .update(Announcement)
          .set({ deletedAt: () => 'CURRENT_TIMESTAMP', updatedAt: () => 'updatedAt' })
          .where({ id })
          .execute();
      }
      return true;
    });
    if (!marked) return false;
    for (;;) {
      let removed: number;
      do {
        removed = await this.notifications.removeOfAnnouncement(id, FAN_OUT_BATCH);
      } while (removed > 0);
      // A concurrent deletion may have held rows this one passed over: the row goes only once
      // none is left.
      const done = await this.dataSource.transaction(async (manager) => {
        if (await manager.existsBy(Notification, { announcementId: id })) return false;
        await manager.delete(Announcement, { id });
        return true;
      });
      if (done) return true;
    }
  }

  /**
   * Gives a member who registers now the announcements that are still current: not being
   * deleted, sent at or after `since`, the newest NEW_MEMBER_MAX at most, each as a
   * notification dated when it was sent and counted among its recipients, within the
   * registration's transaction. The announcements are locked first, so a deletion or a
   * sending under way is waited for: the new member gets each announcement once, and none
   * that is going.
   */
  async deliverToNewMember(memberId: number, since: Date, manager: EntityManager): Promise<void> {
    const found = manager
      .createQueryBuilder(Announcement, 'announcement')
      .where({ createdAt: MoreThanOrEqual(since), deletedAt: IsNull() })
      .orderBy('announcement.createdAt', 'DESC')
      .addOrderBy('announcement.id', 'DESC')
      .limit(NEW_MEMBER_MAX);
    if (!isSqlite(manager)) found.setLock('pessimistic_write');
    // Oldest first: the newest gets the highest notification id, as if told when it was sent.
    const current = (await found.getMany()).reverse();
    if (current.length === 0) return;
    await this.notifications.add(
      current.map((announcement) => told(memberId, announcement, announcement.createdAt)),
      manager,
    );
    await manager
      .createQueryBuilder()
      .update(Announcement)
      .set({ recipients: () => 'recipients + 1', updatedAt: () => 'updatedAt' })
      .where({ id: In(current.map((announcement) => announcement.id)) })
      .execute();
  }

  /** The announcements by id (those that exist). */
  async findMany(ids: number[]): Promise<Map<number, Announcement>> {
    if (ids.length === 0) return new Map();
    const rows = await this.announcements.findBy({ id: In(ids) });
    return new Map(rows.map((row) => [row.id, row]));
  }
}
