import { z } from 'zod';
import { text } from '@/common/schema-types';
import { pageFields } from '@/modules/project/dto/project.schemas';

/** Why the invitee's own operations are outside any organization's permissions. */
export const INVITEE_OWN = "the invitee's own invitations, into organizations they are not in yet";

export const inviteRequest = z.strictObject({
  /**
   * An account name, email or mobile, read as login reads it. Any text is taken: what does not
   * name a member gets the same answer as what does.
   */
  address: text({ max: 120, required: true }),
});

export const myInvitationsQuery = z.strictObject({ ...pageFields });

export type InviteRequest = z.infer<typeof inviteRequest>;
export type MyInvitationsQuery = z.infer<typeof myInvitationsQuery>;
