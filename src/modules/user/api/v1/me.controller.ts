import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin, OneTransportOnly } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  changePasswordRequest,
  updateProfileRequest,
  type ChangePasswordRequest,
  type UpdateProfileRequest,
} from '@/modules/user/dto/user.schemas';
import { UserService } from '@/modules/user/user.service';

@ApiTags('members')
@ApiBearerAuth()
@Controller('api/v1')
export class MeController {
  constructor(private readonly users: UserService) {}

  @NotOrgScoped("the caller's own profile")
  @RpcTwin('UserService/GetMember')
  @Get('me')
  @ApiOperation({ summary: 'The calling member' })
  me(@CurrentCaller() caller: Caller) {
    return this.users.me(caller.memberId);
  }

  @NotOrgScoped("the caller's own profile")
  @OneTransportOnly(
    "editing a profile is the member's own act in a client; internal callers read profiles, never write them",
  )
  @Patch('me')
  @ApiOperation({ summary: 'Change name, avatar or description' })
  @ApiZodBody(updateProfileRequest)
  update(
    @CurrentCaller() caller: Caller,
    @ValidBody(updateProfileRequest) body: UpdateProfileRequest,
  ) {
    return this.users.updateProfile(caller.memberId, body);
  }

  @NotOrgScoped("the caller's own password")
  @OneTransportOnly(
    "changing a password is the member's own act in a client; internal callers never write it",
  )
  @Post('me/password')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Change my password on proof of the current one (400 naming password when wrong); my other sessions end',
  })
  @ApiZodBody(changePasswordRequest)
  async changePassword(
    @CurrentCaller() caller: Caller,
    @ValidBody(changePasswordRequest) body: ChangePasswordRequest,
  ) {
    await this.users.changePassword(caller, body.password, body.newPassword);
  }

  @NotOrgScoped("the caller's own organizations")
  @RpcTwin('UserService/ListOrganizations')
  @Get('organizations')
  @ApiOperation({ summary: "The calling member's organizations and roles" })
  organizations(@CurrentCaller() caller: Caller) {
    return this.users.organizations(caller.memberId);
  }
}
