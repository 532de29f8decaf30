import { z } from 'zod';
import { ownImageLink } from '@/common/image-link';
import { cleanText } from '@/common/schema-types';
import { DEFAULT_COVER } from './client-views';

/**
 * A cover field of the client's project and template forms: a picture's address, or '' for
 * none. The forms send back the cover they were shown, so the default picture shown for a
 * project or template without one is accepted too, and read as none (see storedCover).
 */
export const clientCover = z
  .literal('')
  .or(z.literal(DEFAULT_COVER))
  .or(cleanText(z.url({ protocol: /^https?$/ })).max(500))
  .or(ownImageLink)
  .meta({ examples: ['https://example.test/cover.png'] });

/** The cover to keep: none for '' and for the default picture the client was shown. */
export function storedCover(cover: string): string | null {
  return cover === '' || cover === DEFAULT_COVER ? null : cover;
}
