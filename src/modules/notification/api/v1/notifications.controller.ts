import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodQuery, ValidQuery } from '@/common/valid-query';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  listNotificationsQuery,
  type ListNotificationsQuery,
} from '@/modules/notification/dto/notification.schemas';
import { NotificationService } from '@/modules/notification/notification.service';

const OWN = "a member's own notifications";

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1')
export class NotificationsController {
  constructor(private readonly notifications: NotificationService) {}

  @NotOrgScoped(OWN)
  @RpcTwin('NotificationService/ListNotifications')
  @Get('me/notifications')
  @ApiOperation({ summary: 'My notifications, newest first; only the unread ones on request' })
  @ApiZodQuery(listNotificationsQuery)
  list(
    @CurrentCaller() caller: Caller,
    @ValidQuery(listNotificationsQuery) query: ListNotificationsQuery,
  ) {
    return this.notifications.list(caller.memberId, query);
  }

  @NotOrgScoped(OWN)
  @RpcTwin('NotificationService/CountUnread')
  @Get('me/notifications/unread-count')
  @ApiOperation({ summary: 'How many of my notifications are unread (what a client polls)' })
  countUnread(@CurrentCaller() caller: Caller) {
    return this.notifications.countUnread(caller.memberId);
  }

  @NotOrgScoped(OWN)
  @RpcTwin('NotificationService/MarkRead')
  @Post('me/notifications/:notificationId/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notifications read' })
  markRead(
    @CurrentCaller() caller: Caller,
    @IdParam('notificationId', 'notification') notificationId: number,
  ) {
    return this.notifications.markRead(caller.memberId, notificationId);
  }

  @NotOrgScoped(OWN)
  @RpcTwin('NotificationService/MarkAllRead')
  @Post('me/notifications/read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all my notifications read; answers how many were unread' })
  markAllRead(@CurrentCaller() caller: Caller) {
    return this.notifications.markAllRead(caller.memberId);
  }

  @NotOrgScoped(OWN)
  @RpcTwin('NotificationService/DeleteNotification')
  @Delete('me/notifications/:notificationId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete one of my notifications for good, read or not' })
  async remove(
    @CurrentCaller() caller: Caller,
    @IdParam('notificationId', 'notification') notificationId: number,
  ) {
    await this.notifications.remove(caller.memberId, notificationId);
  }
}
