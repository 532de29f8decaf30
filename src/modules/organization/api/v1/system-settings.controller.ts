import { Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  updateSystemSettingsRequest,
  type UpdateSystemSettingsRequest,
} from '@/modules/organization/dto/access.schemas';
import { SystemSettingsService } from '@/modules/organization/system-settings.service';

@ApiTags('system settings')
@ApiBearerAuth()
@Controller('api/v1/system-settings')
export class SystemSettingsController {
  constructor(private readonly settings: SystemSettingsService) {}

  @NotOrgScoped("the deployment's own settings, the same for everyone")
  @RpcTwin('SystemSettingsService/GetSystemSettings')
  @Get()
  @ApiOperation({
    summary: "The deployment's settings the web client shows (site name, version...)",
  })
  get() {
    return this.settings.get();
  }

  @NotOrgScoped(
    "the deployment's own settings: its administrators (platform.administrators) only, checked by the operation",
  )
  @RpcTwin('SystemSettingsService/UpdateSystemSettings')
  @Patch()
  @ApiOperation({
    summary: "Change the deployment's settings: its administrators only (platform.administrators)",
  })
  @ApiZodBody(updateSystemSettingsRequest)
  update(
    @CurrentCaller() caller: Caller,
    @ValidBody(updateSystemSettingsRequest) body: UpdateSystemSettingsRequest,
  ) {
    return this.settings.update(caller.memberId, body);
  }
}
