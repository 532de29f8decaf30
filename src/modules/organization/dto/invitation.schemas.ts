import { z } from 'zod';
import { text } from '@/common/schema-types';
import { pageFields } from '@/modules/project/dto/project.schemas';

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
