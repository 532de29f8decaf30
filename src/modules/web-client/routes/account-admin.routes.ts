import { z } from 'zod';
import { clientRoute, code, subjectCode } from '../client-route';
import { clientAccount } from '../client-views';

/** The account page's writes beyond status and removal (admin-writes.routes.ts). */
export const ACCOUNT_ADMIN_ROUTES = [
  clientRoute({
    path: 'project/account/auth',
    summary:
      "Give an account (accountCode) a role of the organization (authCode); the owner's account keeps the admin role",
    uses: 'RoleService.assign',
    status: 'full',
    note: "the client sends the account as id and the role as auth (the account page's radio: one role per account)",
    scope: { orgPermission: 'project/account/auth' },
    params: z.object({ accountCode: subjectCode('account'), authCode: code('role') }),
    aliases: { id: 'accountCode', auth: 'authCode' },
    async handle({ params, memberId, services, organization, timeZone }) {
      const organizationId = await organization();
      await services.roles.assign(organizationId, params.accountCode, params.authCode);
      const account = await services.accounts.get(memberId, organizationId, params.accountCode);
      return clientAccount(account, timeZone);
    },
  }),
];
