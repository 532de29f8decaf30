import { Controller } from '@nestjs/common';
import { NotOrgScoped } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  AnnouncementServiceControllerMethods,
  type AnnouncementServiceController,
} from '@/generated/notification/v1/notification';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { AnnouncementService } from '../announcement.service';
import {
  listAnnouncementsQuery,
  sendAnnouncementRequest,
  updateAnnouncementRequest,
  type ListAnnouncementsQuery,
  type SendAnnouncementRequest,
  type UpdateAnnouncementRequest,
} from '../dto/announcement.schemas';

const DEPLOYMENT =
  "the deployment's own announcements: its administrators (platform.administrators) only, checked by the operation";

/** msproject.notification.v1.AnnouncementService: the same rules, and schemas, as the REST API. */
@Controller()
@AnnouncementServiceControllerMethods()
export class AnnouncementsGrpcController implements GrpcService<AnnouncementServiceController> {
  constructor(private readonly announcements: AnnouncementService) {}

  @NotOrgScoped(DEPLOYMENT)
  async listAnnouncements(
    @ValidPayload(listAnnouncementsQuery) query: ListAnnouncementsQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.announcements.list(caller.memberId, query));
  }

  @NotOrgScoped(DEPLOYMENT)
  async getAnnouncement(
    @SubjectId('id', 'announcement') id: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.announcements.get(caller.memberId, id));
  }

  @NotOrgScoped(DEPLOYMENT)
  async sendAnnouncement(
    @ValidPayload(sendAnnouncementRequest) request: SendAnnouncementRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.announcements.send(caller.memberId, request));
  }

  @NotOrgScoped(DEPLOYMENT)
  async updateAnnouncement(
    @SubjectId('id', 'announcement') id: number,
    @ValidPayload(updateAnnouncementRequest, { omit: ['id'] }) request: UpdateAnnouncementRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.announcements.update(caller.memberId, id, request));
  }

  @NotOrgScoped(DEPLOYMENT)
  async deleteAnnouncement(
    @SubjectId('id', 'announcement') id: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.announcements.remove(caller.memberId, id);
    return {};
  }
}
