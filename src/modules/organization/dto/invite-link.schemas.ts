import { z } from 'zod';
import { publicId } from '@/common/public-id';
import { pageFields } from '@/modules/project/dto/project.schemas';

/** Why opening and joining by a link are outside any organization's permissions. */
export const LINK_HOLDER =
  "an invite link's holder: a logged-in member who is shown the link, into an organization they may not be in yet";

/** An invite link's code as it was handed out: 32 random bytes in base64url. */
export const inviteCodeRequest = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be an invite code as it was handed out'),
});

export const listInviteLinksQuery = z.strictObject({ ...pageFields });

/** Which link to revoke: its id, as the organization's list shows it. */
export const revokeInviteLinkRequest = z.strictObject({ link: publicId('inviteLink') });

export type RevokeInviteLinkRequest = z.infer<typeof revokeInviteLinkRequest>;
export type InviteCodeRequest = z.infer<typeof inviteCodeRequest>;
export type ListInviteLinksQuery = z.infer<typeof listInviteLinksQuery>;
