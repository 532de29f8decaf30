import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { PermissionService } from '@/modules/organization/permission.service';

@ApiTags('roles and permissions')
@ApiBearerAuth()
@Controller('api/v1/permission-nodes')
export class PermissionNodesController {
  constructor(private readonly permissions: PermissionService) {}

  @NotOrgScoped('the catalogue is the same in every organization and tells nothing of one')
  @RpcTwin('PermissionService/ListNodes')
  @Get()
  @ApiOperation({ summary: 'The permission-node catalogue, as a tree of groups' })
  async list() {
    return { nodes: await this.permissions.tree() };
  }
}
