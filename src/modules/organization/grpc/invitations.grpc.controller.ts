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
import {
  inviteCodeRequest,
  LINK_HOLDER,
  listInviteLinksQuery,
  revokeInviteLinkRequest,
  type InviteCodeRequest,
  type ListInviteLinksQuery,
  type RevokeInviteLinkRequest,
} from '../dto/invite-link.schemas';
import { InvitationService } from '../invitation.service';
import { InviteLinkService } from '../invite-link.service';

/** msproject.organization.v1.InvitationService: the same rules, and schemas, as the REST API. */
@Controller()
@InvitationServiceControllerMethods()
export class InvitationsGrpcController implements GrpcService<InvitationServiceController> {
  constructor(
    private readonly invitations: InvitationService,
    private readonly links: InviteLinkService,
  ) {}

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

  @OrgPermission('project/account/add')
  async createInviteLink(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.links.create(caller.memberId, organizationId));
  }

  @NotOrgScoped("a project's own rules apply: only its owner invites by link")
  async createProjectInviteLink(
    @SubjectId('projectId', 'project') projectId: number,
    @CurrentCaller() caller: Caller,
  ) {
    return wireMessage(await this.links.createForProject(caller.memberId, projectId));
  }

  @OrgPermission('project/account/add')
  async listInviteLinks(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(listInviteLinksQuery, { omit: ['organizationId'] }) query: ListInviteLinksQuery,
  ) {
    return wireMessage(await this.links.list(organizationId, query));
  }

  @OrgPermission('project/account/add')
  async revokeInviteLink(
    @SubjectId('organizationId', 'organization') organizationId: number,
    @ValidPayload(revokeInviteLinkRequest, { omit: ['organizationId'] })
    { link }: RevokeInviteLinkRequest,
  ) {
    await this.links.revoke(organizationId, link);
    return {};
  }

  @NotOrgScoped(LINK_HOLDER)
  async previewInviteLink(@ValidPayload(inviteCodeRequest) { code }: InviteCodeRequest) {
    return wireMessage(await this.links.preview(code));
  }

  @NotOrgScoped(LINK_HOLDER)
  joinByInviteLink(
    @ValidPayload(inviteCodeRequest) { code }: InviteCodeRequest,
    @CurrentCaller() caller: Caller,
  ) {
    return this.links.join(caller.memberId, code);
  }
}
