import { Controller } from '@nestjs/common';
import { NotOrgScoped, OrgPermission } from '@/common/org-permission';
import { SubjectId } from '@/common/public-id.pipe';
import { ValidPayload } from '@/common/zod-validation';
import {
  InvitationServiceControllerMethods,
  type InvitationServiceController,
} from '@/generated/organization/v1/organization';
import type { GrpcService } from '@/grpc/grpc-service';
import { wireMessage } from '@/grpc/wire-message';
import type { Caller } from '@/modules/user/auth/access-token.guard';
import { CurrentCaller } from '@/modules/user/auth/current-caller.decorator';
import {
  INVITEE_OWN,
  inviteRequest,
  myInvitationsQuery,
  type InviteRequest,
  type MyInvitationsQuery,
} from '../dto/invitation.schemas';
import { InvitationService } from '../invitation.service';

/** msproject.organization.v1.InvitationService: the same rules, and schemas, as the REST API. */
@Controller()
@InvitationServiceControllerMethods()
export class InvitationsGrpcController implements GrpcService<InvitationServiceController> {
  constructor(private readonly invitations: InvitationService) {}

  @OrgPermission('project/account/add')
  async invite(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(inviteRequest, { omit: ['organizationId'] }) { address }: InviteRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.invitations.invite(caller.memberId, organizationId, address));
  }

  @NotOrgScoped(INVITEE_OWN)
  async listMyInvitations(
    @ValidPayload(myInvitationsQuery) query: MyInvitationsQuery,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.invitations.mine(caller.memberId, query));
  }

  @NotOrgScoped(INVITEE_OWN)
  async acceptInvitation(
    @SubjectId('invitationId', 'invitation') invitationId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.invitations.accept(caller.memberId, invitationId));
  }

  @NotOrgScoped(INVITEE_OWN)
  async declineInvitation(
    @SubjectId('invitationId', 'invitation') invitationId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.invitations.decline(caller.memberId, invitationId));
  }
}
