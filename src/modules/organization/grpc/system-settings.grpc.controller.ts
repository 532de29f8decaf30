import { Controller } from '@nestjs/common';
import { NotOrgScoped } from '@/common/org-permission';
import { ValidPayload } from '@/common/zod-validation';
import {
  SystemSettingsServiceControllerMethods,
  type SystemSettingsServiceController,
} from '@/generated/access/v1/access';
import type { GrpcService } from '@/grpc/grpc-service';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  emptyMessage,
  updateSystemSettingsRequest,
  type UpdateSystemSettingsRequest,
} from '../dto/access.schemas';
import { SystemSettingsService } from '../system-settings.service';

/** msproject.access.v1.SystemSettingsService: the same rules as the REST API. */
@Controller()
@SystemSettingsServiceControllerMethods()
export class SystemSettingsGrpcController implements GrpcService<SystemSettingsServiceController> {
  constructor(private readonly settings: SystemSettingsService) {}

  @NotOrgScoped("the deployment's own settings, the same for everyone")
  getSystemSettings(@ValidPayload(emptyMessage) _request: object) {
    return this.settings.get();
  }

  @NotOrgScoped(
    "the deployment's own settings: its administrators (platform.administrators) only, checked by the operation",
  )
  updateSystemSettings(
    @ValidPayload(updateSystemSettingsRequest) request: UpdateSystemSettingsRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return this.settings.update(caller.memberId, request);
  }
}
