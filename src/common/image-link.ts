import { z } from 'zod';

/**
 * msproject's own picture links (`GET /api/v1/images/<name>` with a signed link's query), as a
 * cover or a description keeps them: behind any prefix, relative or absolute.
 */
export const OWN_IMAGE_LINK =
  /^(?:https?:\/\/[^\s/?#]+)?(?:\/[^\s?#]*)?\/api\/v1\/images\/[A-Za-z0-9_-]+\.[0-9a-f]{32}\?[^\s#]+$/;

/** A picture link of msproject's own, which may be relative (no origin) where a URL is asked. */
export const ownImageLink = z
  .string()
  .max(500)
  .regex(OWN_IMAGE_LINK, 'must be an http(s) URL or a picture link of msproject');
