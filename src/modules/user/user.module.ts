import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimiter } from '@/common/rate-limiter';
import { DatabaseModule } from '@/infra/database/database.module';
import { AccessTokenGuard } from './auth/access-token.guard';
import { SignedLinks } from './auth/signed-links';
import { Authenticator } from './auth/authenticator';
import { DownloadPasses } from './auth/download-passes';
import { JwtKeyring } from './auth/jwt-keyring.service';
import { LoginDelays } from './auth/login-delays';
import { TokenService } from './auth/token.service';
import { CaptchaSender, LoggingCaptchaSender } from './captcha/captcha-sender';
import { CaptchaService } from './captcha/captcha.service';
import { USER_ENTITIES } from './entities';
import { MemberEnrolment } from './member-enrolment';
import { MemberProfiles } from './member-profiles';
import { MemberRegistration } from './member-registration';
import { MemberRepository } from './member.repository';
import { SessionStore } from './session.store';
import { AuthController } from './api/v1/auth.controller';
import { MeController } from './api/v1/me.controller';
import { ContactDetailsController } from './api/v1/contact-details.controller';
import { ContactDetailsService } from './contact-details.service';
import { EmailBindings } from './mail/email-bindings';
import { MailOutbox } from './mail/mail-outbox';
import { MailSender } from './mail/mail-sender';
import { PasswordResetCodes } from './mail/password-reset-codes';
import { OrganizationDirectory } from './organization-directory';
import { OrganizationDissolution } from './organization-dissolution';
import { OrganizationFounding } from './organization-founding';
import { PlatformAdministrators } from './platform-administrators';
import { UserDirectory } from './user-directory';
import { UserGrpcController } from './grpc/user.grpc.controller';
import { UserService } from './user.service';

/**
 * Members, organizations, captcha, registration, login and sessions. Exports UserDirectory
 * for member lookups, MemberEnrolment for members an administrator creates,
 * OrganizationDirectory for organizations and their accounts, OrganizationFounding for setting
 * up a new organization, MemberRegistration for setting up a new member, and UserService and
 * DownloadPasses for the web client's adapter; its access-token guard protects every route of
 * the application.
 */
@Module({
  imports: [DatabaseModule.forFeature(USER_ENTITIES)],
  controllers: [AuthController, MeController, ContactDetailsController, UserGrpcController],
  providers: [
    MemberRepository,
    MemberEnrolment,
    MemberProfiles,
    SessionStore,
    JwtKeyring,
    TokenService,
    Authenticator,
    CaptchaService,
    { provide: CaptchaSender, useClass: LoggingCaptchaSender },
    RateLimiter,
    LoginDelays,
    UserService,
    ContactDetailsService,
    MailOutbox,
    MailSender,
    PasswordResetCodes,
    EmailBindings,
    UserDirectory,
    OrganizationDirectory,
    OrganizationFounding,
    OrganizationDissolution,
    MemberRegistration,
    PlatformAdministrators,
    SignedLinks,
    DownloadPasses,
    { provide: APP_GUARD, useClass: AccessTokenGuard },
  ],
  exports: [
    SignedLinks,
    DownloadPasses,
    UserDirectory,
    MemberEnrolment,
    OrganizationDirectory,
    OrganizationFounding,
    OrganizationDissolution,
    MemberRegistration,
    PlatformAdministrators,
    UserService,
    ContactDetailsService,
    MailOutbox,
  ],
})
export class UserModule {}
