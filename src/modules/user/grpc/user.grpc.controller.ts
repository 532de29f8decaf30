import { Controller } from '@nestjs/common';
import { NotOrgScoped } from '@/common/org-permission';
import { ClientIp } from '@/common/client-ip';
import { decodeId, encodeId } from '@/common/public-id';
import { SubjectId } from '@/common/public-id.pipe';
import { Public } from '@/common/public.decorator';
import { OneTransportOnly } from '@/common/transport-parity';
import { ValidPayload } from '@/common/zod-validation';
import {
  UserServiceControllerMethods,
  type GetCaptchaResponse,
  type GetMemberResponse,
  type GetMembersResponse,
  type ListOrganizationsResponse,
  type LoginResponse,
  type LogoutResponse,
  type RefreshTokenResponse,
  type RegisterResponse,
  type RequestPasswordResetResponse,
  type ResetPasswordResponse,
  type TokenPair,
  type UserServiceController,
  type VerifyTokenResponse,
} from '@/generated/user/v1/user';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import { Problem } from '@/common/problem';
import type { Caller } from '../auth/access-token.guard';
import { Authenticator } from '../auth/authenticator';
import { CurrentCaller } from '../auth/current-caller.decorator';
import {
  captchaRequest,
  emptyRequest,
  getMembersRequest,
  loginRequest,
  passwordResetCodeRequest,
  refreshRequest,
  registerRequest,
  resetPasswordRequest,
  verifyTokenRequest,
  type LoginRequest,
  type RegisterRequest,
  type ResetPasswordRequest,
} from '../dto/user.schemas';
import { ContactDetailsService } from '../contact-details.service';
import { memberSeenBy } from '../dto/user.views';
import { MemberProfiles } from '../member-profiles';
import { UserService } from '../user.service';

function tokenMessage(tokens: TokenPair): TokenPair {
  const { accessToken, refreshToken, tokenType, expiresIn } = tokens;
  return { accessToken, refreshToken, tokenType, expiresIn };
}

/** msproject.user.v1.UserService: the same rules as the REST API. */
@Controller()
@UserServiceControllerMethods()
export class UserGrpcController implements GrpcService<UserServiceController> {
  constructor(
    private readonly users: UserService,
    private readonly profiles: MemberProfiles,
    private readonly authenticator: Authenticator,
    private readonly contacts: ContactDetailsService,
  ) {}

  @NotOrgScoped('registration, login and sessions come before any organization')
  @Public()
  async getCaptcha(
    @ValidPayload(captchaRequest) { mobile }: { mobile: string },
    @ClientIp() ip: string,
  ): Promise<GetCaptchaResponse> {
    const issued = await this.users.requestCaptcha(mobile, ip);
    return { expiresIn: issued.expiresIn, code: issued.code ?? '' };
  }

  @NotOrgScoped('registration, login and sessions come before any organization')
  @Public()
  async register(
    @ValidPayload(registerRequest) request: RegisterRequest,
    @ClientIp() ip: string,
  ): Promise<RegisterResponse> {
    return { member: wireMessage(await this.users.register(request, ip)) };
  }

  @NotOrgScoped('registration, login and sessions come before any organization')
  @Public()
  async login(
    @ValidPayload(loginRequest) request: LoginRequest,
    @ClientIp() ip: string,
  ): Promise<LoginResponse> {
    const result = await this.users.login(request, ip);
    return {
      tokens: tokenMessage(result),
      member: wireMessage(result.member),
      organizations: wireMessage(result.organizations),
    };
  }

  @NotOrgScoped('registration, login and sessions come before any organization')
  @Public()
  async refreshToken(
    @ValidPayload(refreshRequest) { refreshToken }: { refreshToken: string },
  ): Promise<RefreshTokenResponse> {
    return { tokens: tokenMessage(await this.users.refresh(refreshToken)) };
  }

  /**
   * For services handed a member's token: whose it is and until when. Public, so it answers
   * only what a verifier needs; contact details and the session id stay with the member.
   */
  @NotOrgScoped('registration, login and sessions come before any organization')
  @Public()
  @OneTransportOnly("for services handed a member's token; REST clients hold their own tokens")
  async verifyToken(
    @ValidPayload(verifyTokenRequest) { accessToken }: { accessToken: string },
  ): Promise<VerifyTokenResponse> {
    const claims = await this.authenticator.authenticate(accessToken);
    return { memberId: encodeId(claims.memberId), expiresAt: claims.expiresAt.toISOString() };
  }

  @NotOrgScoped('getting back into an account comes before any organization')
  @Public()
  requestPasswordReset(
    @ValidPayload(passwordResetCodeRequest) { email }: { email: string },
    @ClientIp() ip: string,
  ): Promise<RequestPasswordResetResponse> {
    return this.contacts.requestPasswordReset(email, ip);
  }

  @NotOrgScoped('getting back into an account comes before any organization')
  @Public()
  async resetPassword(
    @ValidPayload(resetPasswordRequest) request: ResetPasswordRequest,
    @ClientIp() ip: string,
  ): Promise<ResetPasswordResponse> {
    await this.contacts.resetPassword(request.email, request.code, request.password, ip);
    return {};
  }

  @NotOrgScoped('registration, login and sessions come before any organization')
  async logout(
    @ValidPayload(emptyRequest) _request: object,
    @CurrentCaller() caller: Caller,
  ): Promise<LogoutResponse> {
    await this.users.logout(caller);
    return {};
  }

  /** Anyone's public profile; email and mobile only for the caller's own. */
  @NotOrgScoped("members' public profiles, seen wherever they work together")
  async getMember(
    @SubjectId('id', 'member') id: number,
    @CurrentCaller() caller: Caller,
  ): Promise<GetMemberResponse> {
    const member = await this.profiles.get(id);
    if (!member) throw Problem.notFound('member not found');
    return { member: wireMessage(memberSeenBy(member, caller.memberId)) };
  }

  @NotOrgScoped("members' public profiles, seen wherever they work together")
  @OneTransportOnly('a batch lookup for internal callers; REST clients see members in the lists')
  async getMembers(
    @ValidPayload(getMembersRequest) { ids: wireIds }: { ids: string[] },
    @CurrentCaller() caller: Caller,
  ): Promise<GetMembersResponse> {
    // The count was checked before any id is decoded; an id that names nobody is left out.
    const ids = wireIds.flatMap((id) => {
      try {
        return [decodeId(id, 'member')];
      } catch {
        return [];
      }
    });
    const found = await this.profiles.getMany(ids);
    return {
      members: ids.flatMap((id) =>
        found.has(id) ? [wireMessage(memberSeenBy(found.get(id)!, caller.memberId))] : [],
      ),
    };
  }

  @NotOrgScoped("the caller's own organizations")
  async listOrganizations(
    @ValidPayload(emptyRequest) _request: object,
    @CurrentCaller() caller: Caller,
  ): Promise<ListOrganizationsResponse> {
    return { organizations: wireMessage(await this.users.organizations(caller.memberId)) };
  }
}
