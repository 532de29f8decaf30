import { z } from 'zod';
import { Problem } from '@/common/problem';
import { encodeId } from '@/common/public-id';
import { clientRoute, subjectCode } from '../client-route';
import { clientOrganization } from '../client-views';

const OWN = "the member's own organizations";

export const ORGANIZATION_ROUTES = [
  clientRoute({
    path: 'project/organization/_getOrgList',
    summary: "The member's organizations (active accounts only)",
    uses: 'UserService.organizations',
    status: 'full',
    scope: { notOrgScoped: OWN },
    params: z.object({}),
    async handle({ memberId, services, timeZone }) {
      const organizations = await services.users.organizations(memberId);
      return organizations.map((organization) => clientOrganization(organization, timeZone));
    },
  }),
  clientRoute({
    path: 'project/index/changeCurrentOrganization',
    summary: 'Switch to another of my organizations (the client sends it as a header from then on)',
    uses: 'UserService.organizations',
    status: 'full',
    scope: { notOrgScoped: OWN },
    params: z.object({ organizationCode: subjectCode('organization') }),
    async handle({ params, memberId, services, timeZone }) {
      const organizations = await services.users.organizations(memberId);
      const wanted = encodeId(params.organizationCode, 'organization');
      const chosen = organizations.find((organization) => organization.id === wanted);
      if (!chosen) throw Problem.notFound('organization not found');
      return clientOrganization(chosen, timeZone);
    },
  }),
];
