import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import { PlatformAdministrators } from '@/modules/user/platform-administrators';
import { TracedService } from '@/telemetry/traced-service';
import { AnnouncementRepository } from './announcement.repository';
import type {
  SendAnnouncementRequest,
  UpdateAnnouncementRequest,
} from './dto/announcement.schemas';
import { announcementView } from './dto/announcement.views';
import { NotificationFreshness } from './notification-freshness';

/**
 * System announcements: the deployment's administrators (`platform.administrators`) send them
 * to every member, as notifications of kind `system`, and edit them; what members see follows
 * the edit. Anyone else gets 403.
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
}
