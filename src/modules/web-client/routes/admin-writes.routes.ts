import { z } from 'zod';
import { encodeId } from '@/common/public-id';
import { text } from '@/common/schema-types';
import { clientRoute, code, optionalCode, optionalSubjectCode, subjectCode } from '../client-route';
import {
  clientAccount,
  clientDepartment,
  clientInviteCandidate,
  clientRole,
} from '../client-views';
import type { WebClientCall } from '../web-client-call';

const roleTitle = text({ max: 50, required: true });
const roleDescription = text({ max: 500, multiline: true });

/** The department fields of the client's department form. */
/** An account and the department it goes into or out of. */
const DEPARTMENT_MEMBER = z.object({
  departmentCode: subjectCode('department'),
  accountCode: code('account'),
});

export const DEPARTMENT_FORM = {
  parentDepartmentCode: optionalCode('department'),
  name: text({ max: 50, required: true }),
};

/** Renames a department, and moves it with its sub-departments when a parent is sent. */
export async function editDepartment(
  { memberId, services, organization, timeZone }: WebClientCall<unknown>,
  departmentId: number,
  form: { name: string; parentDepartmentCode?: number },
) {
  const updated = await services.departments.update(
    memberId,
    await organization(),
    departmentId,
    form.parentDepartmentCode === undefined
      ? { name: form.name }
      : { name: form.name, parentDepartmentId: form.parentDepartmentCode },
  );
  return clientDepartment(updated, timeZone, false);
}

/** Disables (`forbid`) or enables (`resume`) an account; the client's status field is ignored. */
function accountStatusRoute(path: string, summary: string, status: 'active' | 'disabled') {
  return clientRoute({
    path,
    summary,
    uses: 'AccountService.setStatus',
    status: 'full',
    scope: { orgPermission: path },
    params: z.object({ accountCode: subjectCode('account') }),
    async handle({ params, memberId, services, organization, timeZone }) {
      const account = await services.accounts.setStatus(
        memberId,
        await organization(),
        params.accountCode,
        status,
      );
      return clientAccount(account, timeZone);
    },
  });
}

export const ADMIN_WRITE_ROUTES = [
  clientRoute({
    path: 'project/auth/add',
    summary: 'Create a role in the current organization (title, desc)',
    uses: 'RoleService.create',
    status: 'full',
    note: 'status and sort are ignored: a new role is active (project/auth/forbid disables one), the list is by creation',
    scope: { orgPermission: 'project/auth/add' },
    params: z.object({ title: roleTitle, desc: roleDescription.optional() }),
    async handle({ params, services, organization, timeZone }) {
      const role = await services.roles.create(await organization(), {
        name: params.title,
        description: params.desc || undefined,
      });
      return clientRole(role, timeZone);
    },
  }),
  clientRoute({
    path: 'project/auth/edit',
    summary: 'Rename a role and replace its description (an empty desc clears it)',
    uses: 'RoleService.update',
    status: 'full',
    scope: { orgPermission: 'project/auth/edit' },
    params: z.object({
      id: subjectCode('role'),
      title: roleTitle,
      desc: roleDescription.optional(),
    }),
    async handle({ params, services, organization, timeZone }) {
      const role = await services.roles.update(await organization(), params.id, {
        name: params.title,
        description: params.desc || null,
      });
      return clientRole(role, timeZone);
    },
  }),
  clientRoute({
    path: 'project/auth/del',
    summary: 'Delete a custom role that no account holds and that is not the default',
    uses: 'RoleService.remove',
    status: 'full',
    scope: { orgPermission: 'project/auth/del' },
    params: z.object({ id: subjectCode('role') }),
    async handle({ params, services, organization }) {
      await services.roles.remove(await organization(), params.id);
      return [];
    },
  }),
  clientRoute({
    path: 'project/auth/setDefault',
    summary: 'Make a role the one new accounts get (the only default from then on)',
    uses: 'RoleService.setDefault',
    status: 'full',
    note: 'is_default is ignored: the client only ever sets a default, never unsets one',
    scope: { orgPermission: 'project/auth/setdefault' },
    params: z.object({ id: subjectCode('role') }),
    async handle({ params, services, organization, timeZone }) {
      return clientRole(await services.roles.setDefault(await organization(), params.id), timeZone);
    },
  }),
  accountStatusRoute(
    'project/account/forbid',
    "Disable an account: it reaches none of the organization's resources from its next request on (never the owner's)",
    'disabled',
  ),
  accountStatusRoute('project/account/resume', 'Enable a disabled account again', 'active'),
  clientRoute({
    path: 'project/account/del',
    summary:
      "End an account's membership of the organization (never the owner's); its projects and tasks stay",
    uses: 'AccountService.remove',
    status: 'full',
    scope: { orgPermission: 'project/account/del' },
    params: z.object({ accountCode: subjectCode('account') }),
    async handle({ params, memberId, services, organization }) {
      return services.accounts.remove(memberId, await organization(), params.accountCode);
    },
  }),
  clientRoute({
    path: 'project/department/edit',
    summary:
      'Rename a department (and move it with its sub-departments under parentDepartmentCode when one is sent)',
    uses: 'DepartmentService.update',
    status: 'full',
    scope: { orgPermission: 'project/department/edit' },
    params: z.object({ departmentCode: subjectCode('department'), ...DEPARTMENT_FORM }),
    async handle(call) {
      return editDepartment(call, call.params.departmentCode, call.params);
    },
  }),
  clientRoute({
    path: 'project/department/delete',
    summary: 'Delete an empty department: no sub-departments and no members',
    uses: 'DepartmentService.delete',
    status: 'full',
    scope: { orgPermission: 'project/department/delete' },
    params: z.object({ departmentCode: subjectCode('department') }),
    async handle({ params, memberId, services, organization }) {
      await services.departments.delete(memberId, await organization(), params.departmentCode);
      return [];
    },
  }),
  clientRoute({
    path: 'project/department_member/removeMember',
    summary: 'Take an account out of a department (it stays in the organization)',
    uses: 'DepartmentService.removeMember',
    status: 'full',
    scope: { orgPermission: 'project/department_member/removemember' },
    params: DEPARTMENT_MEMBER,
    async handle({ params, memberId, services, organization }) {
      await services.departments.removeMember(
        memberId,
        await organization(),
        params.departmentCode,
        params.accountCode,
      );
      return [];
    },
  }),
  clientRoute({
    path: 'project/department_member/searchInviteMember',
    summary:
      "The invite dialogs' search: the current organization's active accounts matching keyword; in a department's dialog marked joined when already in it, in the organization's 添加成员 dialog (no departmentCode) all marked joined",
    uses: 'AccountService.list',
    status: 'full',
    note: "keyword as in project/account: part of a name or account name, or a whole email; the first 100 matches. The original searched every user; msproject never shows an account outside the searcher's current organization (there is no such search to ask, so none to leak): newcomers join through an invite link (project/invite_link/save) or are invited by address through /api/v1, which answers alike whether the address names anyone",
    scope: { orgPermission: 'project/department_member/invitemember' },
    params: z.object({
      departmentCode: optionalSubjectCode('department'),
      keyword: text({ max: 50, required: true }),
    }),
    async handle({ params, memberId, services, organization }) {
      const organizationId = await organization();
      // The department is looked up first: one of another organization is not found.
      if (params.departmentCode !== undefined) {
        await services.departments.get(memberId, organizationId, params.departmentCode);
      }
      const department =
        params.departmentCode === undefined
          ? undefined
          : encodeId(params.departmentCode, 'department');
      const accounts = await services.accounts.list(memberId, organizationId, {
        status: 'active',
        keyword: params.keyword,
        page: 1,
        pageSize: 100,
      });
      return accounts.items.map((account) =>
        clientInviteCandidate(
          account,
          department === undefined || account.department?.id === department,
        ),
      );
    },
  }),
  clientRoute({
    path: 'project/department_member/inviteMember',
    summary: 'Put an account of the organization into a department (out of the one it was in)',
    uses: 'DepartmentService.addMember',
    status: 'full',
    scope: { orgPermission: 'project/department_member/invitemember' },
    params: DEPARTMENT_MEMBER,
    async handle({ params, memberId, services, organization }) {
      await services.departments.addMember(
        memberId,
        await organization(),
        params.departmentCode,
        params.accountCode,
      );
      return [];
    },
  }),
];
