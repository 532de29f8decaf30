import { Injectable, SetMetadata } from '@nestjs/common';
import { Problem } from '@/common/problem';
import { SessionStore } from '../session.store';
import { SignedLinks } from './signed-links';
import { TokenService, type AccessClaims } from './token.service';

/** The cookie a download pass travels in. */
export const DOWNLOAD_PASS_COOKIE = 'msproject_download';

/** Route metadata: a GET download that also takes a download pass (see AcceptsDownloadPass). */
export const DOWNLOAD_PASS_ROUTE = 'msproject:download-pass-route';

/**
 * Lets a GET route that answers a file be followed with the download-pass cookie instead of a
 * bearer token: a browser following a plain link sends its cookies but no Authorization
 * header. Only routes marked so read the cookie; it authenticates nothing else.
 */
export const AcceptsDownloadPass = (): MethodDecorator => SetMetadata(DOWNLOAD_PASS_ROUTE, true);

/** The signature's purpose: a signed link made for anything else never passes as one. */
export const DOWNLOAD_PASS_PURPOSE = 'download pass';
/** The cookie's field naming the session (the signed subject). */
const SESSION = 'session';

export interface DownloadPass {
  /** The cookie's value (URL-safe: no character a cookie may not hold). */
  value: string;
  expiresAt: Date;
}

/**
 * A short-lived credential for the browser's own downloads: the session of an access token and
 * its expiry, signed as a signed link is (HMAC-SHA256, a key derived from `ids.secret`). It is
 * good while it has not expired and its session is live, so it ends with the access token it
 * was made for, and at logout. It is the value of an HttpOnly cookie; never logged.
 */
@Injectable()
export class DownloadPasses {
  constructor(
    private readonly tokens: TokenService,
    private readonly links: SignedLinks,
    private readonly sessions: SessionStore,
  ) {}

  /** The pass for the session of `accessToken`, expiring when the token does. */
  issue(accessToken: string): DownloadPass {
    const claims = this.tokens.verifyAccess(accessToken);
    const expires = Math.floor(claims.expiresAt.getTime() / 1000);
    const link = this.links.signUntil(
      DOWNLOAD_PASS_PURPOSE,
      claims.sessionId,
      claims.memberId,
      expires,
    );
    return { value: `${SESSION}=${claims.sessionId}&${link.query}`, expiresAt: link.expiresAt };
  }

  /**
   * The caller a pass names: undefined without one in `cookieHeader`, 401 for one that is
   * forged, expired or of an ended session.
   */
  async verify(cookieHeader: string | undefined): Promise<AccessClaims | undefined> {
    const value = cookieValue(cookieHeader, DOWNLOAD_PASS_COOKIE);
    if (value === undefined || value === '') return undefined;
    const fields = Object.fromEntries(new URLSearchParams(value));
    const sessionId = fields[SESSION];
    let verified: { memberId: number; expiresAt: Date };
    try {
      verified = this.links.verify(DOWNLOAD_PASS_PURPOSE, sessionId, fields);
    } catch {
      throw Problem.unauthenticated('invalid or expired download pass');
    }
    if (!(await this.sessions.isActive(sessionId, verified.memberId))) {
      throw Problem.unauthenticated('session ended');
    }
    return { memberId: verified.memberId, sessionId, expiresAt: verified.expiresAt };
  }
}

/** The first value of cookie `name` in a Cookie header (`a=1; b=2`). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}
