import { z } from 'zod';
import { text } from '@/common/schema-types';
import type { UpdateAccountRequest } from '@/modules/organization/dto/account.schemas';
import { mobileNumber } from '@/modules/user/dto/user.schemas';
import { clientRoute, code, subjectCode } from '../client-route';
import { clientAccount, clientRole } from '../client-views';

/** Disables (`forbid`) or enables (`resume`) a role; the client's status field is ignored. */
function roleStatusRoute(path: string, summary: string, status: 'active' | 'disabled') {
  return clientRoute({
    path,
    summary,
    uses: 'RoleService.setStatus',
    status: 'full',
    scope: { orgPermission: path },
    params: z.object({ id: subjectCode('role') }),
    async handle({ params, services, organization, timeZone }) {
      return clientRole(
        await services.roles.setStatus(await organization(), params.id, status),
        timeZone,
      );
    },
  });
}

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
  clientRoute({
    path: 'project/account/edit',
    summary:
      "Change an account's card in the current organization: name, email (unique in it), mobile, position, description; an empty field clears it",
    uses: 'AccountService.update',
    status: 'full',
    note: "the client sends the account as code. The member's own login name, email and mobile never change here: the card is the organization's (an empty name shows the member's own)",
    scope: { orgPermission: 'project/account/edit' },
    params: z.object({
      accountCode: subjectCode('account'),
      name: text({ max: 50 }).optional(),
      email: z
        .union([z.literal(''), z.email('must be an email address').max(120)])
        .meta({ examples: ['ada@example.test'] })
        .optional(),
      mobile: z
        .union([z.literal(''), mobileNumber])
        .meta({ examples: ['+8613800138000'] })
        .optional(),
      position: text({ max: 50 }).optional(),
      description: text({ max: 500, multiline: true }).optional(),
    }),
    aliases: { code: 'accountCode' },
    async handle({ params, memberId, services, organization, timeZone }) {
      const organizationId = await organization();
      const { accountCode, ...fields } = params;
      const changes: UpdateAccountRequest = {};
      for (const [field, value] of Object.entries(fields)) {
        if (value !== undefined) changes[field as keyof typeof fields] = value || null;
      }
      const account = Object.keys(changes).length
        ? await services.accounts.update(memberId, organizationId, accountCode, changes)
        : await services.accounts.get(memberId, organizationId, accountCode);
      return clientAccount(account, timeZone);
    },
  }),
  roleStatusRoute(
    'project/auth/forbid',
    'Disable a role: the accounts holding it hold none of its nodes until it is enabled (never the admin or the default role)',
    'disabled',
  ),
  roleStatusRoute('project/auth/resume', 'Enable a disabled role again', 'active'),
];
