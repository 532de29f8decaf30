import { z } from 'zod';
import { text } from '@/common/schema-types';
import { clientRoute, formPage, subjectCode } from '../client-route';
import { clientAccount } from '../client-views';
import { clientAvatar } from '../client-avatars';

/** More accounts than the calendar's member picker shows: the first ones, by joining. */
const ALL_LIST_LIMIT = 500;
const PAGE = 100;

/** The member profile page (read, 同步) and the pickers that list every account. */
export const ACCOUNT_DETAIL_ROUTES = [
  clientRoute({
    path: 'project/account/read',
    summary:
      'An account of the current organization, as the member profile page shows it (its card, department, position, joining time)',
    uses: 'AccountService.get',
    status: 'full',
    note: 'the client sends the account as code',
    scope: { orgPermission: 'project/account/read' },
    params: z.object({ accountCode: subjectCode('account') }),
    aliases: { code: 'accountCode' },
    async handle({ params, memberId, services, organization, timeZone }) {
      return clientAccount(
        await services.accounts.get(memberId, await organization(), params.accountCode),
        timeZone,
      );
    },
  }),
  clientRoute({
    path: 'project/account/_syncDetail',
    summary:
      "The profile page's 同步: fill the account card's empty email and mobile from the member's own (an email another account has stays out)",
    uses: 'AccountService.syncFromMember',
    status: 'full',
    note: "the avatar needs no copy: an account always shows its member's",
    scope: { orgPermission: 'project/account/edit' },
    params: z.object({ accountCode: subjectCode('account') }),
    aliases: { code: 'accountCode' },
    async handle({ params, memberId, services, organization, timeZone }) {
      return clientAccount(
        await services.accounts.syncFromMember(memberId, await organization(), params.accountCode),
        timeZone,
      );
    },
  }),
  clientRoute({
    path: 'project/account/_allList',
    summary:
      "Every active account of the current organization (the calendar's member picker), matching keyword",
    uses: 'AccountService.list',
    status: 'full',
    note: `keyword as in project/account; not paged (page and pageSize are passed over), the first ${ALL_LIST_LIMIT} accounts`,
    scope: { orgPermission: 'project/account/index' },
    params: z.object({ keyword: text({ max: 50 }).optional(), ...formPage }),
    async handle({ params, memberId, services, organization }) {
      const organizationId = await organization();
      const keyword = params.keyword?.trim() || undefined;
      const rows = [];
      for (let page = 1; rows.length < ALL_LIST_LIMIT; page++) {
        const found = await services.accounts.list(memberId, organizationId, {
          status: 'active',
          keyword,
          page,
          pageSize: PAGE,
        });
        rows.push(...found.items);
        if (found.items.length < PAGE || rows.length >= found.total) break;
      }
      return rows.slice(0, ALL_LIST_LIMIT).map((account) => ({
        id: account.id,
        code: account.id,
        memberCode: account.member.id,
        name: account.name ?? account.member.name,
        avatar: clientAvatar(account.member),
        // The account's card; the member's own email never shows.
        email: account.email ?? '',
        status: account.status === 'active' ? 1 : 0,
      }));
    },
  }),
  clientRoute({
    path: 'project/account/add',
    summary:
      'Add someone to the current organization by their email: they get an invitation to accept (the same answer whether the address names anyone)',
    uses: 'InvitationService.invite',
    status: 'full',
    note: 'msproject accounts are members who join: name, mobile and description are passed over (the member keeps their own; an administrator sets the card with project/account/edit once they joined)',
    scope: { orgPermission: 'project/account/add' },
    params: z.object({
      email: z
        .email('must be an email address')
        .max(120)
        .meta({ examples: ['ada@example.test'] }),
      name: text({ max: 50 }).optional(),
      mobile: text({ max: 20 }).optional(),
      description: text({ max: 500, multiline: true }).optional(),
    }),
    async handle({ params, memberId, services, organization }) {
      return services.invitations.invite(memberId, await organization(), params.email);
    },
  }),
];
