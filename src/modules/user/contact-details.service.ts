import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QueryFailedError } from 'typeorm';
import { hashPassword, type PasswordProof } from '@/common/password';
import { Problem } from '@/common/problem';
import { RateLimiter } from '@/common/rate-limiter';
import type { AppConfig } from '@/config/schema';
import { TracedService } from '@/telemetry/traced-service';
import { TokenService, type AccessClaims, type TokenPair } from './auth/token.service';
import { CaptchaService } from './captcha/captcha.service';
import type { MemberView } from './dto/user.views';
import { EmailBindings } from './mail/email-bindings';
import { MailSender, mailNotConfigured } from './mail/mail-sender';
import { PasswordResetCodes } from './mail/password-reset-codes';
import { MemberProfiles } from './member-profiles';
import { MemberRepository } from './member.repository';
import { SessionStore } from './session.store';

export interface IssuedResetCode {
  expiresIn: number;
}

const TAKEN = {
  email: 'this email is already registered',
  mobile: 'this mobile number is already registered',
};

/**
 * A member's email and mobile, and getting back into an account through its email: a new
 * mobile on a registration code sent to it, a new email on a link mailed to it, a new
 * password on a code mailed to the account's email.
 */
// One span per call into the service (`Class.method`), under the request's span; no arguments recorded.
@TracedService()
@Injectable()
export class ContactDetailsService {
  constructor(
    private readonly members: MemberRepository,
    private readonly profiles: MemberProfiles,
    private readonly sessions: SessionStore,
    private readonly tokens: TokenService,
    private readonly captchas: CaptchaService,
    private readonly resetCodes: PasswordResetCodes,
    private readonly bindings: EmailBindings,
    private readonly mail: MailSender,
    private readonly limiter: RateLimiter,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /**
   * Mails a password-reset code to `email` when a member has it; the answer is the same when
   * none has (it does not tell who is registered), and so are the limits and the time it takes:
   * the mail leaves after the answer, and a failed delivery is logged (its error code only),
   * not answered. Anyone may ask, so the code is only ever mailed, whatever
   * captcha.exposeInResponse says: handing it back would hand the account to whoever knows
   * its email.
   */
  async requestPasswordReset(email: string, clientIp: string): Promise<IssuedResetCode> {
    const address = email.toLowerCase();
    if (!this.mail.configured) throw mailNotConfigured();
    const issued = await this.resetCodes.issue(address, clientIp);
    const memberId = await this.members.findIdByContact('email', address);
    if (memberId !== null) {
      // Not awaited: MailSender logs a failure, and the answer must not differ from an
      // unknown address's, in status or in time.
      void this.mail
        .send({
          to: address,
          // The code stays out of the subject, which mail servers log and phones preview.
          subject: 'msproject 重置密码验证码 / password reset code',
          text: `你的重置密码验证码是 ${issued.code}，${Math.round(issued.expiresIn / 60)} 分钟内有效。\nYour password reset code is ${issued.code}; it can be used once, within ${Math.round(issued.expiresIn / 60)} minutes.\n\n如果不是你本人操作，请忽略这封邮件。If you did not ask for it, ignore this mail.`,
        })
        .catch(() => undefined);
    }
    return { expiresIn: issued.expiresIn };
  }

  /**
   * A new password on a code mailed to the account's email. Every try counts before the code
   * is compared (10 per address a day, `rateLimit.captchaPerIpPerMinute` per client address);
   * the right code works once. Every session of the member ends: whoever knew the old password
   * is logged out.
   */
  async resetPassword(
    email: string,
    code: string,
    password: PasswordProof,
    clientIp: string,
  ): Promise<void> {
    const address = email.toLowerCase();
    await this.resetCodes.consume(address, code, clientIp);
    const memberId = await this.members.findIdByContact('email', address);
    if (memberId === null) {
      throw Problem.invalid([{ field: 'email', message: 'no account has this email' }]);
    }
    await this.members.replacePasswordHash(memberId, await hashPassword(password.digest));
    await this.sessions.revokeOthers(memberId, '');
  }

  /**
   * Mails a link to `email` that makes it the member's email when followed (the address is
   * theirs only once they prove they read it); one per minute per member.
   */
  async requestEmailBinding(memberId: number, email: string): Promise<{ expiresIn: number }> {
    const address = email.toLowerCase();
    if (!this.mail.configured) throw mailNotConfigured();
    const member = await this.me(memberId);
    if (member.email.toLowerCase() === address) {
      throw Problem.conflict('email', 'this is already your email');
    }
    await this.throwIfTakenByOther('email', address, memberId);
    await this.limiter.hit(`email-binding:member:${memberId}`, 1, 60, 'one mail per minute');
    const token = await this.bindings.open({ memberId, email: address });
    const { clientUrl, linkTtlSeconds } = this.config.get('mail', { infer: true });
    const link = `${clientUrl}/#/reset/email?token=${encodeURIComponent(token)}`;
    await this.mail.send({
      to: address,
      subject: 'msproject 绑定邮箱 / confirm your email address',
      text: `${member.name}，打开下面的链接，把这个邮箱绑定到你的 msproject 帐号（${Math.round(linkTtlSeconds / 3600)} 小时内有效）：\nOpen this link to make this your msproject email address:\n\n${link}\n\n如果不是你本人操作，请忽略这封邮件。If you did not ask for it, ignore this mail.`,
    });
    return { expiresIn: linkTtlSeconds };
  }

  /** Follows a link mailed by requestEmailBinding: its address becomes the member's email. */
  async confirmEmailBinding(token: string): Promise<MemberView> {
    const binding = await this.bindings.take(token);
    await this.throwIfTakenByOther('email', binding.email, binding.memberId);
    await this.setContact(binding.memberId, 'email', binding.email);
    return this.me(binding.memberId);
  }

  /** A new mobile on a registration code sent to it (the code is spent first). */
  async bindMobile(memberId: number, mobile: string, captcha: string): Promise<MemberView> {
    const member = await this.me(memberId);
    if (member.mobile === mobile) throw Problem.conflict('mobile', 'this is already your mobile');
    await this.captchas.consume(mobile, captcha);
    await this.throwIfTakenByOther('mobile', mobile, memberId);
    await this.setContact(memberId, 'mobile', mobile);
    return this.me(memberId);
  }

  /**
   * The token pair of the caller's own session as it stands (its current refresh token, a new
   * access token), for a client that replaces its tokens after a change of contact details.
   */
  async sessionTokens(caller: AccessClaims): Promise<TokenPair> {
    const tokenId = await this.sessions.currentTokenOf(caller.sessionId, caller.memberId);
    if (!tokenId) throw Problem.unauthenticated('session ended');
    return this.tokens.issue(caller.memberId, caller.sessionId, tokenId);
  }

  private async me(memberId: number): Promise<MemberView> {
    const member = await this.profiles.get(memberId);
    if (!member) throw Problem.notFound('member not found');
    return member;
  }

  private async throwIfTakenByOther(
    field: 'email' | 'mobile',
    value: string,
    memberId: number,
  ): Promise<void> {
    const holder = await this.members.findIdByContact(field, value);
    if (holder !== null && holder !== memberId) {
      throw Problem.conflict(field, TAKEN[field]);
    }
  }

  private async setContact(memberId: number, field: 'email' | 'mobile', value: string) {
    try {
      await this.members.setContact(memberId, field, value);
    } catch (error) {
      if (error instanceof QueryFailedError) throw Problem.conflict(field, TAKEN[field]);
      throw error;
    }
    await this.profiles.invalidate(memberId);
  }
}
