import { z } from 'zod';
import { text } from '@/common/schema-types';
import { clientRoute, formPage, subjectCode } from '../client-route';
import { clientOrganization } from '../client-views';

const OWN = "the member's own organizations";
const CHECKED_BY_OPERATION =
  'the organization the form names: its owner or rules, checked by the operation';

/** The organization form's fields (its areas cascader is not shown, and is not kept). */
const ORGANIZATION_FORM = {
  name: text({ max: 100, required: true }),
  address: text({ max: 200 }).optional(),
};

/** The organization page (组织管理): the member's organizations, found, edited, left, deleted. */
export const ORGANIZATION_ADMIN_ROUTES = [
  clientRoute({
    path: 'project/organization',
    summary: "The organization page's list: the member's organizations (active accounts), paged",
    uses: 'UserService.organizations',
    status: 'full',
    scope: { notOrgScoped: OWN },
    params: z.object({ ...formPage }),
    async handle({ params, memberId, services, timeZone }) {
      const all = await services.users.organizations(memberId);
      const from = (params.page - 1) * params.pageSize;
      return {
        list: all
          .slice(from, from + params.pageSize)
          .map((organization) => clientOrganization(organization, timeZone)),
        total: all.length,
        page: params.page,
      };
    },
  }),
  clientRoute({
    path: 'project/organization/save',
    summary:
      'Found an organization (name, address): the caller becomes its owner, with the roles every organization starts with',
    uses: 'OrganizationLifecycleService.create',
    status: 'full',
    note: 'areas (the province/city cascader, hidden on the page) is not kept',
    scope: { notOrgScoped: 'a new organization, founded by the caller' },
    params: z.object(ORGANIZATION_FORM),
    async handle({ params, memberId, services, timeZone }) {
      const created = await services.organizations.create(memberId, {
        name: params.name,
        address: params.address || undefined,
      });
      return clientOrganization(created, timeZone);
    },
  }),
  clientRoute({
    path: 'project/organization/edit',
    summary:
      'Rename an organization and change its address (an empty address clears it), as its owner or a role holding project/organization/edit',
    uses: 'OrganizationSettingsService.update',
    status: 'full',
    note: "the organization is the form's organizationCode (the row edited), not the current one; areas is not kept",
    scope: { notOrgScoped: CHECKED_BY_OPERATION },
    params: z.object({ organizationCode: subjectCode('organization'), ...ORGANIZATION_FORM }),
    async handle({ params, memberId, services, timeZone }) {
      await services.access.require(memberId, params.organizationCode, 'project/organization/edit');
      const updated = await services.organizationSettings.update(params.organizationCode, {
        name: params.name,
        ...(params.address === undefined ? {} : { address: params.address || null }),
      });
      return clientOrganization(updated, timeZone);
    },
  }),
  clientRoute({
    path: 'project/organization/delete',
    summary:
      'Delete an organization with its accounts, roles, departments and templates. Owner only; refused while it holds a project, and for the one every member got at registration',
    uses: 'OrganizationLifecycleService.delete',
    status: 'full',
    scope: { notOrgScoped: CHECKED_BY_OPERATION },
    params: z.object({ organizationCode: subjectCode('organization') }),
    async handle({ params, memberId, services }) {
      await services.organizations.delete(memberId, params.organizationCode);
      return '';
    },
  }),
  clientRoute({
    path: 'project/organization/_quitOrganization',
    summary:
      "Leave an organization: the member's account there ends, their projects and tasks stay; its owner cannot",
    uses: 'OrganizationLifecycleService.leave',
    status: 'full',
    scope: { notOrgScoped: "the member's own account in the organization" },
    params: z.object({ organizationCode: subjectCode('organization') }),
    async handle({ params, memberId, services }) {
      await services.organizations.leave(memberId, params.organizationCode);
      return '';
    },
  }),
];
