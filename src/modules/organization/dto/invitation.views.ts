import { encodeId } from '@/common/public-id';
import { memberRef, type Members } from '@/modules/project/dto/project.views';
import type { MemberSummary } from '@/modules/user/user-directory';
import type { Invitation, InvitationStatus } from '../entities';
import type { NamedRef } from './account.views';

export interface InvitationRow {
  invitation: Invitation;
  organizationName: string;
}

/** An invitation as its invitee sees it. */
export interface InvitationView {
  id: string;
  organization: NamedRef;
  inviter: MemberSummary;
  status: InvitationStatus;
  expiresAt: string;
  createdAt: string;
}

/** A pending invitation past its expiry shows as expired, whether or not it is marked so yet. */
export function invitationView(
  { invitation, organizationName }: InvitationRow,
  members: Members,
  now = new Date(),
): InvitationView {
  const expiresAt = new Date(invitation.expiresAt);
  const expired = invitation.status === 'pending' && expiresAt <= now;
  return {
    id: encodeId(invitation.id, 'invitation'),
    organization: {
      id: encodeId(invitation.organizationId, 'organization'),
      name: organizationName,
    },
    inviter: memberRef(members, invitation.inviterId),
    status: expired ? 'expired' : invitation.status,
    expiresAt: expiresAt.toISOString(),
    createdAt: new Date(invitation.createdAt).toISOString(),
  };
}

/** What every invitation request is answered, whoever the address names. */
export const INVITATION_RECEIPT = { status: 'requested' } as const;
