import { randomUUID, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@/config/schema';
import { decodeId, encodeId } from '@/common/public-id';
import { Problem } from '@/common/problem';
import { JwtKeyring } from './jwt-keyring.service';
import { signJwt, verifyJwt } from './hs256-jwt';

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

/** Access tokens verified lately, as many as a busy instance sees live at once: then started again. */
const VERIFIED_CACHE_SIZE = 10_000;

interface VerifiedToken {
  claims: RefreshClaims;
  /** The key whose signature matched: the token stays good only while that key verifies. */
  key: KeyObject;
  /** `exp`, in seconds since the epoch. */
  expires: number;
}

/** Signs and verifies the access / refresh JWT pair (HS256, secrets from the keyring). */
@Injectable()
export class TokenService {
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly keyring: JwtKeyring,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  issue(memberId: number, sessionId: string, refreshTokenId: string): TokenPair {
    const { accessExp, refreshExp } = this.config.get('jwt', { infer: true });
    const sub = encodeId(memberId);
    const accessToken = signJwt(
      { sub, sid: sessionId, typ: 'access' } satisfies Payload,
      this.keyring.signing('access'),
      { expiresIn: accessExp, issuer: ISSUER, jwtid: randomUUID() },
    );
    const refreshToken = signJwt(
      { sub, sid: sessionId, typ: 'refresh' } satisfies Payload,
      this.keyring.signing('refresh'),
      { expiresIn: refreshExp, issuer: ISSUER, jwtid: refreshTokenId },
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: accessExp };
  }

  /**
   * Every request presents its access token again: one already verified is answered from
   * memory for as long as verification would accept it again (the key that verified it still
   * verifies, `exp` not reached), so an HMAC, a JSON parse and the claims' schema are paid once
   * per token rather than once per request.
   */
  verifyAccess(token: string): AccessClaims {
    const keys = this.keyring.verifying('access');
    const known = this.verified.get(token);
    if (known && keys.includes(known.key) && Math.floor(Date.now() / 1000) < known.expires) {
      return { ...known.claims, expiresAt: new Date(known.claims.expiresAt) };
    }
    const verified = this.check(token, 'access', keys);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, verified);
    return { ...verified.claims, expiresAt: new Date(verified.claims.expiresAt) };
  }

  verifyRefresh(token: string): RefreshClaims {
    return this.check(token, 'refresh', this.keyring.verifying('refresh')).claims;
  }

  /** Signature, issuer and lifetime, then the claims' shape: any fault is a 401. */
  private check(token: string, kind: TokenKind, keys: KeyObject[]): VerifiedToken {
    const invalid = () => Problem.unauthenticated(`invalid or expired ${kind} token`);
    let payload: unknown;
    let matched: KeyObject | undefined;
    for (const key of keys) {
      payload = verifyJwt(token, key, ISSUER);
      if (payload) {
        matched = key;
        break;
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
      claims: {
        memberId,
        sessionId: claims.data.sid,
        tokenId: claims.data.jti,
        expiresAt: new Date(claims.data.exp * 1000),
      },
      key: matched!,
      expires: claims.data.exp,
    };
  }
}
