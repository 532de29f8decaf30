import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';

const jwt = new JwtService({});

export interface TokenClaims {
  sub: string;
  sid: string;
  jti: string;
  typ: string;
  exp: number;
}

/** The claims of a token the app issued (signature not checked). */
export function claimsOf(token: string): TokenClaims {
  return jwt.decode<TokenClaims>(token);
}

/**
 * A token signed with `secret` as the app signs its own (HS256, issuer msproject, a fresh jti,
 * 15 minutes), carrying whatever claims an attacker chooses. `exp: undefined` signs one
 * without an expiry; any claim set to undefined is left out.
 */
export function forgeToken(claims: Record<string, unknown>, secret: string): string {
  const payload: Record<string, unknown> = {
    iss: 'msproject',
    jti: randomUUID(),
    exp: Math.floor(Date.now() / 1000) + 900,
    ...claims,
  };
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined) delete payload[key];
  }
  return jwt.sign(payload, { secret, algorithm: 'HS256' });
}
