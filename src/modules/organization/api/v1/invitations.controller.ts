import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@/common/api-docs';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { IdParam } from '@/common/public-id.pipe';
import { RpcTwin } from '@/common/transport-parity';
import { ApiZodBody, ValidBody } from '@/common/zod-validation';
import {
  INVITEE_OWN,
  inviteRequest,
  myInvitationsQuery,
  type InviteRequest,
  type MyInvitationsQuery,
} from '@/modules/organization/dto/invitation.schemas';
import { InvitationService } from '@/modules/organization/invitation.service';
import { ApiZodQuery, ValidQuery } from '@/modules/project/api/v1/query';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';

@ApiTags('invitations')
@ApiBearerAuth()
@Controller('api/v1')
export class InvitationsController {
  constructor(private readonly invitations: InvitationService) {}

  @RpcTwin('InvitationService/Invite')
  @OrgPermission('project/account/add')
  @Post('organizations/:organizationId/invitations')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Invite an existing member by account name, email or mobile',
    description:
      'The same answer, as fast, whether the address names a member or not; limited per inviter and per organization (429 with Retry-After).',
  })
  @ApiZodBody(inviteRequest)
  invite(
    @CurrentCaller() caller: Caller,
    @IdParam('organizationId', 'organization') organizationId: number,
    @ValidBody(inviteRequest) body: InviteRequest,
  ) {
    return this.invitations.invite(caller.memberId, organizationId, body.address);
  }

  @RpcTwin('InvitationService/ListMyInvitations')
  @NotOrgScoped(INVITEE_OWN)
  @Get('invitations')
  @ApiOperation({ summary: 'My pending invitations' })
  @ApiZodQuery(myInvitationsQuery)
  mine(@CurrentCaller() caller: Caller, @ValidQuery(myInvitationsQuery) query: MyInvitationsQuery) {
    return this.invitations.mine(caller.memberId, query);
  }

  @RpcTwin('InvitationService/AcceptInvitation')
  @NotOrgScoped(INVITEE_OWN)
  @Post('invitations/:invitationId/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept my invitation: join the organization with its default role' })
  accept(
    @CurrentCaller() caller: Caller,
    @IdParam('invitationId', 'invitation') invitationId: number,
  ) {
    return this.invitations.accept(caller.memberId, invitationId);
  }

  @RpcTwin('InvitationService/DeclineInvitation')
  @NotOrgScoped(INVITEE_OWN)
  @Post('invitations/:invitationId/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline my invitation' })
  decline(
    @CurrentCaller() caller: Caller,
    @IdParam('invitationId', 'invitation') invitationId: number,
  ) {
    return this.invitations.decline(caller.memberId, invitationId);
  }
}
