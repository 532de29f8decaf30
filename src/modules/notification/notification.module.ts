import { Module } from '@nestjs/common';
import { ListTotal } from '@/infra/database/list-totals';
import { DatabaseModule } from '@/infra/database/database.module';
import { UserModule } from '../user/user.module';
import { NotificationsController } from './api/v1/notifications.controller';
import { NOTIFICATION_ENTITIES } from './entities';
import { NotificationsGrpcController } from './grpc/notifications.grpc.controller';
import { NotificationFreshness } from './notification-freshness';
import { NotificationRepository } from './notification.repository';
import { NotificationService } from './notification.service';

/**
 * Notifications for members: stored by the modules where things happen (through the exported
 * NotificationRepository), read and marked read by their member here.
 */
@Module({
  imports: [DatabaseModule.forFeature([...NOTIFICATION_ENTITIES, ListTotal]), UserModule],
  controllers: [NotificationsController, NotificationsGrpcController],
  providers: [NotificationRepository, NotificationFreshness, NotificationService],
  exports: [NotificationRepository, NotificationService],
})
export class NotificationModule {}
