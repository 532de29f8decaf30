import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import { ApiZodQuery, ValidQuery } from '@/modules/project/api/v1/query';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  searchNodesQuery,
  updateNodesRequest,
  type SearchNodesQuery,
  type UpdateNodesRequest,
} from '@/modules/organization/dto/access.schemas';
import { PermissionService } from '@/modules/organization/permission.service';

const CATALOGUE = 'the catalogue is the same in every organization and tells nothing of one';
const CATALOGUE_ADMINISTRATION =
  'one catalogue for the whole deployment: its administrators (platform.administrators) only, checked by the operation';

@ApiTags('roles and permissions')
@ApiBearerAuth()
@Controller('api/v1/permission-nodes')
export class PermissionNodesController {
  constructor(private readonly permissions: PermissionService) {}

  @NotOrgScoped(CATALOGUE)
  @RpcTwin('PermissionService/ListNodes')
  @Get()
  @ApiOperation({ summary: 'The permission-node catalogue, as a tree of groups' })
  async list() {
    return { nodes: await this.permissions.tree() };
  }

  @NotOrgScoped(CATALOGUE)
  @RpcTwin('PermissionService/SearchNodes')
  @Get('search')
  @ApiOperation({ summary: 'The nodes whose string contains node, flat' })
  @ApiZodQuery(searchNodesQuery)
  async search(@ValidQuery(searchNodesQuery) query: SearchNodesQuery) {
    return { nodes: await this.permissions.search(query.node) };
  }

  @NotOrgScoped(CATALOGUE_ADMINISTRATION)
  @RpcTwin('PermissionService/UpdateNodes')
  @Patch()
  @ApiOperation({
    summary:
      "Change catalogued nodes' titles and is_menu, is_auth, is_login flags: the deployment's administrators only (which nodes exist, and what each governs, is the code's)",
  })
  @ApiZodBody(updateNodesRequest)
  async update(
    @CurrentCaller() caller: Caller,
    @ValidBody(updateNodesRequest) body: UpdateNodesRequest,
  ) {
    return { nodes: await this.permissions.update(caller.memberId, body.nodes) };
  }

  @NotOrgScoped(CATALOGUE_ADMINISTRATION)
  @RpcTwin('PermissionService/ClearNodes')
  @Post('clear')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Delete the catalogue rows of nodes the code no longer has, and the roles' grants of them: the deployment's administrators only",
  })
  clear(@CurrentCaller() caller: Caller) {
    return this.permissions.clear(caller.memberId);
  }
}
