import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MailOutbox } from '@/modules/user/mail/mail-outbox';
import { startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { logIn, registerMember, requestCaptcha, type RegisteredMember } from '../support/members';
import { bearer, grpcClient, unary } from '../support/grpc-client';
import { assertClientCode, clientCall, clientOk, md5 } from '../support/web-client';

type Data = Record<string, unknown>;

/** The six-digit code of the newest mail to `address`. */
function codeMailedTo(outbox: MailOutbox, address: string): string {
  const mails = outbox.sentTo(address);
  assert.ok(mails.length > 0, `no mail to ${address}`);
  const code = /\b(\d{6})\b/.exec(mails.at(-1)!.text)?.[1];
  assert.ok(code, 'the mail holds a code');
  return code;
}

/** The token of the link in the newest mail to `address`. */
function linkMailedTo(outbox: MailOutbox, address: string): string {
  const mails = outbox.sentTo(address);
  assert.ok(mails.length > 0, `no mail to ${address}`);
  const link = /(http:\/\/client\.test\/#\/reset\/email\?token=\S+)/.exec(mails.at(-1)!.text)?.[1];
  assert.ok(link, 'the mail holds a link to the client page');
  return decodeURIComponent(new URL(link.replace('/#/', '/')).searchParams.get('token')!);
}

describe("the original web client's password reset by mail, email and mobile binding", () => {
  let app: TestApp;
  let outbox: MailOutbox;

  before(async () => {
    app = await startTestApp({
      config: { mail: { transport: 'capture', clientUrl: 'http://client.test' } },
    });
    outbox = app.app.get(MailOutbox);
  });
  after(() => app?.close());

  const member = (): Promise<RegisteredMember> => registerMember(app);

  it('resets a forgotten password with the mailed code, once, ending every session', async () => {
    const someone = await member();
    const email = someone.input.email;
    const as = { token: someone.accessToken };
    const asked = await clientOk(app, 'project/login/_getMailCaptcha', { email }, as);
    const code = codeMailedTo(outbox, email);
    // The test profile exposes codes (captcha.exposeInResponse), as the page then shows them.
    assert.equal(asked, code);
    const password = 'new-secret-密码-1';
    const form = {
      password: md5(password),
      password2: md5(password),
      captcha: code,
      email: email.toUpperCase(),
    };
    await clientOk(app, 'project/login/_resetPasswordByMail', form, as);
    // The old session ended; the new password logs in, the old one does not.
    assertClientCode(
      await clientCall(app, 'project/login/_currentMember', {}, { token: someone.accessToken }),
      401,
      'the old session is over',
    );
    const login = await clientCall(app, 'project/login', {
      account: someone.input.account,
      password: md5(password),
    });
    assert.equal(login.body.code, 200, JSON.stringify(login.body));
    const old = await clientCall(app, 'project/login', {
      account: someone.input.account,
      password: md5(someone.input.password),
    });
    assertClientCode(old, 400, 'the old password');
    // The code was used up.
    const other = await member();
    assertClientCode(
      await clientCall(app, 'project/login/_resetPasswordByMail', form, {
        token: other.accessToken,
      }),
      400,
      'a code works once',
    );
    assertClientCode(
      await clientCall(app, 'project/login/_getMailCaptcha', { email }),
      401,
      'a logged-out caller is sent to the login page',
    );
  });

  it('refuses a wrong code, differing passwords and a second code within the minute', async () => {
    const someone = await member();
    const email = someone.input.email;
    const as = { token: someone.accessToken };
    await clientOk(app, 'project/login/_getMailCaptcha', { email }, as);
    const code = codeMailedTo(outbox, email);
    const wrong = code === '000000' ? '111111' : '000000';
    const wrongAnswer = await clientCall(
      app,
      'project/login/_resetPasswordByMail',
      { password: md5('abcdef12'), password2: md5('abcdef12'), captcha: wrong, email },
      as,
    );
    assertClientCode(wrongAnswer, 400, 'a wrong code');
    assert.match(wrongAnswer.body.msg, /captcha/);
    const differing = await clientCall(
      app,
      'project/login/_resetPasswordByMail',
      { password: md5('abcdef12'), password2: md5('abcdef13'), captcha: code, email },
      as,
    );
    assertClientCode(differing, 400, 'differing passwords');
    assert.match(differing.body.msg, /password2/);
    assertClientCode(
      await clientCall(app, 'project/login/_getMailCaptcha', { email }, as),
      429,
      'one code per minute per address',
    );
    // The password is unchanged.
    await logIn(app, someone.input);
  });

  it('answers an unknown address as a known one, and mails it nothing', async () => {
    const nobody = `nobody-${Date.now()}@example.test`;
    const asker = await member();
    assert.match(
      await clientOk<string>(
        app,
        'project/login/_getMailCaptcha',
        { email: nobody },
        { token: asker.accessToken },
      ),
      /^\d{6}$/,
    );
    assert.deepEqual(outbox.sentTo(nobody), []);
    const rest = await call(app, 'POST', '/api/v1/auth/password-reset/code', {
      token: asker.accessToken,
      body: { email: `other-${nobody}` },
    });
    assert.equal(rest.status, 202);
    assert.deepEqual(Object.keys(rest.body).sort(), ['code', 'expiresIn']);
  });

  it('resets a password over REST and gRPC as well', async () => {
    const someone = await member();
    const email = someone.input.email;
    const users = grpcClient(
      app.grpcAddress,
      'user/v1/user.proto',
      'msproject.user.v1.UserService',
    );
    await unary(users, 'RequestPasswordReset', { email }, bearer(someone.accessToken));
    const reset = await call(app, 'POST', '/api/v1/auth/password-reset', {
      token: someone.accessToken,
      body: { email, code: codeMailedTo(outbox, email), password: 'rest-password-1' },
    });
    assert.equal(reset.status, 204, JSON.stringify(reset.body));
    const again = await logIn(app, { account: someone.input.account, password: 'rest-password-1' });
    await assert.rejects(
      unary(
        users,
        'ResetPassword',
        { email, code: '123456', password: 'x'.repeat(9) },
        bearer(again.accessToken),
      ),
      (error: { code: number }) => error.code === 3,
    );
  });

  it('binds a new email through the mailed link, once; refuses a taken one', async () => {
    const someone = await member();
    const as = { token: someone.accessToken };
    const address = `New.${Date.now()}@Example.test`;
    await clientOk(app, 'project/login/_bindMail', { mail: address }, as);
    const token = linkMailedTo(outbox, address);
    assert.equal(
      (await clientOk<Data>(app, 'project/login/_currentMember', {}, as)).email,
      someone.input.email,
      'nothing changes before the link is followed',
    );
    await clientOk(app, 'project/login/_checkBindMail', { token }, as);
    const me = await clientOk<Data>(app, 'project/login/_currentMember', {}, as);
    assert.equal(me.email, address.toLowerCase());
    assertClientCode(
      await clientCall(app, 'project/login/_checkBindMail', { token }, as),
      400,
      'a link works once',
    );
    assertClientCode(
      await clientCall(app, 'project/login/_checkBindMail', { token: 'forged' }, as),
      400,
      'a forged link',
    );
    const other = await member();
    assertClientCode(
      await clientCall(
        app,
        'project/login/_bindMail',
        { mail: address },
        { token: other.accessToken },
      ),
      409,
      "someone else's email",
    );
    assertClientCode(
      await clientCall(app, 'project/login/_bindMail', { mail: 'not-an-address' }, as),
      400,
      'bad input',
    );
    assertClientCode(
      await clientCall(app, 'project/login/_bindMail', { mail: 'a@b.test' }),
      401,
      'no token',
    );
  });

  it('binds a new mobile on its registration code and answers me with my own session', async () => {
    const someone = await member();
    const as = { token: someone.accessToken };
    const mobile = `139${String(Date.now()).slice(-8)}`;
    const captcha = await requestCaptcha(app, mobile);
    const bound = await clientOk<{ member: Data; tokenList: Data }>(
      app,
      'project/login/_bindMobile',
      { mobile, captcha },
      as,
    );
    assert.equal(bound.member.mobile, mobile);
    // The tokens it answers are the session's: they work, and so does the old refresh token.
    const renewed = await clientOk<Data>(
      app,
      'project/login/_currentMember',
      {},
      { token: String(bound.tokenList.accessToken) },
    );
    assert.equal(renewed.mobile, mobile);
    const refreshed = await clientCall(app, 'index/index/refreshAccessToken', {
      refreshToken: someone.refreshToken,
    });
    assert.equal(refreshed.body.code, 200);
    assertClientCode(
      await clientCall(app, 'project/login/_bindMobile', { mobile, captcha }, as),
      409,
      'already my mobile',
    );
    const other = await member();
    const wrong = await clientCall(
      app,
      'project/login/_bindMobile',
      { mobile: other.input.mobile, captcha: '000000' },
      as,
    );
    assertClientCode(wrong, 400, 'no code was sent to it');
  });
});
