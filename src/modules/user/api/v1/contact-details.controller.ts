import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { ClientIp } from '@/common/client-ip';
import { NotOrgScoped } from '@/common/org-permission';
import { Public } from '@/common/public.decorator';
import { OneTransportOnly, RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import { ContactDetailsService } from '@/modules/user/contact-details.service';
import {
  bindMobileRequest,
  confirmEmailBindingRequest,
  emailBindingRequest,
  passwordResetCodeRequest,
  resetPasswordRequest,
  type BindMobileRequest,
  type ResetPasswordRequest,
} from '@/modules/user/dto/user.schemas';

const BEFORE_LOGIN = 'getting back into an account comes before any organization';
const OWN = "the caller's own contact details";

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1')
export class ContactDetailsController {
  constructor(private readonly contacts: ContactDetailsService) {}

  @NotOrgScoped(BEFORE_LOGIN)
  @RpcTwin('UserService/RequestPasswordReset')
  @Public()
  @Post('auth/password-reset/code')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Forgot password, no token needed: mail a reset code to an account's email (the same answer when no account has it; the code is never in the answer); TTL mail.codeTtlSeconds, single use, one per minute per address; 503 where mail.transport is none",
  })
  @ApiZodBody(passwordResetCodeRequest)
  requestCode(
    @ValidBody(passwordResetCodeRequest) body: { email: string },
    @ClientIp() ip: string,
  ) {
    return this.contacts.requestPasswordReset(body.email, ip);
  }

  @NotOrgScoped(BEFORE_LOGIN)
  @RpcTwin('UserService/ResetPassword')
  @Public()
  @Post('auth/password-reset')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Forgot password, no token needed: a new password on the code mailed to the email (10 tries per address a day); every session of the member ends',
  })
  @ApiZodBody(resetPasswordRequest)
  async reset(@ValidBody(resetPasswordRequest) body: ResetPasswordRequest, @ClientIp() ip: string) {
    await this.contacts.resetPassword(body.email, body.code, body.password, ip);
  }

  @NotOrgScoped(OWN)
  @OneTransportOnly(
    "changing one's email is the member's own act in a client; internal callers never write it",
  )
  @Post('me/email')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Mail a link to a new email address; following it (POST auth/email-binding) makes it mine',
  })
  @ApiZodBody(emailBindingRequest)
  requestEmailBinding(
    @CurrentCaller() caller: Caller,
    @ValidBody(emailBindingRequest) body: { email: string },
  ) {
    return this.contacts.requestEmailBinding(caller.memberId, body.email);
  }

  @NotOrgScoped(BEFORE_LOGIN)
  @OneTransportOnly('a link mailed to a person, followed in their browser')
  @Post('auth/email-binding')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Follow a mailed email link: its address becomes its member's email (single use, expires after mail.linkTtlSeconds)",
  })
  @ApiZodBody(confirmEmailBindingRequest)
  confirmEmailBinding(@ValidBody(confirmEmailBindingRequest) body: { code: string }) {
    return this.contacts.confirmEmailBinding(body.code);
  }

  @NotOrgScoped(OWN)
  @OneTransportOnly(
    "changing one's mobile is the member's own act in a client; internal callers never write it",
  )
  @Post('me/mobile')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new mobile, on a registration code sent to it (POST auth/captcha)',
  })
  @ApiZodBody(bindMobileRequest)
  bindMobile(
    @CurrentCaller() caller: Caller,
    @ValidBody(bindMobileRequest) body: BindMobileRequest,
  ) {
    return this.contacts.bindMobile(caller.memberId, body.mobile, body.captcha);
  }
}
