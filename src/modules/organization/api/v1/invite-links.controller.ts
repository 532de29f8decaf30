import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import {
  inviteCodeRequest,
  LINK_HOLDER,
  listInviteLinksQuery,
  revokeInviteLinkRequest,
  type InviteCodeRequest,
  type ListInviteLinksQuery,
  type RevokeInviteLinkRequest,
} from '@/modules/organization/dto/invite-link.schemas';
import { InviteLinkService } from '@/modules/organization/invite-link.service';
import { ApiZodQuery, ValidQuery } from '@/modules/project/api/v1/query';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';

@ApiTags('invitations')
@ApiBearerAuth()
@Controller('api/v1')
export class InviteLinksController {
  constructor(private readonly links: InviteLinkService) {}

  @RpcTwin('InvitationService/CreateInviteLink')
  @OrgPermission('project/account/add')
  @Post('organizations/:organizationId/invite-links')
  @ApiOperation({
    summary: 'Create an invite link: a logged-in member who opens it joins the organization',
    description:
      'Its code is in this answer only. It expires after organization.invitations.linkExpiresInHours and counts against the invitation limits (429 with Retry-After).',
  })
  create(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
  ) {
    return this.links.create(caller.memberId, organizationId);
  }

  @RpcTwin('InvitationService/CreateProjectInviteLink')
  @NotOrgScoped("a project's own rules apply: only its owner invites by link")
  @Post('projects/:projectId/invite-links')
  @ApiOperation({
    summary:
      'Create an invite link into my project (owner only): a logged-in member who opens it joins its organization and the project',
    description:
      'Its code is in this answer only. It expires after organization.invitations.linkExpiresInHours, counts against the invitation limits (429 with Retry-After), and opens nothing once I no longer own the project or it is in the recycle bin.',
  })
  createForProject(
    @CurrentCaller() caller: Caller,
    @IdParam('projectId', 'project') projectId: number,
  ) {
    return this.links.createForProject(caller.memberId, projectId);
  }

  @RpcTwin('InvitationService/ListInviteLinks')
  @OrgPermission('project/account/add')
  @Get('organizations/:organizationId/invite-links')
  @ApiOperation({ summary: "The organization's invite links that still open, without codes" })
  @ApiZodQuery(listInviteLinksQuery)
  list(
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidQuery(listInviteLinksQuery) query: ListInviteLinksQuery,
  ) {
    return this.links.list(organizationId, query);
  }

  @RpcTwin('InvitationService/RevokeInviteLink')
  @OrgPermission('project/account/add')
  @Post('organizations/:organizationId/invite-links/revoke')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an invite link (`link`: its id, as listed): it opens nothing from now on',
  })
  @ApiZodBody(revokeInviteLinkRequest)
  async revoke(
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidBody(revokeInviteLinkRequest) body: RevokeInviteLinkRequest,
  ) {
    await this.links.revoke(organizationId, body.link);
  }

  @RpcTwin('InvitationService/PreviewInviteLink')
  @NotOrgScoped(LINK_HOLDER)
  @Post('invite-links/preview')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Where an invite link leads: the organization and the link's creator (404 for an unknown or revoked code, 409 invite_link_expired)",
  })
  @ApiZodBody(inviteCodeRequest)
  preview(@ValidBody(inviteCodeRequest) body: InviteCodeRequest) {
    return this.links.preview(body.code);
  }

  @RpcTwin('InvitationService/JoinByInviteLink')
  @NotOrgScoped(LINK_HOLDER)
  @Post('invite-links/join')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Join the invite link's organization with its default role, and for a project's link the project (a member already there stays as they are)",
  })
  @ApiZodBody(inviteCodeRequest)
  join(@CurrentCaller() caller: Caller, @ValidBody(inviteCodeRequest) body: InviteCodeRequest) {
    return this.links.join(caller.memberId, body.code);
  }
}
