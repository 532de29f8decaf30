import { z } from 'zod';
import { mobileNumber } from '@/modules/user/dto/user.schemas';
import { text } from '@/common/schema-types';
import { clientRoute } from '../client-route';
import { clientMember, clientTokens } from '../client-views';
import { md5Hex } from './login.routes';

const BEFORE_LOGIN = 'getting back into an account, before any organization';
const OWN = "the member's own contact details";

const email = z.email('must be an email address').max(120);
const sixDigits = z.string().regex(/^\d{6}$/, 'must be 6 digits');

export const ACCOUNT_RECOVERY_ROUTES = [
  clientRoute({
    path: 'project/login/_getMailCaptcha',
    summary: 'Forgot password: mail a reset code to the email',
    uses: 'ContactDetailsService.requestPasswordReset',
    status: 'full',
    note: 'public, as the page is for members who cannot log in. The same answer, in the same time, whether or not an account has the email (a failed delivery is logged, not answered); asking again while a code is live mails the same code; data is always "": the code is only mailed, whatever captcha.exposeInResponse says (handing it back would hand the account to whoever knows the email); 503 where mail.transport is none',
    public: true,
    scope: { notOrgScoped: BEFORE_LOGIN },
    params: z.object({ email }),
    async handle({ params, services, ip }) {
      await services.contacts.requestPasswordReset(params.email, ip);
      return '';
    },
  }),
  clientRoute({
    path: 'project/login/_resetPasswordByMail',
    summary: 'Forgot password: a new password (md5, twice) on the code mailed to the email',
    uses: 'ContactDetailsService.resetPassword',
    status: 'full',
    note: "public; every try counts (10 per address a day, rateLimit.captchaPerIpPerMinute per client address) and the right code works once; every session of the email's member ends",
    public: true,
    scope: { notOrgScoped: BEFORE_LOGIN },
    params: z
      .object({ email, password: md5Hex, password2: md5Hex, captcha: sixDigits })
      .refine((form) => form.password.digest === form.password2.digest, {
        path: ['password2'],
        message: 'the two passwords differ',
      }),
    async handle({ params, services, ip }) {
      await services.contacts.resetPassword(params.email, params.captcha, params.password, ip);
      return '';
    },
  }),
  clientRoute({
    path: 'project/login/_bindMail',
    summary: 'Security settings: mail a link to a new email address; following it makes it mine',
    uses: 'ContactDetailsService.requestEmailBinding',
    status: 'full',
    note: "the link leads to the client's /#/reset/email page under mail.clientUrl and expires after mail.linkTtlSeconds; one mail per minute; 503 where mail.transport is none",
    scope: { notOrgScoped: OWN },
    params: z.object({ mail: email }),
    async handle({ params, memberId, services }) {
      await services.contacts.requestEmailBinding(memberId, params.mail);
      return '';
    },
  }),
  clientRoute({
    path: 'project/login/_checkBindMail',
    summary: 'The page a mailed email link opens: the address becomes the email of who asked',
    uses: 'ContactDetailsService.confirmEmailBinding',
    status: 'full',
    note: 'needs a token (the page opens in the browser the member uses msproject in); the link is what binds: single use, an unknown, used or expired one is code 400 (the page shows its message), an address taken meanwhile 409',
    scope: { notOrgScoped: 'the holder of a mailed link' },
    // The link's secret, sent as `token`: documented as linkSecret, for it is no access token.
    aliases: { token: 'linkSecret' },
    params: z.object({ linkSecret: text({ max: 200, required: true }) }),
    async handle({ params, services }) {
      await services.contacts.confirmEmailBinding(params.linkSecret);
      return '';
    },
  }),
  clientRoute({
    path: 'project/login/_bindMobile',
    summary:
      'Security settings: a new mobile, on the code project/login/getCaptcha sent to it; answers me and my tokens',
    uses: 'ContactDetailsService.bindMobile, ContactDetailsService.sessionTokens',
    status: 'full',
    note: 'tokenList is my own session (its refresh token unchanged), which the client stores again',
    scope: { notOrgScoped: OWN },
    params: z.object({ mobile: mobileNumber, captcha: sixDigits }),
    async handle({ params, memberId, caller, services, timeZone }) {
      const member = await services.contacts.bindMobile(memberId, params.mobile, params.captcha);
      return {
        member: clientMember(member, timeZone),
        tokenList: clientTokens(await services.contacts.sessionTokens(caller!)),
      };
    },
  }),
];
