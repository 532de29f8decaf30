import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
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

/** Stored notifications, one row per recipient. */
@Injectable()
export class NotificationRepository {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
  ) {}

  /**
   * Stores one notification per entry; within `manager`'s transaction when given, so a
   * notification exists exactly when what it announces does. A member is never told about
   * their own action.
   */
  async add(entries: NewNotification[], manager?: EntityManager): Promise<void> {
    const wanted = entries.filter((entry) => entry.memberId !== entry.actorId);
    if (wanted.length === 0) return;
    const repository = manager ? manager.getRepository(Notification) : this.notifications;
    await repository.insert(wanted);
  }
}
