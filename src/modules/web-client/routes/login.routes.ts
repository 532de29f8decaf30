import { z } from 'zod';
import { accountName } from '@/modules/user/account-name';
import { mobileNumber } from '@/modules/user/dto/user.schemas';
import { Problem } from '@/common/problem';
import { text } from '@/common/schema-types';
import { clientRoute } from '../client-route';
import { clientMember, clientOrganization, clientTokens } from '../client-views';
import { clearDownloadPass, setDownloadPass } from '../download-pass-cookie';

const ONE_TRANSPORT_NOTE = 'what the member does with their own account';
const DOWNLOAD_PASS_NOTE =
  'also sets the download-pass cookie the template downloads take (see project/task/_downloadTemplate)';

/** The client sends md5(password), hex; it checks its own password rules before hashing. */
export const md5Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{32}$/, "must be the password's md5, 32 hex digits")
  .meta({ examples: ['e10adc3949ba59abbe56e057f20f883e'] })
  .transform((digest) => ({ digest: digest.toLowerCase() }));

export const LOGIN_ROUTES = [
  clientRoute({
    path: 'project/login/getCaptcha',
    summary: 'Send a registration code to a mobile number',
    uses: 'UserService.requestCaptcha',
    status: 'full',
    note: 'data is the code only where captcha.exposeInResponse is on (the client shows it); else ""',
    public: true,
    scope: { notOrgScoped: ONE_TRANSPORT_NOTE },
    params: z.object({ mobile: mobileNumber }),
    async handle({ params, services, ip }) {
      const issued = await services.users.requestCaptcha(params.mobile, ip);
      return issued.code ?? '';
    },
  }),
  clientRoute({
    path: 'project/login/register',
    summary: 'Register a member (name is the login account), with a personal organization',
    uses: 'UserService.register',
    status: 'full',
    public: true,
    scope: { notOrgScoped: ONE_TRANSPORT_NOTE },
    params: z
      .object({
        email: z.email('must be an email address').max(120),
        name: accountName,
        password: md5Hex,
        password2: md5Hex,
        mobile: mobileNumber,
        captcha: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
      })
      .refine((form) => form.password.digest === form.password2.digest, {
        path: ['password2'],
        message: 'the two passwords differ',
      }),
    async handle({ params, services, ip, timeZone }) {
      const member = await services.users.register(
        {
          account: params.name,
          name: params.name,
          email: params.email,
          mobile: params.mobile,
          password: params.password,
          captcha: params.captcha,
        },
        ip,
      );
      return clientMember(member, timeZone);
    },
  }),
  clientRoute({
    path: 'project/login',
    summary: 'Log in with account name, email or mobile and md5(password)',
    uses: 'UserService.login',
    status: 'full',
    note: `a member whose password hash predates md5 storage logs in once through /api/v1 first; ${DOWNLOAD_PASS_NOTE}`,
    public: true,
    scope: { notOrgScoped: ONE_TRANSPORT_NOTE },
    params: z.object({ account: text({ max: 120, required: true }), password: md5Hex }),
    async handle({ params, services, ip, timeZone, request, reply }) {
      // Code 401 would log the client out without a word: a refused login is bad input.
      const result = await services.users.login(params, ip).catch((error: unknown) => {
        if (error instanceof Problem && error.status === 401) {
          throw Problem.invalid([{ field: 'password', message: error.detail }]);
        }
        throw error;
      });
      setDownloadPass(request, reply, services.downloadPasses.issue(result.accessToken));
      const organizations = result.organizations.map((organization) =>
        clientOrganization(organization, timeZone),
      );
      return {
        member: clientMember(result.member, timeZone, organizations[0]?.code ?? ''),
        tokenList: clientTokens(result),
        organizationList: organizations,
      };
    },
  }),
  clientRoute({
    path: 'index/index/refreshAccessToken',
    summary: 'A new access token for the session of a refresh token',
    uses: 'UserService.renewAccess',
    status: 'full',
    note: `the refresh token is kept (the client never stores a new one); one rotated away through /api/v1 is refused; ${DOWNLOAD_PASS_NOTE}, for the new access token`,
    public: true,
    scope: { notOrgScoped: ONE_TRANSPORT_NOTE },
    params: z.object({ refreshToken: z.string().min(1, 'required').max(4096) }),
    async handle({ params, services, request, reply }) {
      const tokens = await services.users.renewAccess(params.refreshToken);
      setDownloadPass(request, reply, services.downloadPasses.issue(tokens.accessToken));
      return clientTokens(tokens);
    },
  }),
  clientRoute({
    path: 'project/login/_out',
    summary: 'End the session of the access token',
    uses: 'UserService.logout',
    status: 'full',
    note: 'also removes the download-pass cookie (the session it names has ended anyway)',
    scope: { notOrgScoped: ONE_TRANSPORT_NOTE },
    params: z.object({}),
    async handle({ caller, services, request, reply }) {
      await services.users.logout(caller!);
      clearDownloadPass(request, reply);
      return '';
    },
  }),
];
