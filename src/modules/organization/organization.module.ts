import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimiter } from '@/common/rate-limiter';
import { DatabaseModule } from '@/infra/database/database.module';
import { NotificationModule } from '@/modules/notification/notification.module';
import { ProjectModule } from '@/modules/project/project.module';
import { Membership, Organization } from '@/modules/user/entities';
import { UserModule } from '@/modules/user/user.module';
import { AccessScope } from './access-scope';
import { AccessSeeds } from './access-seeds';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { AccountViews } from './account-views';
import { AccountRepository } from './account.repository';
import { AccountService } from './account.service';
import { AccountsController } from './api/v1/accounts.controller';
import { DepartmentImportsController } from './api/v1/department-imports.controller';
import { DepartmentImportService } from './department-import.service';
import { DepartmentsController } from './api/v1/departments.controller';
import { InvitationsController } from './api/v1/invitations.controller';
import { InviteLinksController } from './api/v1/invite-links.controller';
import { MenusController } from './api/v1/menus.controller';
import { OrganizationLifecycleController } from './api/v1/organization-lifecycle.controller';
import { OrganizationsController } from './api/v1/organizations.controller';
import { PermissionNodesController } from './api/v1/permission-nodes.controller';
import { RoleAssignmentsController } from './api/v1/role-assignments.controller';
import { RolesController } from './api/v1/roles.controller';
import { SystemSettingsController } from './api/v1/system-settings.controller';
import { DepartmentRepository } from './department.repository';
import { DepartmentService } from './department.service';
import { ORGANIZATION_ENTITIES } from './entities';
import { AccountsGrpcController } from './grpc/accounts.grpc.controller';
import { DepartmentsGrpcController } from './grpc/departments.grpc.controller';
import { InvitationsGrpcController } from './grpc/invitations.grpc.controller';
import { MenusGrpcController } from './grpc/menus.grpc.controller';
import { OrganizationsGrpcController } from './grpc/organizations.grpc.controller';
import { PermissionNodesGrpcController } from './grpc/permission-nodes.grpc.controller';
import { RolesGrpcController } from './grpc/roles.grpc.controller';
import { SystemSettingsGrpcController } from './grpc/system-settings.grpc.controller';
import { InvitationDelivery } from './invitation-delivery';
import { InvitationRepository } from './invitation.repository';
import { InvitationService } from './invitation.service';
import { InviteLinkRepository } from './invite-link.repository';
import { InviteLinkService } from './invite-link.service';
import { AreaDirectory } from './area-directory';
import { AreasController } from './api/v1/areas.controller';
import { MenuRepository } from './menu.repository';
import { MenuService } from './menu.service';
import { OrganizationDissolutionListener } from './organization-dissolution-listener';
import { OrganizationLifecycleService } from './organization-lifecycle.service';
import { OrganizationLocks } from './organization-locks';
import { OrganizationSettingsService } from './organization-settings.service';
import { PermissionNodeRepository } from './permission-node.repository';
import { OrgPermissionGuard } from './permission.guard';
import { PermissionService } from './permission.service';
import { RoleSeeds } from './role-seeds';
import { RoleRepository } from './role.repository';
import { RoleService } from './role.service';
import { SystemSettingsService } from './system-settings.service';

/**
 * An organization's own resources: its accounts (the user module's memberships, whose account
 * columns and life after registration this module owns), departments, invitations, roles with
 * their permission nodes, and the navigation menu they filter. Its guard applies the
 * organization rules to every operation declared `@OrgPermission`, in every module.
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
    DepartmentImportsController,
    AccountsController,
    InvitationsController,
    InviteLinksController,
    RolesController,
    RoleAssignmentsController,
    PermissionNodesController,
    MenusController,
    OrganizationsController,
    OrganizationLifecycleController,
    SystemSettingsController,
    AreasController,
    DepartmentsGrpcController,
    AccountsGrpcController,
    InvitationsGrpcController,
    RolesGrpcController,
    PermissionNodesGrpcController,
    MenusGrpcController,
    OrganizationsGrpcController,
    SystemSettingsGrpcController,
  ],
  providers: [
    DepartmentImportService,
    OrganizationLocks,
    AccountRepository,
    DepartmentRepository,
    InvitationRepository,
    InviteLinkRepository,
    AccountViews,
    RateLimiter,
    InvitationDelivery,
    DepartmentService,
    AccountService,
    InvitationService,
    InviteLinkService,
    AccessScope,
    AccessRepository,
    AccessService,
    AccessSeeds,
    PermissionNodeRepository,
    PermissionService,
    RoleRepository,
    RoleService,
    RoleSeeds,
    MenuRepository,
    MenuService,
    OrganizationSettingsService,
    OrganizationLifecycleService,
    OrganizationDissolutionListener,
    SystemSettingsService,
    AreaDirectory,
    // After the user module's access-token guard (imported first), which finds the caller.
    { provide: APP_GUARD, useClass: OrgPermissionGuard },
  ],
  exports: [
    AccessScope,
    OrganizationSettingsService,
    OrganizationLifecycleService,
    AccessService,
    RoleService,
    MenuService,
    PermissionService,
    AccountService,
    DepartmentService,
    DepartmentImportService,
    InviteLinkService,
    InvitationService,
    SystemSettingsService,
    AreaDirectory,
  ],
})
export class OrganizationModule {}
