/** The purpose of avatar links: a link made for one is refused by every other route. */
export const AVATAR_LINK = 'member-avatar';

/** Where a member's avatar is served (`GET`, with the bearer header or as a signed link). */
export const avatarPath = (memberPublicId: string) => `/api/v1/members/${memberPublicId}/avatar`;

/** A member's avatar as clients see it. */
export interface AvatarView {
  memberId: string;
  /** Whether it is an uploaded image (else the member's initials). */
  uploaded: boolean;
  contentType: string;
  /** The uploaded image's size in bytes; 0 for the initials. */
  size: number;
  /** A link to it that a browser follows without the bearer header (see avatars.linkTtlSeconds). */
  url: string;
}
