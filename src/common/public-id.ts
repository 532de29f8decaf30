import { z } from 'zod';
import { IdCodec, type IdKind } from './id-codec';
import { Problem } from './problem';

export type { IdKind } from './id-codec';

/**
 * Ids on the wire: opaque strings, the same in REST and gRPC, never the raw sequential
 * numbers. One codec per process, keyed by `ids.secret` at start: the zod schemas that decode
 * ids are module constants, so they cannot be handed a key by injection.
 */
let codec: IdCodec | undefined;
let configuredSecret: string | undefined;

/** Keys every public id of this process; called once at start with `ids.secret`. */
export function configurePublicIds(secret: string): void {
  if (codec) {
    // Apps sharing a process share the codec; a second key would make the first app's ids lie.
    if (secret !== configuredSecret) {
      throw new Error('ids.secret differs from the one this process started with');
    }
    return;
  }
  codec = new IdCodec(secret);
  configuredSecret = secret;
}

function configured(): IdCodec {
  if (!codec) throw new Error('public ids used before configurePublicIds(ids.secret)');
  return codec;
}

export function encodeId(id: number, kind: IdKind = 'member'): string {
  return configured().encode(kind, id);
}

/** The numeric id of a public id; a malformed one, or another kind's, is "not found". */
export function decodeId(publicId: string, kind: IdKind = 'member'): number {
  const id = configured().decode(kind, publicId);
  if (id === undefined) throw Problem.notFound();
  return id;
}

/**
 * A request field holding an id of `kind`, parsed to its number: services never see wire ids.
 * One that does not decode is the field's fault (400), as the schema's other checks.
 */
export function publicId(kind: IdKind) {
  return z
    .string()
    .max(40)
    .meta({ description: `An opaque ${kind} id` })
    .transform((value, context) => {
      const id = configured().decode(kind, value);
      if (id !== undefined) return id;
      context.addIssue({ code: 'custom', message: 'no such id' });
      return z.NEVER;
    });
}
