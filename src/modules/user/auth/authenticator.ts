import { Injectable } from '@nestjs/common';
import { Problem } from '@/common/problem';
import { SessionStore } from '../session.store';
import { TokenService, type AccessClaims } from './token.service';

/**
 * An access token is good when its signature, lifetime and claims are, and its session is live
 * and the session of the member the token names.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionStore,
  ) {}

  async authenticate(accessToken: string): Promise<AccessClaims> {
    const claims = this.tokens.verifyAccess(accessToken);
    if (!(await this.sessions.isActive(claims.sessionId, claims.memberId))) {
      throw Problem.unauthenticated('session ended');
    }
    return claims;
  }
}
