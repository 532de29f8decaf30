import { encodeId } from '@/common/public-id';
import { memberRef, type Members } from '@/modules/project/dto/project.views';
import type { MemberSummary } from '@/modules/user/user-directory';
import type { InviteLink } from '../entities';
import type { NamedRef } from './account.views';

/** An invite link as those who may invite see it; its code only in the answer that created it. */
export interface InviteLinkView {
  id: string;
  organizationId: string;
  /** The project it also leads into; '' for a link into the organization only. */
  projectId: string;
  creator: MemberSummary;
  expiresAt: string;
  revoked: boolean;
  /** How many members joined through it. */
  joins: number;
  createdAt: string;
  /** The secret that opens it: shown once, when it is created; '' afterwards. */
  code: string;
}

/** What the holder of a link is shown before joining: where it leads and who made it. */
export interface InviteLinkPreview {
  organization: NamedRef;
  /** For a project's link: the project it leads into (absent for an organization's). */
  project: NamedRef | undefined;
  inviter: MemberSummary;
  expiresAt: string;
}

export function inviteLinkView(link: InviteLink, members: Members, code = ''): InviteLinkView {
  return {
    id: encodeId(link.id, 'inviteLink'),
    organizationId: encodeId(link.organizationId, 'organization'),
    projectId: link.projectId === null ? '' : encodeId(link.projectId, 'project'),
    creator: memberRef(members, link.creatorId),
    expiresAt: new Date(link.expiresAt).toISOString(),
    revoked: link.revokedAt !== null,
    joins: link.joins,
    createdAt: new Date(link.createdAt).toISOString(),
    code,
  };
}
