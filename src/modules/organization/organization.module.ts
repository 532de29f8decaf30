import { Module } from '@nestjs/common';
import { DatabaseModule } from '@/infra/database/database.module';
import { NotificationModule } from '../notification/notification.module';
import { UserModule } from '../user/user.module';
import { ORGANIZATION_ENTITIES } from './entities';

/**
 * An organization's own resources: its accounts (the user module's memberships), departments,
 * roles with their permission nodes, and the navigation menu they filter.
 */
@Module({
  imports: [DatabaseModule.forFeature(ORGANIZATION_ENTITIES), UserModule, NotificationModule],
  controllers: [],
  providers: [],
  exports: [],
})
export class OrganizationModule {}
