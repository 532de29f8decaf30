import { Controller, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import {
  assignRoleRequest,
  type AssignRoleRequest,
} from '@/modules/organization/dto/access.schemas';
import { RoleService } from '@/modules/organization/role.service';

@ApiTags('roles and permissions')
@ApiBearerAuth()
@Controller('api/v1/organizations/:organizationId/accounts')
export class RoleAssignmentsController {
  constructor(private readonly roles: RoleService) {}

  @OrgPermission('project/account/auth')
  @RpcTwin('RoleService/AssignRole')
  @Put(':accountId/role')
  @ApiOperation({
    summary:
      "Give an account a role of the organization; 409 for the owner's account, which keeps the admin role (project/account/auth)",
  })
  @ApiZodBody(assignRoleRequest)
  assign(
    @IdParam('organizationId', 'organization') organizationId: number,
    @IdParam('accountId', 'account') accountId: number,
    @ValidBody(assignRoleRequest) body: AssignRoleRequest,
  ) {
    return this.roles.assign(organizationId, accountId, body.roleId);
  }
}
