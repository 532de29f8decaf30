import { Module } from '@nestjs/common';
import { RateLimiter } from '@/common/rate-limiter';
import { DatabaseModule } from '@/infra/database/database.module';
import { NotificationModule } from '@/modules/notification/notification.module';
import { ProjectModule } from '@/modules/project/project.module';
import { Membership, Organization } from '@/modules/user/entities';
import { UserModule } from '@/modules/user/user.module';
import { AccountCheck } from './account-check';
import { AccountViews } from './account-views';
import { AccountRepository } from './account.repository';
import { AccountService } from './account.service';
import { AccountsController } from './api/v1/accounts.controller';
import { DepartmentsController } from './api/v1/departments.controller';
import { InvitationsController } from './api/v1/invitations.controller';
import { DepartmentRepository } from './department.repository';
import { DepartmentService } from './department.service';
import { ORGANIZATION_ENTITIES } from './entities';
import { AccountsGrpcController } from './grpc/accounts.grpc.controller';
import { DepartmentsGrpcController } from './grpc/departments.grpc.controller';
import { InvitationsGrpcController } from './grpc/invitations.grpc.controller';
import { InvitationDelivery } from './invitation-delivery';
import { InvitationRepository } from './invitation.repository';
import { InvitationService } from './invitation.service';
import { OrganizationLocks } from './organization-locks';

/**
 * An organization's own resources: its accounts (the user module's memberships, whose account
 * columns and life after registration this module owns), departments, invitations, roles with
 * their permission nodes, and the navigation menu they filter.
 */
@Module({
  imports: [
    DatabaseModule.forFeature([...ORGANIZATION_ENTITIES, Membership, Organization]),
    UserModule,
    NotificationModule,
    ProjectModule,
  ],
  controllers: [
    DepartmentsController,
    AccountsController,
    InvitationsController,
    DepartmentsGrpcController,
    AccountsGrpcController,
    InvitationsGrpcController,
  ],
  providers: [
    OrganizationLocks,
    AccountRepository,
    DepartmentRepository,
    InvitationRepository,
    AccountCheck,
    AccountViews,
    RateLimiter,
    InvitationDelivery,
    DepartmentService,
    AccountService,
    InvitationService,
  ],
  exports: [],
})
export class OrganizationModule {}
