import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp } from '../../common/client-ip';
import { Public } from '../../common/public.decorator';
import { ApiZodBody, ValidBody } from '../../common/zod-validation';
import type { Caller } from './auth/access-token.guard';
import { CurrentCaller } from './auth/current-caller.decorator';
import {
  captchaRequest,
  loginRequest,
  refreshRequest,
  registerRequest,
  updateProfileRequest,
  type LoginRequest,
  type RegisterRequest,
  type UpdateProfileRequest,
} from './dto/user.schemas';
import { UserService } from './user.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly users: UserService) {}

  @Public()
  @Post('captcha')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a registration code to a mobile number' })
  @ApiZodBody(captchaRequest)
  captcha(@ValidBody(captchaRequest) body: { mobile: string }, @ClientIp() ip: string) {
    return this.users.requestCaptcha(body.mobile, ip);
  }

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Register a member, with a personal organization' })
  @ApiZodBody(registerRequest)
  register(@ValidBody(registerRequest) body: RegisterRequest, @ClientIp() ip: string) {
    return this.users.register(body, ip);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with account name, email or mobile' })
  @ApiZodBody(loginRequest)
  login(@ValidBody(loginRequest) body: LoginRequest, @ClientIp() ip: string) {
    return this.users.login(body, ip);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the token pair' })
  @ApiZodBody(refreshRequest)
  refresh(@ValidBody(refreshRequest) body: { refreshToken: string }) {
    return this.users.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the session of the access token' })
  async logout(@CurrentCaller() caller: Caller) {
    await this.users.logout(caller);
  }
}

@ApiTags('members')
@ApiBearerAuth()
@Controller('api/v1')
export class MeController {
  constructor(private readonly users: UserService) {}

  @Get('me')
  @ApiOperation({ summary: 'The calling member' })
  me(@CurrentCaller() caller: Caller) {
    return this.users.me(caller.memberId);
  }

  @Patch('me')
  @ApiOperation({ summary: 'Change name, avatar or description' })
  @ApiZodBody(updateProfileRequest)
  update(
    @CurrentCaller() caller: Caller,
    @ValidBody(updateProfileRequest) body: UpdateProfileRequest,
  ) {
    return this.users.updateProfile(caller.memberId, body);
  }

  @Get('organizations')
  @ApiOperation({ summary: "The calling member's organizations and roles" })
  organizations(@CurrentCaller() caller: Caller) {
    return this.users.organizations(caller.memberId);
  }
}
