import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it, mock } from 'node:test';
import type { ConfigService } from '@nestjs/config';
import { configurePublicIds } from '@/common/public-id';
import type { AppConfig } from '@/config/schema';
import { JwtKeyring } from '@/modules/user/auth/jwt-keyring.service';
import { TokenService } from '@/modules/user/auth/token.service';
import { randomSecret } from '../support/app';

configurePublicIds(randomSecret());

/** A TokenService over a `jwt` section the test changes as a reload would. */
function tokens(accessExp = 900) {
  const jwt: AppConfig['jwt'] = {
    accessSecret: randomSecret(),
    refreshSecret: randomSecret(),
    accessExp,
    refreshExp: 3600,
    retired: [],
  };
  const config = { get: () => jwt } as unknown as ConfigService<AppConfig, true>;
  return { service: new TokenService(new JwtKeyring(config), config), jwt };
}

describe('access token verification', () => {
  afterEach(() => mock.timers.reset());

  it('accepts a token again only while the secret that signed it still verifies', () => {
    const { service, jwt } = tokens();
    const { accessToken } = service.issue(7, randomUUID(), randomUUID());
    assert.equal(service.verifyAccess(accessToken).memberId, 7);
    assert.equal(service.verifyAccess(accessToken).memberId, 7);
    const old = jwt.accessSecret;
    jwt.accessSecret = randomSecret();
    jwt.retired = [
      { kind: 'access', secret: old, until: new Date(Date.now() + 60_000).toISOString() },
    ];
    assert.equal(service.verifyAccess(accessToken).memberId, 7);
    jwt.retired = [];
    assert.throws(() => service.verifyAccess(accessToken), { status: 401 });
  });

  it('refuses a token it accepted before once its lifetime is over', () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const { service } = tokens(60);
    const { accessToken } = service.issue(7, randomUUID(), randomUUID());
    assert.equal(service.verifyAccess(accessToken).memberId, 7);
    mock.timers.tick(59_000);
    assert.equal(service.verifyAccess(accessToken).memberId, 7);
    mock.timers.tick(1_000);
    assert.throws(() => service.verifyAccess(accessToken), { status: 401 });
  });

  it('hands every caller claims of its own', () => {
    const { service } = tokens();
    const { accessToken } = service.issue(7, randomUUID(), randomUUID());
    const first = service.verifyAccess(accessToken);
    first.expiresAt.setTime(0);
    assert.notEqual(service.verifyAccess(accessToken).expiresAt.getTime(), 0);
  });
});
