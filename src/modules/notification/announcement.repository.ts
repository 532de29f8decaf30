import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { UserDirectory } from '@/modules/user/user-directory';
import { Announcement, Notification } from './entities';
import { NotificationRepository } from './notification.repository';

/** Members told per batch: one insert of their notifications, one upsert of their counters. */
export const FAN_OUT_BATCH = 500;
/** The notification's sentence column (the announcement's title, cut to fit). */
const SENTENCE_MAX = 500;

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
        const told = batch.filter((memberId) => memberId !== announcement.createdBy);
        await this.notifications.add(
          told.map((memberId) => ({
            memberId,
            kind: 'system' as const,
            content: announcement.title,
            actorId: announcement.createdBy,
            announcementId: saved.id,
          })),
          manager,
        );
        recipients += told.length;
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
      const found = manager.createQueryBuilder(Announcement, 'announcement').where({ id });
      if (manager.connection.options.type !== 'better-sqlite3') found.setLock('pessimistic_write');
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

  /** The announcements by id (those that exist). */
  async findMany(ids: number[]): Promise<Map<number, Announcement>> {
    if (ids.length === 0) return new Map();
    const rows = await this.announcements.findBy({ id: In(ids) });
    return new Map(rows.map((row) => [row.id, row]));
  }
}
