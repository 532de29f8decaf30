/** The purpose of picture links: a link made for one is refused by every other route. */
export const IMAGE_LINK = 'organization-image';

/** Where a picture is served (`GET`, with the bearer header or as a signed link). */
export const imagePath = (name: string) => `/api/v1/images/${name}`;

/** A picture uploaded to an organization. */
export interface ImageView {
  /** The organization's id and the picture's own, as its link names it. */
  name: string;
  organizationId: string;
  contentType: string;
  size: number;
  /**
   * A link to it that a browser follows without the bearer header, valid for
   * `images.linkTtlSeconds`: a cover or a description keeps it.
   */
  url: string;
}
