import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DatabaseModule } from '@/infra/database/database.module';
import { NotificationModule } from '../notification/notification.module';
import { UserModule } from '../user/user.module';
import { AccessScope } from './access-scope';
import { AccessSeeds } from './access-seeds';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { MenusController } from './api/v1/menus.controller';
import { OrganizationsController } from './api/v1/organizations.controller';
import { PermissionNodesController } from './api/v1/permission-nodes.controller';
import { RoleAssignmentsController } from './api/v1/role-assignments.controller';
import { RolesController } from './api/v1/roles.controller';
import { ORGANIZATION_ENTITIES } from './entities';
import { MenusGrpcController } from './grpc/menus.grpc.controller';
import { OrganizationsGrpcController } from './grpc/organizations.grpc.controller';
import { PermissionNodesGrpcController } from './grpc/permission-nodes.grpc.controller';
import { RolesGrpcController } from './grpc/roles.grpc.controller';
import { MenuRepository } from './menu.repository';
import { MenuService } from './menu.service';
import { OrganizationSettingsService } from './organization-settings.service';
import { PermissionNodeRepository } from './permission-node.repository';
import { OrgPermissionGuard } from './permission.guard';
import { PermissionService } from './permission.service';
import { RoleSeeds } from './role-seeds';
import { RoleRepository } from './role.repository';
import { RoleService } from './role.service';

/**
 * An organization's own resources: its accounts (the user module's memberships), departments,
 * roles with their permission nodes, and the navigation menu they filter. Its guard applies
 * the organization rules to every operation declared `@OrgPermission`, in every module.
 */
@Module({
  imports: [DatabaseModule.forFeature(ORGANIZATION_ENTITIES), UserModule, NotificationModule],
  controllers: [
    RolesController,
    RoleAssignmentsController,
    PermissionNodesController,
    MenusController,
    OrganizationsController,
    RolesGrpcController,
    PermissionNodesGrpcController,
    MenusGrpcController,
    OrganizationsGrpcController,
  ],
  providers: [
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
    // After the user module's access-token guard (imported first), which finds the caller.
    { provide: APP_GUARD, useClass: OrgPermissionGuard },
  ],
  exports: [AccessScope, AccessService, RoleService],
})
export class OrganizationModule {}
