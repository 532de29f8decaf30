import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Compact JWTs signed with HMAC-SHA256, the one kind this service issues and accepts. The
 * header is always `{"alg":"HS256","typ":"JWT"}`; a token verifies only with that header
 * (`alg` none, RS256, HS512 or anything else is refused before any key is tried), a
 * signature that is exactly the HMAC of its first two segments, a JSON object payload whose
 * `iss` is the expected issuer, `exp` (when present) still in the future and `nbf` (when
 * present) not after now, both in whole seconds since the epoch.
 */

export type JwtPayload = Record<string, unknown>;

export interface SignOptions {
  /** Lifetime in seconds from `iat`. */
  expiresIn: number;
  issuer: string;
  jwtid: string;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const SEGMENT = /^[A-Za-z0-9_-]+$/;

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function signature(input: string, key: KeyObject): string {
  return createHmac('sha256', key).update(input).digest('base64url');
}

/** `{...claims, iat, exp, iss, jti}`, signed. */
export function signJwt(claims: JwtPayload, key: KeyObject, options: SignOptions): string {
  const iat = Math.floor(Date.now() / 1000);
  const payload = {
    ...claims,
    iat,
    exp: iat + options.expiresIn,
    iss: options.issuer,
    jti: options.jwtid,
  };
  const input = `${HEADER}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${signature(input, key)}`;
}

function parseObject(segment: string): JwtPayload | undefined {
  if (!SEGMENT.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as JwtPayload)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The three segments, when the token has that shape and an HS256 JWT header. */
function segments(token: string): [string, string, string] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !SEGMENT.test(parts[2])) return undefined;
  const header = parseObject(parts[0]);
  if (header?.alg !== 'HS256' || header.typ !== 'JWT') return undefined;
  return parts as [string, string, string];
}

/**
 * The payload of a token signed with `key` and valid now for `issuer`, else undefined. The
 * signature is compared in constant time.
 */
export function verifyJwt(token: string, key: KeyObject, issuer: string): JwtPayload | undefined {
  const parts = segments(token);
  if (!parts) return undefined;
  const expected = Buffer.from(signature(`${parts[0]}.${parts[1]}`, key));
  const presented = Buffer.from(parts[2]);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return undefined;
  }
  const payload = parseObject(parts[1]);
  if (!payload || payload.iss !== issuer) return undefined;
  const now = Math.floor(Date.now() / 1000);
  const { exp, nbf } = payload;
  if (exp !== undefined && (typeof exp !== 'number' || now >= exp)) return undefined;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) return undefined;
  return payload;
}

/** The payload of a well-formed token, its signature and times not checked. */
export function decodeJwt(token: string): JwtPayload | undefined {
  const parts = segments(token);
  return parts && parseObject(parts[1]);
}
