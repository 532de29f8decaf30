import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import { stringify } from 'yaml';
import { mergeDeep, startTestApp, TEST_JWT, type TestApp } from '../support/app';
import { bearer, grpcClient, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { registerMember, type RegisteredMember } from '../support/members';
import { claimsOf, forgeToken } from '../support/tokens';

function unauthenticated(error: ServiceError): boolean {
  assert.equal(error.code, status.UNAUTHENTICATED, error.message);
  return true;
}

/**
 * Tokens signed with the app's own secret (as by someone who learnt it) but not issued by it:
 * a session vouches only for its own member, and claims of the wrong shape are refused.
 */
describe('forged and malformed tokens', () => {
  let app: TestApp;
  let client: ReturnType<typeof grpcClient>;
  let attacker: RegisteredMember;
  let victim: RegisteredMember;

  before(async () => {
    app = await startTestApp();
    client = grpcClient(app.grpcAddress, 'user/v1/user.proto', 'msproject.user.v1.UserService');
    attacker = await registerMember(app);
    victim = await registerMember(app);
  });

  after(async () => {
    client?.close();
    await app?.close();
  });

  /** 200 on REST and OK on gRPC for a good token; 401 and UNAUTHENTICATED for any other. */
  async function assertRefused(token: string, label: string): Promise<void> {
    const me = await call(app, 'GET', '/api/v1/me', { token });
    assert.equal(me.status, 401, `${label}: REST ${me.status} ${JSON.stringify(me.body)}`);
    await assert.rejects(unary(client, 'ListOrganizations', {}, bearer(token)), unauthenticated);
    await assert.rejects(unary(client, 'VerifyToken', { accessToken: token }), unauthenticated);
  }

  it("accepts a token forged with a member's own session and id (the forging is sound)", async () => {
    const { sub, sid } = claimsOf(attacker.accessToken);
    const token = forgeToken({ sub, sid, typ: 'access' }, TEST_JWT.accessSecret);
    const me = await call<{ id: string }>(app, 'GET', '/api/v1/me', { token });
    assert.equal(me.status, 200);
    assert.equal(me.body.id, attacker.id);
  });

  it("refuses an access token naming another member with the attacker's own session", async () => {
    const { sid } = claimsOf(attacker.accessToken);
    const forged = forgeToken({ sub: victim.id, sid, typ: 'access' }, TEST_JWT.accessSecret);
    await assertRefused(forged, 'forged sub');
    await assert.rejects(
      unary(client, 'GetMember', { id: victim.id }, bearer(forged)),
      unauthenticated,
    );
    assert.equal((await call(app, 'POST', '/api/v1/auth/logout', { token: forged })).status, 401);
    // The attacker's own session is still theirs, and only theirs.
    assert.equal(
      (await call(app, 'GET', '/api/v1/me', { token: attacker.accessToken })).status,
      200,
    );
  });

  it("mints nothing from a refresh token naming another member, and leaves the victim's session alone", async () => {
    const { sid, jti } = claimsOf(attacker.refreshToken);
    const forged = forgeToken({ sub: victim.id, sid, jti, typ: 'refresh' }, TEST_JWT.refreshSecret);
    const rest = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: forged },
    });
    assert.equal(rest.status, 401, JSON.stringify(rest.body));
    assert.equal(rest.body.accessToken, undefined);
    await assert.rejects(unary(client, 'RefreshToken', { refreshToken: forged }), unauthenticated);
    assert.equal((await call(app, 'GET', '/api/v1/me', { token: victim.accessToken })).status, 200);
    const own = await call<{ accessToken: string }>(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: victim.refreshToken },
    });
    assert.equal(own.status, 200, 'the victim can still refresh');
    const me = await call<{ id: string }>(app, 'GET', '/api/v1/me', {
      token: own.body.accessToken,
    });
    assert.equal(me.body.id, victim.id);
  });

  it('refuses claims of the wrong shape with 401, never 404 or 500', async () => {
    const { sub, sid } = claimsOf(attacker.accessToken);
    const cases: [string, Record<string, unknown>][] = [
      ['sub a number', { sub: 1, sid }],
      ['sub not an id', { sub: 'not-an-id', sid }],
      ['sub an object', { sub: { id: attacker.id }, sid }],
      ['sid not a UUID', { sub, sid: 'not-a-session' }],
      ['sid an object', { sub, sid: { $ne: null } }],
      ['jti missing', { sub, sid, jti: undefined }],
      ['jti not a UUID', { sub, sid, jti: 'x' }],
      ['no exp', { sub, sid, exp: undefined }],
      ['typ refresh', { sub, sid, typ: 'refresh' }],
      ['typ missing', { sub, sid, typ: undefined }],
    ];
    for (const [label, claims] of cases) {
      await assertRefused(forgeToken({ typ: 'access', ...claims }, TEST_JWT.accessSecret), label);
    }
    const refresh = claimsOf(attacker.refreshToken);
    for (const [label, claims] of [
      ['refresh without exp', { exp: undefined }],
      ['refresh with sub not an id', { sub: 'not-an-id' }],
      ['refresh with jti not a UUID', { jti: 'x' }],
    ] as const) {
      const token = forgeToken({ ...refresh, ...claims }, TEST_JWT.refreshSecret);
      const response = await call(app, 'POST', '/api/v1/auth/refresh', {
        body: { refreshToken: token },
      });
      assert.equal(response.status, 401, `${label}: ${JSON.stringify(response.body)}`);
    }
  });

  it('answers VerifyToken with the member id and expiry only', async () => {
    const response = await unary<object, Record<string, unknown>>(client, 'VerifyToken', {
      accessToken: attacker.accessToken,
    });
    assert.deepEqual(Object.keys(response).sort(), ['expiresAt', 'memberId']);
    assert.equal(response.memberId, attacker.id);
    assert.equal(
      response.expiresAt,
      new Date(claimsOf(attacker.accessToken).exp * 1000).toISOString(),
    );
    const text = JSON.stringify(response);
    for (const hidden of [
      attacker.input.email,
      attacker.input.mobile,
      claimsOf(attacker.accessToken).sid,
    ]) {
      assert.ok(!text.includes(hidden));
    }
  });

  it('rejects a reload with a placeholder secret, naming the key, and keeps serving', async () => {
    const before = app.center.config.jwt;
    const placeholder = 'change-me-please-this-is-a-long-enough-secret';
    const attempt = await app.center.apply(
      stringify(mergeDeep(app.center.config, { jwt: { refreshSecret: placeholder } })),
      'file',
    );
    assert.equal(attempt.outcome, 'rejected');
    assert.match(attempt.error ?? '', /jwt\.refreshSecret: looks like a placeholder/);
    assert.ok(!(attempt.error ?? '').includes(placeholder));
    assert.deepEqual(app.center.config.jwt, before);
    const refreshed = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: (await registerMember(app)).refreshToken },
    });
    assert.equal(refreshed.status, 200);
  });

  it('refuses a token for a session id nobody was given', async () => {
    const forged = forgeToken(
      { sub: victim.id, sid: randomUUID(), typ: 'access' },
      TEST_JWT.accessSecret,
    );
    await assertRefused(forged, 'unknown session');
  });
});
