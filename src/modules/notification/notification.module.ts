import { Module } from '@nestjs/common';
import { ListTotal } from '@/infra/database/list-totals';
import { DatabaseModule } from '@/infra/database/database.module';
import { UserModule } from '../user/user.module';
import { AnnouncementsController } from './api/v1/announcements.controller';
import { NotificationsController } from './api/v1/notifications.controller';
import { AnnouncementRepository } from './announcement.repository';
import { AnnouncementService } from './announcement.service';
import { NOTIFICATION_ENTITIES } from './entities';
import { AnnouncementsGrpcController } from './grpc/announcements.grpc.controller';
import { NotificationsGrpcController } from './grpc/notifications.grpc.controller';
import { NewMemberAnnouncements } from './new-member-announcements';
import { NotificationFreshness } from './notification-freshness';
import { NotificationRepository } from './notification.repository';
import { NotificationService } from './notification.service';

/**
 * Notifications for members: stored by the modules where things happen (through the exported
 * NotificationRepository), read and marked read by their member here; and the deployment's
 * system announcements, sent to every member as notifications (and to those who register while
 * they are current).
 */
@Module({
  imports: [DatabaseModule.forFeature([...NOTIFICATION_ENTITIES, ListTotal]), UserModule],
  controllers: [
    NotificationsController,
    AnnouncementsController,
    NotificationsGrpcController,
    AnnouncementsGrpcController,
  ],
  providers: [
    NotificationRepository,
    AnnouncementRepository,
    NotificationFreshness,
    NotificationService,
    AnnouncementService,
    NewMemberAnnouncements,
  ],
  exports: [NotificationRepository, NotificationService, AnnouncementService],
})
export class NotificationModule {}
