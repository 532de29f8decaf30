import { Module } from '@nestjs/common';
import { DatabaseModule } from '@/infra/database/database.module';
import { NOTIFICATION_ENTITIES } from './entities';
import { NotificationRepository } from './notification.repository';

/** Notifications for members: stored when something happens to them, read and marked read. */
@Module({
  imports: [DatabaseModule.forFeature(NOTIFICATION_ENTITIES)],
  providers: [NotificationRepository],
  exports: [NotificationRepository],
})
export class NotificationModule {}
