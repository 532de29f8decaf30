import { Injectable } from '@nestjs/common';
import { TracedService } from '@/telemetry/traced-service';
import { QueryFailedError } from 'typeorm';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import { DECOY_HASH, hashPassword, verifyPassword, type PasswordProof } from '@/common/password';
import { Problem } from '@/common/problem';
import { RateLimiter } from '@/common/rate-limiter';
import { LoginDelays } from './auth/login-delays';
import { TokenService, type AccessClaims, type TokenPair } from './auth/token.service';
import { CaptchaService, type IssuedCaptcha } from './captcha/captcha.service';
import type { LoginRequest, RegisterRequest, UpdateProfileRequest } from './dto/user.schemas';
import {
  memberView,
  organizationView,
  type MemberView,
  type OrganizationView,
} from './dto/user.views';
import { MemberProfiles } from './member-profiles';
import { MemberRepository, TAKEN_MESSAGES, type UniqueField } from './member.repository';
import { SessionStore, type RotationFailure } from './session.store';

export interface LoginResult extends TokenPair {
  member: MemberView;
  organizations: OrganizationView[];
}

const WRONG_CREDENTIALS = 'wrong account or password';

const ROTATION_FAILURES: Record<RotationFailure, string> = {
  unknown: 'invalid refresh token',
  revoked: 'session ended',
  reused: 'refresh token already used; the session is revoked',
};

/** Registration, login, token refresh, logout and the member's own profile. */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class UserService {
  constructor(
    private readonly members: MemberRepository,
    private readonly profiles: MemberProfiles,
    private readonly sessions: SessionStore,
    private readonly tokens: TokenService,
    private readonly captchas: CaptchaService,
    private readonly limiter: RateLimiter,
    private readonly delays: LoginDelays,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  requestCaptcha(mobile: string, clientIp: string): Promise<IssuedCaptcha> {
    return this.captchas.issue(mobile, clientIp);
  }

  /**
   * Limited per client address and per mobile. The captcha is spent before the uniqueness
   * check (so that only the owner of the mobile learns whether an account exists, and one code
   * answers that question once): a refused request changes nothing else.
   */
  async register(request: RegisterRequest, clientIp: string): Promise<MemberView> {
    const limits = this.config.get('rateLimit', { infer: true });
    await this.limiter.hit(
      `register:ip:${clientIp}`,
      limits.registerPerIpPerHour,
      3600,
      'too many registrations from this address',
    );
    await this.limiter.hit(
      `register:mobile:${request.mobile}`,
      limits.registerPerMobilePerHour,
      3600,
      'too many registrations for this mobile',
    );
    const candidate = {
      account: request.account,
      email: request.email.toLowerCase(),
      mobile: request.mobile,
    };
    await this.captchas.consume(request.mobile, request.captcha);
    this.throwIfTaken(await this.members.takenFields(candidate));
    try {
      const member = await this.members.createWithPersonalOrganization({
        ...candidate,
        name: request.name,
        passwordHash: await hashPassword(request.password.digest),
      });
      const created = await this.members.findById(member.id);
      return memberView(created ?? member);
    } catch (error) {
      if (isDuplicateKey(error)) this.throwIfTaken(await this.members.takenFields(candidate));
      throw error;
    }
  }

  async login(request: LoginRequest, clientIp: string): Promise<LoginResult> {
    // Lookups ignore case (account names by their folded key), and so do the delays of an
    // identifier that names nobody.
    const login = request.account.toLowerCase();
    await this.limiter.hit(
      `login:ip:${clientIp}`,
      this.config.get('rateLimit', { infer: true }).loginPerIpPerMinute,
      60,
      'too many login attempts',
    );
    const member = await this.members.findForLogin(login);
    // One bucket per member whichever identifier named it. Unknown identifiers get their own,
    // delayed alike: probing them is no faster, and a delay does not tell that they exist.
    const bucket = member ? `member:${member.id}` : `identifier:${login}`;
    await this.delays.claimAttempt(bucket);
    const check = await verifyPassword(request.password, member?.passwordHash ?? DECOY_HASH);
    if (!member || !check.valid) throw Problem.unauthenticated(WRONG_CREDENTIALS);
    await this.delays.forget(bucket);
    // An older hash, opened with the plain password: stored again in the form every API reads.
    if (check.upgrade) {
      await this.members.replacePasswordHash(
        member.id,
        await hashPassword(request.password.digest),
      );
    }
    const now = new Date();
    await this.members.recordLogin(member.id, now);
    await this.profiles.invalidate(member.id);
    const { sessionId, tokenId } = await this.sessions.open(member.id);
    const tokens = this.tokens.issue(member.id, sessionId, tokenId);
    const organizations = await this.members.listOrganizations(member.id);
    return {
      ...tokens,
      member: memberView({ ...member, lastLoginAt: now }),
      organizations: organizations.map(organizationView),
    };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const claims = this.tokens.verifyRefresh(refreshToken);
    const rotation = await this.sessions.rotate(claims.sessionId, claims.memberId, claims.tokenId);
    if (!rotation.ok) {
      throw Problem.unauthenticated(ROTATION_FAILURES[rotation.reason]);
    }
    return this.tokens.issue(claims.memberId, claims.sessionId, rotation.tokenId);
  }

  /**
   * A new access token for the session of a refresh token that is still its family's current
   * one, the refresh token left as it is: for the original web client, which keeps the refresh
   * token it got at login and would present it again (rotating it would end its session as
   * stolen at its second renewal). A token rotated away (the session went on through
   * /api/v1) is refused, nothing revoked.
   */
  async renewAccess(refreshToken: string): Promise<TokenPair> {
    const claims = this.tokens.verifyRefresh(refreshToken);
    if (!(await this.sessions.isCurrentToken(claims.sessionId, claims.memberId, claims.tokenId))) {
      throw Problem.unauthenticated(ROTATION_FAILURES.unknown);
    }
    const renewed = this.tokens.issue(claims.memberId, claims.sessionId, claims.tokenId);
    return { ...renewed, refreshToken };
  }

  logout(caller: AccessClaims): Promise<void> {
    return this.sessions.revoke(caller.sessionId, caller.memberId);
  }

  async me(memberId: number): Promise<MemberView> {
    const member = await this.profiles.get(memberId);
    if (!member) throw Problem.notFound('member not found');
    return member;
  }

  async updateProfile(memberId: number, changes: UpdateProfileRequest): Promise<MemberView> {
    await this.members.updateProfile(memberId, changes);
    await this.profiles.invalidate(memberId);
    return this.me(memberId);
  }

  /**
   * A new password, on proof of the current one, as slowly guessed as a login (the same
   * per-member delays); a wrong one is bad input, never a 401 (which would end the session).
   * Every other session of the member ends: whoever knew the old password is logged out.
   */
  async changePassword(
    caller: AccessClaims,
    current: PasswordProof,
    next: PasswordProof,
  ): Promise<void> {
    const bucket = `member:${caller.memberId}`;
    await this.delays.claimAttempt(bucket);
    const stored = await this.members.passwordHashOf(caller.memberId);
    const check = await verifyPassword(current, stored ?? DECOY_HASH);
    if (!stored || !check.valid) {
      throw Problem.invalid([{ field: 'password', message: 'wrong password' }]);
    }
    await this.delays.forget(bucket);
    await this.members.replacePasswordHash(caller.memberId, await hashPassword(next.digest));
    await this.sessions.revokeOthers(caller.memberId, caller.sessionId);
  }

  async organizations(memberId: number): Promise<OrganizationView[]> {
    return (await this.members.listOrganizations(memberId)).map(organizationView);
  }

  private throwIfTaken(taken: UniqueField[]): void {
    if (taken.length === 0) return;
    const [field] = taken;
    throw new Problem(
      409,
      'already_exists',
      TAKEN_MESSAGES[field],
      taken.map((name) => ({ field: name, message: TAKEN_MESSAGES[name] })),
    );
  }
}

function isDuplicateKey(error: unknown): boolean {
  const code = (error as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
  return (
    error instanceof QueryFailedError &&
    (code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE')
  );
}
