import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';

export interface JwtSecrets {
  accessSecret: string;
  refreshSecret: string;
}

type Kind = 'access' | 'refresh';

/** A token made by someone who knows the signing secrets, for either use. */
export interface Forgery {
  label: string;
  token(kind: Kind): string;
}

const ISSUER = 'msproject';
const jwt = new JwtService({});

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The forgeries an attacker holding the secrets (and a session of their own) can try on a
 * victim, each signed as the app signs (HS256, issuer msproject) unless the point is not to.
 */
export function forgeries(
  secrets: JwtSecrets,
  attacker: { accessToken: string; refreshToken: string },
  victimId: string,
): Forgery[] {
  const own = { access: claimsOf(attacker.accessToken), refresh: claimsOf(attacker.refreshToken) };
  const secret = (kind: Kind) => (kind === 'access' ? secrets.accessSecret : secrets.refreshSecret);
  const now = Math.floor(Date.now() / 1000);
  /** The attacker's own claims for `kind`, fresh, with `changes` over them (undefined deletes). */
  const claims = (kind: Kind, changes: Record<string, unknown> = {}) => {
    const result: Record<string, unknown> = {
      sub: own[kind].sub,
      sid: own[kind].sid,
      typ: kind,
      jti: kind === 'refresh' ? own.refresh.jti : randomUUID(),
      iss: ISSUER,
      iat: now,
      exp: now + 600,
      ...changes,
    };
    return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined));
  };
  const signed =
    (
      changes: Record<string, unknown>,
      options: { secretOf?: (kind: Kind) => string; algorithm?: 'HS512' } = {},
    ) =>
    (kind: Kind) =>
      jwt.sign(claims(kind, changes), {
        secret: (options.secretOf ?? secret)(kind),
        algorithm: options.algorithm ?? 'HS256',
      });
  const real = (kind: Kind) => (kind === 'access' ? attacker.accessToken : attacker.refreshToken);
  return [
    { label: "victim's sub with the attacker's session", token: signed({ sub: victimId }) },
    {
      label: 'alg none',
      token: (kind) =>
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims(kind, { sub: victimId }))}.`,
    },
    {
      label: 'the other kind of token',
      token: (kind) => real(kind === 'access' ? 'refresh' : 'access'),
    },
    {
      label: "signed with the other kind's secret",
      token: signed({}, { secretOf: (kind) => secret(kind === 'access' ? 'refresh' : 'access') }),
    },
    { label: 'HS512 instead of HS256', token: signed({}, { algorithm: 'HS512' }) },
    { label: 'sub as a number', token: signed({ sub: 1 }) },
    { label: 'sub as garbage', token: signed({ sub: 'garbage!%' }) },
    { label: 'sub as an object', token: signed({ sub: { id: victimId } }) },
    { label: 'sid as a number', token: signed({ sid: 1 }) },
    { label: 'no sid', token: signed({ sid: undefined }) },
    { label: 'no exp', token: signed({ exp: undefined }) },
    { label: 'expired', token: signed({ iat: now - 7200, exp: now - 3600 }) },
    { label: 'another issuer', token: signed({ iss: 'someone-else' }) },
    {
      label: 'tampered signature',
      token: (kind) => {
        const token = real(kind);
        const at = token.lastIndexOf('.') + 5;
        return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
      },
    },
  ];
}
