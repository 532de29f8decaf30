import { Controller } from '@nestjs/common';
import { NotOrgScoped } from '@/common/org-permission';
import { ValidPayload } from '@/common/zod-validation';
import {
  PermissionServiceControllerMethods,
  type PermissionServiceController,
} from '@/generated/access/v1/access';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  emptyMessage,
  searchNodesQuery,
  updateNodesRequest,
  type SearchNodesQuery,
  type UpdateNodesRequest,
} from '../dto/access.schemas';
import { PermissionService } from '../permission.service';

const CATALOGUE = 'the catalogue is the same in every organization and tells nothing of one';
const CATALOGUE_ADMINISTRATION =
  'one catalogue for the whole deployment: its administrators (platform.administrators) only, checked by the operation';

/** msproject.access.v1.PermissionService: the same rules as the REST API. */
@Controller()
@PermissionServiceControllerMethods()
export class PermissionNodesGrpcController implements GrpcService<PermissionServiceController> {
  constructor(private readonly permissions: PermissionService) {}

  @NotOrgScoped(CATALOGUE)
  async listNodes(@ValidPayload(emptyMessage) _request: object) {
    return { nodes: wireMessage(await this.permissions.tree()) };
  }

  @NotOrgScoped(CATALOGUE)
  async searchNodes(@ValidPayload(searchNodesQuery) request: SearchNodesQuery) {
    const found = await this.permissions.search(request.node);
    return {
      nodes: wireMessage(found.map((node) => ({ ...node, checked: null, children: null }))),
    };
  }

  @NotOrgScoped(CATALOGUE_ADMINISTRATION)
  async updateNodes(
    @ValidPayload(updateNodesRequest) request: UpdateNodesRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return { nodes: wireMessage(await this.permissions.update(caller.memberId, request.nodes)) };
  }

  @NotOrgScoped(CATALOGUE_ADMINISTRATION)
  async clearNodes(@ValidPayload(emptyMessage) _request: object, @CurrentCaller() caller: Caller) {
    return this.permissions.clear(caller.memberId);
  }
}
