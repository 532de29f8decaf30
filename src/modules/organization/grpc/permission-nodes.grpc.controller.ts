import { Controller } from '@nestjs/common';
import { NotOrgScoped } from '@/common/org-permission';
import { ValidPayload } from '@/common/zod-validation';
import {
  PermissionServiceControllerMethods,
  type PermissionServiceController,
} from '@/generated/access/v1/access';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import { emptyMessage } from '../dto/access.schemas';
import { PermissionService } from '../permission.service';

/** msproject.access.v1.PermissionService: the same rules as the REST API. */
@Controller()
@PermissionServiceControllerMethods()
export class PermissionNodesGrpcController implements GrpcService<PermissionServiceController> {
  constructor(private readonly permissions: PermissionService) {}

  @NotOrgScoped('the catalogue is the same in every organization and tells nothing of one')
  async listNodes(@ValidPayload(emptyMessage) _request: object) {
    return { nodes: wireMessage(await this.permissions.tree()) };
  }
}
