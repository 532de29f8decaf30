import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { decodeId, encodeId } from '../../common/public-id';
import { Public } from '../../common/public.decorator';
import { ZodValidationPipe } from '../../common/zod-validation';
import type { ServerUnaryCall } from '@grpc/grpc-js';
import { callerOf } from './auth/current-caller.decorator';
import { Authenticator } from './auth/authenticator';
import {
  captchaRequest,
  getMembersRequest,
  loginRequest,
  refreshRequest,
  registerRequest,
} from './dto/user.schemas';
import type { MemberView } from './dto/user.views';
import { MemberProfiles } from './member-profiles';
import { UserService } from './user.service';
import { Problem } from '../../common/problem';

/**
 * proto3 strings have no null: absent values travel as "". Contact details (email, mobile)
 * and the last login are shown to the member only.
 */
function memberMessage(member: MemberView, own = true) {
  return {
    ...member,
    email: own ? member.email : '',
    mobile: own ? member.mobile : '',
    avatar: member.avatar ?? '',
    description: member.description ?? '',
    lastLoginAt: own ? (member.lastLoginAt ?? '') : '',
  };
}

function tokenMessage(tokens: {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}) {
  const { accessToken, refreshToken, tokenType, expiresIn } = tokens;
  return { accessToken, refreshToken, tokenType, expiresIn };
}

function peerAddress(call: ServerUnaryCall<unknown, unknown>): string {
  return call.getPeer().replace(/:\d+$/, '');
}

/** msproject.user.v1.UserService: the same rules as the REST API. */
@Controller()
export class UserGrpcController {
  private readonly pipes = {
    captcha: new ZodValidationPipe(captchaRequest),
    register: new ZodValidationPipe(registerRequest),
    login: new ZodValidationPipe(loginRequest),
    refresh: new ZodValidationPipe(refreshRequest),
    getMembers: new ZodValidationPipe(getMembersRequest),
  };

  constructor(
    private readonly users: UserService,
    private readonly profiles: MemberProfiles,
    private readonly authenticator: Authenticator,
  ) {}

  @Public()
  @GrpcMethod('UserService', 'GetCaptcha')
  async getCaptcha(request: unknown, _metadata: unknown, call: ServerUnaryCall<unknown, unknown>) {
    const { mobile } = this.pipes.captcha.transform(request);
    const issued = await this.users.requestCaptcha(mobile, peerAddress(call));
    return { expiresIn: issued.expiresIn, code: issued.code ?? '' };
  }

  @Public()
  @GrpcMethod('UserService', 'Register')
  async register(request: unknown, _metadata: unknown, call: ServerUnaryCall<unknown, unknown>) {
    const body = this.pipes.register.transform(request);
    return { member: memberMessage(await this.users.register(body, peerAddress(call))) };
  }

  @Public()
  @GrpcMethod('UserService', 'Login')
  async login(request: unknown, _metadata: unknown, call: ServerUnaryCall<unknown, unknown>) {
    const result = await this.users.login(this.pipes.login.transform(request), peerAddress(call));
    return {
      tokens: tokenMessage(result),
      member: memberMessage(result.member),
      organizations: result.organizations,
    };
  }

  @Public()
  @GrpcMethod('UserService', 'RefreshToken')
  async refreshToken(request: unknown) {
    const { refreshToken } = this.pipes.refresh.transform(request);
    return { tokens: tokenMessage(await this.users.refresh(refreshToken)) };
  }

  /**
   * For services handed a member's token: whose it is and until when. Public, so it answers
   * only what a verifier needs; contact details and the session id stay with the member.
   */
  @Public()
  @GrpcMethod('UserService', 'VerifyToken')
  async verifyToken(request: { accessToken?: string }) {
    if (!request.accessToken)
      throw Problem.invalid([{ field: 'access_token', message: 'required' }]);
    const claims = await this.authenticator.authenticate(request.accessToken);
    return { memberId: encodeId(claims.memberId), expiresAt: claims.expiresAt.toISOString() };
  }

  @GrpcMethod('UserService', 'Logout')
  async logout(_request: unknown, metadata: unknown) {
    await this.users.logout(callerOf(metadata));
    return {};
  }

  /** Anyone's public profile; email and mobile only for the caller's own. */
  @GrpcMethod('UserService', 'GetMember')
  async getMember(request: { id?: string }, metadata: unknown) {
    const id = decodeId(request.id ?? '', 'member');
    const member = await this.profiles.get(id);
    if (!member) throw Problem.notFound('member not found');
    return { member: memberMessage(member, id === callerOf(metadata).memberId) };
  }

  @GrpcMethod('UserService', 'GetMembers')
  async getMembers(request: unknown, metadata: unknown) {
    // The count is checked before any id is decoded.
    const ids = this.pipes.getMembers.transform(request).ids.flatMap((id) => {
      try {
        return [decodeId(id, 'member')];
      } catch {
        return [];
      }
    });
    const found = await this.profiles.getMany(ids);
    const caller = callerOf(metadata).memberId;
    return {
      members: ids.flatMap((id) =>
        found.has(id) ? [memberMessage(found.get(id)!, id === caller)] : [],
      ),
    };
  }

  @GrpcMethod('UserService', 'ListOrganizations')
  async listOrganizations(_request: unknown, metadata: unknown) {
    return { organizations: await this.users.organizations(callerOf(metadata).memberId) };
  }
}
