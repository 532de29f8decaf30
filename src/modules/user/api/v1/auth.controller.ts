import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped } from '@/common/org-permission';
import { RpcTwin } from '@/common/transport-parity';
import { ClientIp } from '@/common/client-ip';
import { Public } from '@/common/public.decorator';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  captchaRequest,
  loginRequest,
  refreshRequest,
  registerRequest,
  type LoginRequest,
  type RegisterRequest,
} from '@/modules/user/dto/user.schemas';
import { UserService } from '@/modules/user/user.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly users: UserService) {}

  @NotOrgScoped('registration, login and sessions come before any organization')
  @RpcTwin('UserService/GetCaptcha')
  @Public()
  @Post('captcha')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a registration code to a mobile number' })
  @ApiZodBody(captchaRequest)
  captcha(@ValidBody(captchaRequest) body: { mobile: string }, @ClientIp() ip: string) {
    return this.users.requestCaptcha(body.mobile, ip);
  }

  @NotOrgScoped('registration, login and sessions come before any organization')
  @RpcTwin('UserService/Register')
  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Register a member, with a personal organization' })
  @ApiZodBody(registerRequest)
  register(@ValidBody(registerRequest) body: RegisterRequest, @ClientIp() ip: string) {
    return this.users.register(body, ip);
  }

  @NotOrgScoped('registration, login and sessions come before any organization')
  @RpcTwin('UserService/Login')
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with account name, email or mobile' })
  @ApiZodBody(loginRequest)
  login(@ValidBody(loginRequest) body: LoginRequest, @ClientIp() ip: string) {
    return this.users.login(body, ip);
  }

  @NotOrgScoped('registration, login and sessions come before any organization')
  @RpcTwin('UserService/RefreshToken')
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the token pair' })
  @ApiZodBody(refreshRequest)
  refresh(@ValidBody(refreshRequest) body: { refreshToken: string }) {
    return this.users.refresh(body.refreshToken);
  }

  @NotOrgScoped('registration, login and sessions come before any organization')
  @RpcTwin('UserService/Logout')
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the session of the access token' })
  async logout(@CurrentCaller() caller: Caller) {
    await this.users.logout(caller);
  }
}
