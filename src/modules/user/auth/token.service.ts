import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ConfigCenter } from '../../../config/config-center';
import { decodeId, encodeId } from '../../../common/public-id';
import { Problem } from '../../../common/problem';
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
}

export interface RefreshClaims extends AccessClaims {
  tokenId: string;
}

interface Payload {
  sub: string;
  sid: string;
  typ: 'access' | 'refresh';
  jti?: string;
}

const ISSUER = 'msproject';

/** Signs and verifies the access / refresh JWT pair (HS256, secrets from the keyring). */
@Injectable()
export class TokenService {
  private readonly jwt = new JwtService({});

  constructor(
    private readonly keyring: JwtKeyring,
    private readonly center: ConfigCenter,
  ) {}

  async issue(memberId: number, sessionId: string, refreshTokenId: string): Promise<TokenPair> {
    const { accessExp, refreshExp } = this.center.config.jwt;
    const sub = encodeId(memberId);
    const [accessToken, refreshToken] = await Promise.all([
      this.jwt.signAsync({ sub, sid: sessionId, typ: 'access' } satisfies Payload, {
        secret: this.keyring.signing('access'),
        expiresIn: accessExp,
        issuer: ISSUER,
        jwtid: randomUUID(),
      }),
      this.jwt.signAsync({ sub, sid: sessionId, typ: 'refresh' } satisfies Payload, {
        secret: this.keyring.signing('refresh'),
        expiresIn: refreshExp,
        issuer: ISSUER,
        jwtid: refreshTokenId,
      }),
    ]);
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: accessExp };
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    const payload = await this.verify(token, 'access');
    return { memberId: decodeId(payload.sub), sessionId: payload.sid };
  }

  async verifyRefresh(token: string): Promise<RefreshClaims> {
    const payload = await this.verify(token, 'refresh');
    if (!payload.jti) throw Problem.unauthenticated('invalid refresh token');
    return { memberId: decodeId(payload.sub), sessionId: payload.sid, tokenId: payload.jti };
  }

  private async verify(token: string, kind: 'access' | 'refresh'): Promise<Payload> {
    for (const secret of this.keyring.verifying(kind)) {
      try {
        const payload = await this.jwt.verifyAsync<Payload>(token, {
          secret,
          issuer: ISSUER,
          algorithms: ['HS256'],
        });
        if (payload.typ !== kind || !payload.sub || !payload.sid) break;
        return payload;
      } catch {
        // try the next secret
      }
    }
    throw Problem.unauthenticated(`invalid or expired ${kind} token`);
  }
}
