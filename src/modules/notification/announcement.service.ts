import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import { PlatformAdministrators } from '@/modules/user/platform-administrators';
import { TracedService } from '@/telemetry/traced-service';
import { AnnouncementRepository } from './announcement.repository';
import type {
  ListAnnouncementsQuery,
  SendAnnouncementRequest,
  UpdateAnnouncementRequest,
} from './dto/announcement.schemas';
import { announcementView } from './dto/announcement.views';
import { NotificationFreshness } from './notification-freshness';

/**
 * System announcements: the deployment's administrators (`platform.administrators`) send them
 * to every member, as notifications of kind `system`, list, read, edit and delete them; what
 * members see follows the edit and goes with the deletion. Anyone else gets 403: members read
 * the announcements they got through their notifications.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class AnnouncementService {
  constructor(
    private readonly announcements: AnnouncementRepository,
    private readonly administrators: PlatformAdministrators,
    private readonly freshness: NotificationFreshness,
  ) {}

  /** Newest first, with how many members each reached. */
  async list(memberId: number, query: ListAnnouncementsQuery) {
    await this.administrators.require(memberId);
    await this.freshness.preferPrimaryIfRecent(memberId);
    const { rows, total } = await this.announcements.list(query);
    return {
      items: rows.map(announcementView),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async get(memberId: number, announcementId: number) {
    await this.administrators.require(memberId);
    await this.freshness.preferPrimaryIfRecent(memberId);
    const announcement = await this.announcements.find(announcementId);
    if (!announcement) throw Problem.notFound('announcement not found');
    return announcementView(announcement);
  }

  async send(memberId: number, request: SendAnnouncementRequest) {
    await this.administrators.require(memberId);
    const announcement = await this.announcements.send({
      title: request.title,
      content: request.content,
      createdBy: memberId,
    });
    await this.freshness.written(memberId);
    return announcementView(announcement);
  }

  async update(memberId: number, announcementId: number, request: UpdateAnnouncementRequest) {
    await this.administrators.require(memberId);
    const announcement = await this.announcements.update(announcementId, {
      ...(request.title !== undefined && { title: request.title }),
      ...(request.content !== undefined && { content: request.content }),
    });
    if (!announcement) throw Problem.notFound('announcement not found');
    await this.freshness.written(memberId);
    return announcementView(announcement);
  }

  /** Gone for everyone: from every member's notifications, their counters following. */
  async remove(memberId: number, announcementId: number): Promise<void> {
    await this.administrators.require(memberId);
    if (!(await this.announcements.remove(announcementId))) {
      throw Problem.notFound('announcement not found');
    }
    await this.freshness.written(memberId);
  }
}
