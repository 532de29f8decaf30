import assert from 'node:assert/strict';
import { createHmac, createSecretKey, randomUUID } from 'node:crypto';
import { afterEach, describe, it, mock } from 'node:test';
import type { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { configurePublicIds } from '@/common/public-id';
import type { AppConfig } from '@/config/schema';
import { decodeJwt, signJwt, verifyJwt } from '@/modules/user/auth/hs256-jwt';
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

describe('HS256 token codec', () => {
  const secret = randomSecret();
  const key = createSecretKey(Buffer.from(secret));
  const reference = new JwtService({});
  const claims = { sub: 'member', sid: randomUUID(), typ: 'access' };
  const options = { expiresIn: 900, issuer: 'msproject', jwtid: randomUUID() };
  const b64 = (value: unknown) =>
    Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const hmac = (input: string, withSecret = secret) =>
    createHmac('sha256', withSecret).update(input).digest('base64url');
  /** A token with this header and payload, signed with `secret` over exactly those segments. */
  const assemble = (header: unknown, payload: unknown) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${hmac(input)}`;
  };
  const HEADER = { alg: 'HS256', typ: 'JWT' };
  const now = () => Math.floor(Date.now() / 1000);
  const valid = () => ({ ...claims, iss: 'msproject', exp: now() + 60 });

  afterEach(() => mock.timers.reset());

  it('issues what jsonwebtoken issued: same header, claims in the same order, same signature', () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const token = signJwt(claims, key, options);
    const expected = reference.sign(claims, {
      secret,
      algorithm: 'HS256',
      expiresIn: options.expiresIn,
      issuer: options.issuer,
      jwtid: options.jwtid,
    });
    assert.equal(token, expected);
    assert.deepEqual(
      reference.verify(token, { secret, algorithms: ['HS256'], issuer: 'msproject' }),
      { ...claims, iat: now(), exp: now() + 900, iss: 'msproject', jti: options.jwtid },
    );
  });

  it('verifies tokens jsonwebtoken signed, and decodes their payload', () => {
    const token = reference.sign(valid(), { secret, algorithm: 'HS256' });
    assert.deepEqual(verifyJwt(token, key, 'msproject'), { ...valid(), iat: now() });
    assert.equal(decodeJwt(token)?.sid, claims.sid);
  });

  it('refuses a token whose signature, payload or header was changed', () => {
    const token = signJwt(claims, key, options);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    const otherPayload = b64({ ...valid(), sub: 'someone-else' });
    for (const tampered of [
      `${header}.${payload}.${flipped(signature)}`,
      `${header}.${payload}.${signature}A`,
      `${header}.${payload}.${hmac(`${header}.${payload}`, randomSecret())}`,
      `${header}.${otherPayload}.${signature}`,
      `${b64({ alg: 'HS256', typ: 'JWT', kid: 'x' })}.${payload}.${signature}`,
    ]) {
      assert.equal(verifyJwt(tampered, key, 'msproject'), undefined, tampered);
    }
    assert.ok(verifyJwt(token, key, 'msproject'));
  });

  it('refuses alg none, any algorithm but HS256, and a header that is not a JWT one', () => {
    const payload = b64(valid());
    assert.equal(
      verifyJwt(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`, key, 'msproject'),
      undefined,
    );
    for (const header of [
      { alg: 'none', typ: 'JWT' },
      { alg: 'HS512', typ: 'JWT' },
      { alg: 'RS256', typ: 'JWT' },
      { alg: 'hs256', typ: 'JWT' },
      { typ: 'JWT' },
      { alg: 'HS256', typ: 'JWS' },
      [HEADER],
    ]) {
      assert.equal(verifyJwt(assemble(header, valid()), key, 'msproject'), undefined);
      assert.equal(decodeJwt(assemble(header, valid())), undefined);
    }
    // Signed with HS512 under the same secret: refused although the signature is genuine.
    const hs512 = reference.sign(valid(), { secret, algorithm: 'HS512' });
    assert.equal(verifyJwt(hs512, key, 'msproject'), undefined);
  });

  it('refuses an expired token, one not yet valid, and ill-typed times', () => {
    assert.ok(verifyJwt(assemble(HEADER, valid()), key, 'msproject'));
    assert.equal(
      verifyJwt(assemble(HEADER, { ...valid(), exp: now() }), key, 'msproject'),
      undefined,
    );
    assert.equal(
      verifyJwt(assemble(HEADER, { ...valid(), exp: `${now() + 60}` }), key, 'msproject'),
      undefined,
    );
    assert.ok(verifyJwt(assemble(HEADER, { ...valid(), nbf: now() }), key, 'msproject'));
    assert.equal(
      verifyJwt(assemble(HEADER, { ...valid(), nbf: now() + 5 }), key, 'msproject'),
      undefined,
    );
    assert.equal(
      verifyJwt(assemble(HEADER, { ...valid(), nbf: null }), key, 'msproject'),
      undefined,
    );
    // As jsonwebtoken's verify without maxAge: iat is not checked.
    assert.ok(verifyJwt(assemble(HEADER, { ...valid(), iat: now() + 3600 }), key, 'msproject'));
  });

  it('refuses a token of another issuer, or of none', () => {
    assert.equal(
      verifyJwt(assemble(HEADER, { ...valid(), iss: 'other' }), key, 'msproject'),
      undefined,
    );
    const { iss: _iss, ...withoutIssuer } = valid();
    assert.equal(verifyJwt(assemble(HEADER, withoutIssuer), key, 'msproject'), undefined);
  });

  it('refuses malformed segments and payloads that are not JSON objects', () => {
    const token = assemble(HEADER, valid());
    const [header, payload, signature] = token.split('.') as [string, string, string];
    for (const malformed of [
      '',
      'abc',
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.`,
      `${header}..${signature}`,
      `.${payload}.${signature}`,
      `${header}.${payload}.${signature.slice(0, -1)}=`,
      `${header}.${payload}+.${signature}`,
      assemble(HEADER, 'not json'),
      assemble(HEADER, '[1,2]'),
      assemble(HEADER, 'null'),
      assemble(HEADER, '42'),
      assemble('{"alg":"HS256",', valid()),
    ]) {
      assert.equal(verifyJwt(malformed, key, 'msproject'), undefined, malformed);
      assert.equal(decodeJwt(malformed), undefined, malformed);
    }
  });
});
