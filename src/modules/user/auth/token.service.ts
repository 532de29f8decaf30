import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sign, verify } from 'jsonwebtoken';
import { z } from 'zod';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import { decodeId, encodeId } from '@/common/public-id';
import { Problem } from '@/common/problem';
import { JwtKeyring } from './jwt-keyring.service';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface AccessClaims {
  memberId: number;
  sessionId: string;
  expiresAt: Date;
}

export interface RefreshClaims extends AccessClaims {
  tokenId: string;
}

type TokenKind = 'access' | 'refresh';

interface Payload {
  sub: string;
  sid: string;
  typ: TokenKind;
}

/**
 * What a signed token must carry before anything is looked up: a good signature says who made
 * the token, not that its claims have the shape this service gives them.
 */
const claimsSchema = (kind: TokenKind) =>
  z.object({
    sub: z.string().min(1),
    sid: z.uuid(),
    jti: z.uuid(),
    typ: z.literal(kind),
    exp: z.number().int(),
  });
const CLAIMS = { access: claimsSchema('access'), refresh: claimsSchema('refresh') };

const ISSUER = 'msproject';

/** Signs and verifies the access / refresh JWT pair (HS256, secrets from the keyring). */
@Injectable()
export class TokenService {
  constructor(
    private readonly keyring: JwtKeyring,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  issue(memberId: number, sessionId: string, refreshTokenId: string): TokenPair {
    const { accessExp, refreshExp } = this.config.get('jwt', { infer: true });
    const sub = encodeId(memberId);
    const accessToken = sign(
      { sub, sid: sessionId, typ: 'access' } satisfies Payload,
      this.keyring.signing('access'),
      { algorithm: 'HS256', expiresIn: accessExp, issuer: ISSUER, jwtid: randomUUID() },
    );
    const refreshToken = sign(
      { sub, sid: sessionId, typ: 'refresh' } satisfies Payload,
      this.keyring.signing('refresh'),
      { algorithm: 'HS256', expiresIn: refreshExp, issuer: ISSUER, jwtid: refreshTokenId },
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: accessExp };
  }

  verifyAccess(token: string): AccessClaims {
    return this.verify(token, 'access');
  }

  verifyRefresh(token: string): RefreshClaims {
    return this.verify(token, 'refresh');
  }

  /** Signature, issuer and lifetime, then the claims' shape: any fault is a 401. */
  private verify(token: string, kind: TokenKind): RefreshClaims {
    const invalid = () => Problem.unauthenticated(`invalid or expired ${kind} token`);
    let payload: unknown;
    for (const secret of this.keyring.verifying(kind)) {
      try {
        payload = verify(token, secret, { issuer: ISSUER, algorithms: ['HS256'] });
        break;
      } catch {
        // try the next secret
      }
    }
    const claims = CLAIMS[kind].safeParse(payload);
    if (!claims.success) throw invalid();
    let memberId: number;
    try {
      memberId = decodeId(claims.data.sub);
    } catch {
      throw invalid();
    }
    return {
      memberId,
      sessionId: claims.data.sid,
      tokenId: claims.data.jti,
      expiresAt: new Date(claims.data.exp * 1000),
    };
  }
}
