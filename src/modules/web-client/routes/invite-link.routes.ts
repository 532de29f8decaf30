import { z } from 'zod';
import { Problem } from '@/common/problem';
import { decodeId } from '@/common/public-id';
import type { InviteLinkView } from '@/modules/organization/dto/invite-link.views';
import { text } from '@/common/schema-types';
import { LINK_HOLDER } from '@/modules/organization/dto/invite-link.schemas';
import { clientAvatar } from '../client-avatars';
import { clientRoute } from '../client-route';
import { clientTime } from '../client-time';
import { clientOrganization } from '../client-views';
import type { WebClientCall } from '../web-client-call';

/**
 * The code of a link as the client's page takes it from its address, looked up as it is. The
 * client sends it as `inviteCode`; it is documented as `linkSecret`, for it is the link's
 * secret and no id of anything.
 */
const linkSecret = z.object({ linkSecret: text({ max: 200, required: true }) });
const aliases = { inviteCode: 'linkSecret' };

/**
 * Joins through a link (its organization, and its project for a project's link); answers
 * my organizations and the one joined, which the invite page makes current.
 */
export async function joinByLink({
  params,
  memberId,
  services,
  timeZone,
}: WebClientCall<{ linkSecret: string }>) {
  const joined = await services.inviteLinks.join(memberId, params.linkSecret);
  const organizations = (await services.users.organizations(memberId)).map((organization) =>
    clientOrganization(organization, timeZone),
  );
  const current = organizations.find((organization) => organization.code === joined.id);
  // A disabled account there is none of the member's organizations: nothing to switch to.
  if (!current) throw Problem.forbidden('your account in this organization is disabled');
  return { organizationList: organizations, currentOrganization: current };
}

/** A new link as the member dialogs read it: its code (the page's address) and expiry. */
function clientLink(
  link: InviteLinkView,
  type: 'organization' | 'project',
  source: string,
  timeZone: string,
) {
  return {
    code: link.code,
    invite_type: type,
    source_code: source,
    over_time: clientTime(link.expiresAt, timeZone),
    create_time: clientTime(link.createdAt, timeZone),
  };
}

export { aliases as LINK_ALIASES, linkSecret as LINK_SECRET };

export const INVITE_LINK_ROUTES = [
  clientRoute({
    path: 'project/invite_link/save',
    summary:
      "通过链接邀请: an invite link into the current organization (the member dialog), or into a project with its organization (the project's member dialog); answers code, over_time",
    uses: 'InviteLinkService.create, InviteLinkService.createForProject',
    status: 'full',
    note: "inviteType organization: needs project/account/add in the current organization (the organizationCode header's; a sourceCode naming another is answered 4041). inviteType project: sourceCode is the project, which only its owner invites into, and the link also joins its organization. Links expire after organization.invitations.linkExpiresInHours and can be revoked through /api/v1",
    scope: {
      notOrgScoped:
        "an organization's link needs its invite permission (checked in the handler); a project's link, its owner",
    },
    // The client's sourceCode names an organization or a project, by inviteType.
    aliases: { sourceCode: 'invitedInto' },
    params: z.object({
      inviteType: z.enum(['organization', 'project']),
      invitedInto: text({ max: 100 }).optional(),
    }),
    async handle({ params, memberId, services, organization, timeZone }) {
      if (params.inviteType === 'project') {
        const projectId = decodeId(params.invitedInto ?? '', 'project');
        const link = await services.inviteLinks.createForProject(memberId, projectId);
        return clientLink(link, 'project', link.projectId, timeZone);
      }
      const organizationId = await organization();
      // The dialog sends the current organization; any other is not the caller's to invite into.
      if (params.invitedInto && decodeId(params.invitedInto, 'organization') !== organizationId) {
        throw Problem.notFound('no such organization among yours');
      }
      await services.access.require(memberId, organizationId, 'project/account/add');
      const link = await services.inviteLinks.create(memberId, organizationId);
      return clientLink(link, 'organization', link.organizationId, timeZone);
    },
  }),
  clientRoute({
    path: 'project/invite_link/_read',
    summary:
      'The invite page (/invite_from_link/:code): where the link leads (an organization, or a project) and who made it',
    uses: 'InviteLinkService.preview',
    status: 'full',
    note: "an unknown or revoked code is 4041, an expired one 409; the creator's email is '' (members never see each other's contact details)",
    scope: { notOrgScoped: LINK_HOLDER },
    aliases,
    params: linkSecret,
    async handle({ params, services, timeZone }) {
      const preview = await services.inviteLinks.preview(params.linkSecret);
      const source = preview.project ?? preview.organization;
      return {
        code: params.linkSecret,
        invite_type: preview.project ? 'project' : 'organization',
        source_code: source.id,
        over_time: clientTime(preview.expiresAt, timeZone),
        member: {
          code: preview.inviter.id,
          name: preview.inviter.name,
          avatar: clientAvatar(preview.inviter),
          email: '',
        },
        sourceDetail: { code: source.id, name: source.name },
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
    handle: joinByLink,
  }),
];
