import { z } from 'zod';
import { Problem } from '@/common/problem';
import { clientRoute, formPage, subjectCode } from '../client-route';
import { clientAccount, clientPage } from '../client-views';

/** A department's accounts, and one member's account, as the department pages read them. */
export const DEPARTMENT_MEMBER_ROUTES = [
  clientRoute({
    path: 'project/department_member/index',
    summary: 'The accounts in a department (not in its sub-departments), oldest first',
    uses: 'DepartmentService.members',
    status: 'full',
    scope: { orgPermission: 'project/department_member/index' },
    params: z.object({ departmentCode: subjectCode('department'), ...formPage }),
    async handle({ params, memberId, services, organization, timeZone }) {
      const page = await services.departments.members(
        memberId,
        await organization(),
        params.departmentCode,
        { page: params.page, pageSize: params.pageSize },
      );
      return clientPage(page, (account) => clientAccount(account, timeZone));
    },
  }),
  clientRoute({
    path: 'project/department_member/detail',
    summary:
      "A member's account in the current organization (memberCode): department, position, role, status",
    uses: 'AccountService.list',
    status: 'full',
    note: 'the client sends the member as code; its organization field is ignored (the current organization is the organizationCode header)',
    scope: { orgPermission: 'project/account/read' },
    params: z.object({ memberCode: subjectCode('member') }),
    aliases: { code: 'memberCode' },
    async handle({ params, memberId, services, organization, timeZone }) {
      const found = await services.accounts.list(memberId, await organization(), {
        memberId: params.memberCode,
        page: 1,
        pageSize: 1,
      });
      const [account] = found.items;
      if (!account) throw Problem.notFound('no account of that member here');
      return clientAccount(account, timeZone);
    },
  }),
];
