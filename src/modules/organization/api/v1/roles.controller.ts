import { Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import { ApiZodQuery, ValidQuery } from '@/modules/project/api/v1/query';
import {
  createRoleRequest,
  listRolesQuery,
  setRoleNodesRequest,
  updateRoleRequest,
  type CreateRoleRequest,
  type ListRolesQuery,
  type SetRoleNodesRequest,
  type UpdateRoleRequest,
} from '@/modules/organization/dto/access.schemas';
import { RoleService } from '@/modules/organization/role.service';

@ApiTags('roles and permissions')
@ApiBearerAuth()
@Controller('api/v1/organizations/:organizationId/roles')
export class RolesController {
  constructor(private readonly roles: RoleService) {}

  @OrgPermission('project/auth/index')
  @RpcTwin('RoleService/ListRoles')
  @Get()
  @ApiOperation({ summary: "The organization's roles (project/auth/index)" })
  @ApiZodQuery(listRolesQuery)
  list(
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidQuery(listRolesQuery) paging: ListRolesQuery,
  ) {
    return this.roles.list(organizationId, paging);
  }

  @OrgPermission('project/auth/add')
  @RpcTwin('RoleService/CreateRole')
  @Post()
  @ApiOperation({ summary: 'Create a custom role holding no node (project/auth/add)' })
  @ApiZodBody(createRoleRequest)
  create(
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidBody(createRoleRequest) body: CreateRoleRequest,
  ) {
    return this.roles.create(organizationId, body);
  }

  @OrgPermission('project/auth/edit')
  @RpcTwin('RoleService/UpdateRole')
  @Patch(':roleId')
  @ApiOperation({ summary: 'Rename a role or change its description (project/auth/edit)' })
  @ApiZodBody(updateRoleRequest)
  update(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('roleId', 'role') roleId: number,
    @ValidBody(updateRoleRequest) body: UpdateRoleRequest,
  ) {
    return this.roles.update(organizationId, roleId, body);
  }

  @OrgPermission('project/auth/del')
  @RpcTwin('RoleService/DeleteRole')
  @Delete(':roleId')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete a custom role: 409 while an account holds it or it is the default (project/auth/del)',
  })
  async remove(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('roleId', 'role') roleId: number,
  ) {
    await this.roles.remove(organizationId, roleId);
  }

  @OrgPermission('project/auth/forbid')
  @RpcTwin('RoleService/DisableRole')
  @Post(':roleId/disable')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Disable a role: its holders hold none of its nodes until it is enabled; never the admin or the default role (project/auth/forbid)',
  })
  disable(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('roleId', 'role') roleId: number,
  ) {
    return this.roles.setStatus(organizationId, roleId, 'disabled');
  }

  @OrgPermission('project/auth/resume')
  @RpcTwin('RoleService/EnableRole')
  @Post(':roleId/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled role again (project/auth/resume)' })
  enable(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('roleId', 'role') roleId: number,
  ) {
    return this.roles.setStatus(organizationId, roleId, 'active');
  }

  @OrgPermission('project/auth/setdefault')
  @RpcTwin('RoleService/SetDefaultRole')
  @Put(':roleId/default')
  @ApiOperation({
    summary: 'Make a role the one new accounts get, the only default (project/auth/setdefault)',
  })
  setDefault(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('roleId', 'role') roleId: number,
  ) {
    return this.roles.setDefault(organizationId, roleId);
  }

  @OrgPermission('project/auth/apply')
  @RpcTwin('RoleService/GetRoleNodes')
  @Get(':roleId/nodes')
  @ApiOperation({
    summary: "The permission-node tree with the role's nodes checked (project/auth/apply)",
  })
  nodes(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('roleId', 'role') roleId: number,
  ) {
    return this.roles.nodes(organizationId, roleId);
  }

  @OrgPermission('project/auth/apply')
  @RpcTwin('RoleService/SetRoleNodes')
  @Put(':roleId/nodes')
  @ApiOperation({
    summary: "Replace the role's permission nodes; 400 naming an unknown one (project/auth/apply)",
  })
  @ApiZodBody(setRoleNodesRequest)
  setNodes(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('roleId', 'role') roleId: number,
    @ValidBody(setRoleNodesRequest) body: SetRoleNodesRequest,
  ) {
    return this.roles.setNodes(organizationId, roleId, body.nodes);
  }
}
