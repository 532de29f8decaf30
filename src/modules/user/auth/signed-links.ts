import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import { Problem } from '@/common/problem';
import { decodeId, encodeId } from '@/common/public-id';
import { ConfigCenter } from '@/config/config-center';

/** Route metadata: the route also takes a signed link (its `:id` the signed subject). */
export const SIGNED_LINK_ROUTE = 'msproject:signed-link-route';
/** Route metadata: the path parameter a signed link is made for, when it is not `:id`. */
export const SIGNED_LINK_SUBJECT = 'msproject:signed-link-subject';

/**
 * Lets a GET route be followed with a link that `SignedLinks.sign` made for its `:id` (or the
 * path parameter `subject`) instead of a bearer token (a browser following a link sends
 * none). `purpose` names what the link is for: a link made for one purpose is refused by
 * every other route.
 */
export const AcceptsSignedLink = (purpose: string, subject = 'id'): MethodDecorator =>
  applyDecorators(
    SetMetadata(SIGNED_LINK_ROUTE, purpose),
    SetMetadata(SIGNED_LINK_SUBJECT, subject),
  );

/** The query parameters of a signed link; `signature` never reaches the request log. */
export const SIGNED_LINK_PARAMETERS = {
  member: 'member',
  expires: 'expires',
  signature: 'signature',
};

/** HKDF's label: the key is ids.secret's, for this use and no other. */
const KEY_LABEL = 'msproject signed links v1';

export interface SignedLink {
  /** The query string to append (`member=…&expires=…&signature=…`). */
  query: string;
  expiresAt: Date;
}

/**
 * Short-lived links a member's browser can follow without the bearer header: an HMAC-SHA256
 * over the purpose, the subject's public id, the member and the expiry, with a key derived
 * (HKDF) from `ids.secret`. Nothing of the key or a signature is logged or put in a span. A
 * link proves who asked for it and until when; what it opens is checked again when it is
 * followed, as for any caller.
 */
@Injectable()
export class SignedLinks {
  private derived?: { secret: string; key: Buffer };

  constructor(private readonly center: ConfigCenter) {}

  sign(purpose: string, subject: string, memberId: number, ttlSeconds: number): SignedLink {
    return this.signUntil(purpose, subject, memberId, Math.floor(Date.now() / 1000) + ttlSeconds);
  }

  /** A link valid until `expires` (seconds since the epoch). */
  signUntil(purpose: string, subject: string, memberId: number, expires: number): SignedLink {
    const member = encodeId(memberId, 'member');
    const signature = this.mac(purpose, subject, member, expires).toString('base64url');
    const query = new URLSearchParams({
      [SIGNED_LINK_PARAMETERS.member]: member,
      [SIGNED_LINK_PARAMETERS.expires]: String(expires),
      [SIGNED_LINK_PARAMETERS.signature]: signature,
    });
    return { query: query.toString(), expiresAt: new Date(expires * 1000) };
  }

  /** Whether `query` carries a signed link at all (else the caller needs a bearer token). */
  static offered(query: unknown): boolean {
    return (
      typeof query === 'object' &&
      query !== null &&
      SIGNED_LINK_PARAMETERS.signature in (query as Record<string, unknown>)
    );
  }

  /** The member a valid, unexpired link for `subject` was made for; 401 for any other. */
  verify(
    purpose: string,
    subject: unknown,
    query: Record<string, unknown>,
  ): { memberId: number; expiresAt: Date } {
    const refused = () => Problem.unauthenticated('invalid or expired link');
    const member = query[SIGNED_LINK_PARAMETERS.member];
    const expiresText = query[SIGNED_LINK_PARAMETERS.expires];
    const signature = query[SIGNED_LINK_PARAMETERS.signature];
    if (
      typeof subject !== 'string' ||
      typeof member !== 'string' ||
      typeof expiresText !== 'string' ||
      typeof signature !== 'string' ||
      !/^\d{1,12}$/.test(expiresText)
    ) {
      throw refused();
    }
    const expires = Number(expiresText);
    const expected = this.mac(purpose, subject, member, expires);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused();
    if (expires * 1000 <= Date.now()) throw refused();
    let memberId: number;
    try {
      memberId = decodeId(member, 'member');
    } catch {
      throw refused();
    }
    return { memberId, expiresAt: new Date(expires * 1000) };
  }

  private mac(purpose: string, subject: string, member: string, expires: number): Buffer {
    return createHmac('sha256', this.key())
      .update([purpose, subject, member, String(expires)].join('\n'))
      .digest();
  }

  /** Derived once per ids.secret (which changes only with a restart). */
  private key(): Buffer {
    const secret = this.center.config.ids.secret;
    if (this.derived?.secret !== secret) {
      const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), KEY_LABEL, 32));
      this.derived = { secret, key };
    }
    return this.derived.key;
  }
}
