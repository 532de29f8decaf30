import { Controller } from '@nestjs/common';
import { OrgPermission } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  RoleServiceControllerMethods,
  type RoleServiceController,
} from '@/generated/access/v1/access';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import {
  assignRoleRequest,
  createRoleRequest,
  listRolesQuery,
  setRoleNodesMessage,
  updateRoleRequest,
  type AssignRoleRequest,
  type CreateRoleRequest,
  type ListRolesQuery,
  type SetRoleNodesRequest,
  type UpdateRoleRequest,
} from '../dto/access.schemas';
import { RoleService } from '../role.service';

const SUBJECTS = ['organizationId', 'roleId'];

/** msproject.access.v1.RoleService: the same rules, and schemas, as the REST API. */
@Controller()
@RoleServiceControllerMethods()
export class RolesGrpcController implements GrpcService<RoleServiceController> {
  constructor(private readonly roles: RoleService) {}

  @OrgPermission('project/auth/index')
  async listRoles(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(listRolesQuery, { omit: SUBJECTS }) paging: ListRolesQuery,
  ) {
    return wireMessage(await this.roles.list(organizationId, paging));
  }

  @OrgPermission('project/auth/add')
  async createRole(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(createRoleRequest, { omit: SUBJECTS }) request: CreateRoleRequest,
  ) {
    return wireMessage(await this.roles.create(organizationId, request));
  }

  @OrgPermission('project/auth/edit')
  async updateRole(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('roleId', 'role') roleId: number,
    @ValidPayload(updateRoleRequest, { omit: SUBJECTS, emptyMeansNull: ['description'] })
    request: UpdateRoleRequest,
  ) {
    return wireMessage(await this.roles.update(organizationId, roleId, request));
  }

  @OrgPermission('project/auth/del')
  async deleteRole(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('roleId', 'role') roleId: number,
  ) {
    await this.roles.remove(organizationId, roleId);
    return {};
  }

  @OrgPermission('project/auth/forbid')
  async disableRole(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('roleId', 'role') roleId: number,
  ) {
    return wireMessage(await this.roles.setStatus(organizationId, roleId, 'disabled'));
  }

  @OrgPermission('project/auth/resume')
  async enableRole(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('roleId', 'role') roleId: number,
  ) {
    return wireMessage(await this.roles.setStatus(organizationId, roleId, 'active'));
  }

  @OrgPermission('project/auth/setdefault')
  async setDefaultRole(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('roleId', 'role') roleId: number,
  ) {
    return wireMessage(await this.roles.setDefault(organizationId, roleId));
  }

  @OrgPermission('project/auth/apply')
  async getRoleNodes(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('roleId', 'role') roleId: number,
  ) {
    return wireMessage(await this.roles.nodes(organizationId, roleId));
  }

  @OrgPermission('project/auth/apply')
  async setRoleNodes(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('roleId', 'role') roleId: number,
    @ValidPayload(setRoleNodesMessage, { omit: SUBJECTS }) { nodes }: SetRoleNodesRequest,
  ) {
    return wireMessage(await this.roles.setNodes(organizationId, roleId, nodes));
  }

  @OrgPermission('project/account/auth')
  async assignRole(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @SubjectId('accountId', 'account') accountId: number,
    @ValidPayload(assignRoleRequest, { omit: ['organizationId', 'accountId'] })
    { roleId }: AssignRoleRequest,
  ) {
    return wireMessage(await this.roles.assign(organizationId, accountId, roleId));
  }
}
