import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Metadata, status } from '@grpc/grpc-js';
import { startTestApp, type TestApp } from '../support/app';
import { grpcClient, rejectsWith, unary } from '../support/grpc-client';
import { newMemberInput, registerMember } from '../support/members';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

interface MemberMessage {
  id: string;
  account: string;
  name: string;
  avatar: string;
}

function bearer(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

describe('user module over gRPC (msproject.user.v1.UserService)', () => {
  let app: TestApp;
  let client: ReturnType<typeof grpcClient>;

  before(async () => {
    app = await startTestApp();
    client = grpcClient(app.grpcAddress, 'user/v1/user.proto', 'msproject.user.v1.UserService');
  });

  after(async () => {
    client?.close();
    await app?.close();
  });

  it('runs the whole flow: captcha → register → login → verify → refresh → logout', async () => {
    const input = newMemberInput();
    const captcha = await unary<object, { code: string; expiresIn: number }>(client, 'GetCaptcha', {
      mobile: input.mobile,
    });
    assert.match(captcha.code, /^\d{6}$/);
    const registered = await unary<object, { member: MemberMessage }>(client, 'Register', {
      ...input,
      captcha: captcha.code,
    });
    assert.equal(registered.member.account, input.account);

    const login = await unary<
      object,
      { tokens: Tokens; member: MemberMessage; organizations: { role: string }[] }
    >(client, 'Login', { account: input.mobile, password: input.password });
    assert.equal(login.tokens.tokenType, 'Bearer');
    assert.equal(login.member.id, registered.member.id);
    assert.deepEqual(
      login.organizations.map((organization) => organization.role),
      ['owner'],
    );

    const verified = await unary<object, { member: MemberMessage }>(client, 'VerifyToken', {
      accessToken: login.tokens.accessToken,
    });
    assert.equal(verified.member.id, registered.member.id);

    const me = await unary<object, { member: MemberMessage }>(
      client,
      'GetMember',
      { id: registered.member.id },
      bearer(login.tokens.accessToken),
    );
    assert.equal(me.member.name, input.name);

    const refreshed = await unary<object, { tokens: Tokens }>(client, 'RefreshToken', {
      refreshToken: login.tokens.refreshToken,
    });
    assert.notEqual(refreshed.tokens.refreshToken, login.tokens.refreshToken);

    await unary(client, 'Logout', {}, bearer(refreshed.tokens.accessToken));
    await assert.rejects(
      unary(client, 'ListOrganizations', {}, bearer(login.tokens.accessToken)),
      rejectsWith(status.UNAUTHENTICATED),
    );
    await assert.rejects(
      unary(client, 'VerifyToken', { accessToken: refreshed.tokens.accessToken }),
      rejectsWith(status.UNAUTHENTICATED),
    );
  });

  it('refuses calls without a bearer token with UNAUTHENTICATED', async () => {
    await assert.rejects(
      unary(client, 'ListOrganizations', {}),
      rejectsWith(status.UNAUTHENTICATED),
    );
    await assert.rejects(
      unary(client, 'GetMembers', { ids: [] }, bearer('not-a-token')),
      rejectsWith(status.UNAUTHENTICATED),
    );
  });

  it('answers INVALID_ARGUMENT naming the field of a malformed request', async () => {
    await assert.rejects(
      unary(client, 'GetCaptcha', { mobile: 'abc' }),
      rejectsWith(status.INVALID_ARGUMENT, 'mobile'),
    );
    await assert.rejects(
      unary(client, 'Register', { ...newMemberInput(), password: 'short', captcha: '123456' }),
      rejectsWith(status.INVALID_ARGUMENT, 'password'),
    );
  });

  it('answers ALREADY_EXISTS naming the field taken', async () => {
    const existing = await registerMember(app);
    const input = newMemberInput({ email: existing.input.email });
    const captcha = await unary<object, { code: string }>(client, 'GetCaptcha', {
      mobile: input.mobile,
    });
    await assert.rejects(
      unary(client, 'Register', { ...input, captcha: captcha.code }),
      rejectsWith(status.ALREADY_EXISTS, 'email'),
    );
  });

  it('answers RESOURCE_EXHAUSTED when captcha requests come too fast', async () => {
    const { mobile } = newMemberInput();
    await unary(client, 'GetCaptcha', { mobile });
    await assert.rejects(
      unary(client, 'GetCaptcha', { mobile }),
      rejectsWith(status.RESOURCE_EXHAUSTED),
    );
  });

  it('answers NOT_FOUND for an unknown member id', async () => {
    const member = await registerMember(app);
    await assert.rejects(
      unary(client, 'GetMember', { id: 'doesNotExist1' }, bearer(member.accessToken)),
      rejectsWith(status.NOT_FOUND),
    );
  });

  it('returns many members in one call, in the order asked, skipping unknown ids', async () => {
    const [a, b] = [await registerMember(app), await registerMember(app)];
    const response = await unary<
      object,
      { members: (MemberMessage & { email: string; mobile: string })[] }
    >(client, 'GetMembers', { ids: [b.id, 'unknownId123', a.id] }, bearer(a.accessToken));
    assert.deepEqual(
      response.members.map((member) => member.id),
      [b.id, a.id],
    );
    // Contact details only for the caller's own profile.
    const [other, own] = response.members;
    assert.deepEqual([other.email, other.mobile], ['', '']);
    assert.deepEqual([own.email, own.mobile], [a.input.email, a.input.mobile]);
  });

  it('uses the same opaque ids as the REST API', async () => {
    const member = await registerMember(app);
    const response = await unary<object, { member: MemberMessage }>(
      client,
      'GetMember',
      { id: member.id },
      bearer(member.accessToken),
    );
    assert.equal(response.member.id, member.id);
    assert.doesNotMatch(member.id, /^\d+$/);
  });
});
