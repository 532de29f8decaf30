import { LINK_HOLDER } from '@/modules/organization/dto/invite-link.schemas';
import { clientRoute } from '../client-route';
import { joinByLink, LINK_ALIASES, LINK_SECRET } from './invite-link.routes';

export const PROJECT_INVITE_ROUTES = [
  clientRoute({
    path: 'project/project_member/_joinByInviteLink',
    summary:
      "The invite page's 加入项目: join a project's link (its organization, then the project); answers my organizations and the project's",
    uses: 'InviteLinkService.join, UserService.organizations',
    status: 'full',
    note: "into the organization with its default role as an enabled account, then into the project as a member (told by a notification); a member already in either stays as they are. A link stops opening when it expires (organization.invitations.linkExpiresInHours: code 409), is revoked, or its creator no longer owns the project or it is in the recycle bin (4041); a disabled account there is 403. The page then opens the project's board (source_code of project/invite_link/_read)",
    scope: { notOrgScoped: LINK_HOLDER },
    aliases: LINK_ALIASES,
    params: LINK_SECRET,
    handle: joinByLink,
  }),
];
