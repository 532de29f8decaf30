import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import { MemberRegistration } from '@/modules/user/member-registration';
import { AnnouncementRepository } from './announcement.repository';
import { NotificationFreshness } from './notification-freshness';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A member who registers after an announcement was sent gets it too, while it is current: sent
 * within `announcements.newMemberWindowDays` (read at registration) and not deleted. Delivered
 * in the registration's transaction, a bounded number of rows, so their counters are exact
 * from their first request.
 */
@Injectable()
export class NewMemberAnnouncements implements OnModuleInit {
  constructor(
    private readonly registration: MemberRegistration,
    private readonly announcements: AnnouncementRepository,
    private readonly freshness: NotificationFreshness,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  onModuleInit(): void {
    this.registration.on(async (member, manager) => {
      const { newMemberWindowDays } = this.config.get('announcements', { infer: true });
      if (newMemberWindowDays === 0) return;
      const since = new Date(Date.now() - newMemberWindowDays * DAY_MS);
      await this.announcements.deliverToNewMember(member.id, since, manager);
      await this.freshness.written(member.id);
    });
  }
}
