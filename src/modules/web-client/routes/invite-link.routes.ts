import { z } from 'zod';
import { Problem } from '@/common/problem';
import { text } from '@/common/schema-types';
import { LINK_HOLDER } from '@/modules/organization/dto/invite-link.schemas';
import { clientAvatar } from '../client-avatars';
import { clientRoute } from '../client-route';
import { clientTime } from '../client-time';
import { clientOrganization } from '../client-views';

/**
 * The code of a link as the client's page takes it from its address, looked up as it is. The
 * client sends it as `inviteCode`; it is documented as `linkSecret`, for it is the link's
 * secret and no id of anything.
 */
const linkSecret = z.object({ linkSecret: text({ max: 200, required: true }) });
const aliases = { inviteCode: 'linkSecret' };

export const INVITE_LINK_ROUTES = [
  clientRoute({
    path: 'project/invite_link/save',
    summary:
      "The member dialog's 通过链接邀请: an invite link into the current organization (code, over_time)",
    uses: 'InviteLinkService.create',
    status: 'partial',
    note: "inviteType organization only: links into a project are refused with a message (members join a project through its member dialog). The link leads into the current organization (the organizationCode header's); the sourceCode the dialog sends names that one and is passed over. It expires after organization.invitations.linkExpiresInHours and can be revoked through /api/v1",
    scope: { orgPermission: 'project/account/add' },
    params: z.object({ inviteType: z.enum(['organization', 'project']) }),
    async handle({ params, memberId, services, organization, timeZone }) {
      if (params.inviteType === 'project') {
        throw Problem.failedPrecondition(
          'msproject makes no invite links into a project: search for the member above and invite them, or invite them to the organization by link (成员 → 添加成员) first',
        );
      }
      const organizationId = await organization();
      const link = await services.inviteLinks.create(memberId, organizationId);
      return {
        code: link.code,
        invite_type: 'organization',
        source_code: link.organizationId,
        over_time: clientTime(link.expiresAt, timeZone),
        create_time: clientTime(link.createdAt, timeZone),
      };
    },
  }),
  clientRoute({
    path: 'project/invite_link/_read',
    summary: "The invite page (/invite_from_link/:code): the link's organization and who made it",
    uses: 'InviteLinkService.preview',
    status: 'full',
    note: "an unknown or revoked code is 4041, an expired one 409; the creator's email is '' (members never see each other's contact details)",
    scope: { notOrgScoped: LINK_HOLDER },
    aliases,
    params: linkSecret,
    async handle({ params, services, timeZone }) {
      const preview = await services.inviteLinks.preview(params.linkSecret);
      return {
        code: params.linkSecret,
        invite_type: 'organization',
        source_code: preview.organization.id,
        over_time: clientTime(preview.expiresAt, timeZone),
        member: {
          code: preview.inviter.id,
          name: preview.inviter.name,
          avatar: clientAvatar(preview.inviter),
          email: '',
        },
        sourceDetail: { code: preview.organization.id, name: preview.organization.name },
      };
    },
  }),
  clientRoute({
    path: 'project/account/_joinByInviteLink',
    summary:
      "The invite page's 加入组织: join the link's organization; answers my organizations and the one joined",
    uses: 'InviteLinkService.join, UserService.organizations',
    status: 'full',
    note: 'with the default role, as an enabled account; a member already there stays as they are',
    scope: { notOrgScoped: LINK_HOLDER },
    aliases,
    params: linkSecret,
    async handle({ params, memberId, services, timeZone }) {
      const joined = await services.inviteLinks.join(memberId, params.linkSecret);
      const organizations = (await services.users.organizations(memberId)).map((organization) =>
        clientOrganization(organization, timeZone),
      );
      const current = organizations.find((organization) => organization.code === joined.id);
      // A disabled account there is none of the member's organizations: nothing to switch to.
      if (!current) throw Problem.forbidden('your account in this organization is disabled');
      return { organizationList: organizations, currentOrganization: current };
    },
  }),
];
