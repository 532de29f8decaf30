import { Controller } from '@nestjs/common';
import { NotOrgScoped } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  NotificationServiceControllerMethods,
  type NotificationServiceController,
} from '@/generated/notification/v1/notification';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { listNotificationsQuery, type ListNotificationsQuery } from '../dto/notification.schemas';
import { NotificationService } from '../notification.service';

const OWN = "a member's own notifications";

/** msproject.notification.v1.NotificationService: the same rules, and schemas, as the REST API. */
@Controller()
@NotificationServiceControllerMethods()
export class NotificationsGrpcController implements GrpcService<NotificationServiceController> {
  constructor(private readonly notifications: NotificationService) {}

  @NotOrgScoped(OWN)
  async listNotifications(
    @ValidPayload(listNotificationsQuery) query: ListNotificationsQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.notifications.list(caller.memberId, query));
  }

  @NotOrgScoped(OWN)
  countUnread(@CurrentCaller() caller: Caller) {
    return this.notifications.countUnread(caller.memberId);
  }

  @NotOrgScoped(OWN)
  async markRead(
    @SubjectId('notificationId', 'notification') notificationId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.notifications.markRead(caller.memberId, notificationId));
  }

  @NotOrgScoped(OWN)
  markAllRead(@CurrentCaller() caller: Caller) {
    return this.notifications.markAllRead(caller.memberId);
  }

  @NotOrgScoped(OWN)
  async deleteNotification(
    @SubjectId('notificationId', 'notification') notificationId: number,
    @CurrentCaller() caller: Caller,
  ) {
    await this.notifications.remove(caller.memberId, notificationId);
    return {};
  }
}
