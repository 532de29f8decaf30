import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MailOutbox } from '@/modules/user/mail/mail-outbox';
import Redis from 'ioredis';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { call } from '../support/http';
import { logIn, registerMember, requestCaptcha, type RegisteredMember } from '../support/members';
import { grpcClient, unary } from '../support/grpc-client';
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

/** The client's reset form: the new password (md5, twice unless `password2`) on `captcha`. */
function resetForm(email: string, password: string, captcha: string, password2 = password) {
  return { password: md5(password), password2: md5(password2), captcha, email };
}

/** A six-digit code other than `code`. */
const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');

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

  /** Asks for a reset code for `email`, logged out, and reads it from the mail. */
  async function mailedCode(email: string): Promise<string> {
    await clientOk(app, 'project/login/_getMailCaptcha', { email });
    return codeMailedTo(outbox, email);
  }

  it('resets a forgotten password logged out, with the mailed code, once, ending every session', async () => {
    const someone = await member();
    const email = someone.input.email;
    // The page is for members who cannot log in: no token on either call.
    const asked = await clientOk(app, 'project/login/_getMailCaptcha', { email });
    const code = codeMailedTo(outbox, email);
    // The test profile exposes registration codes (captcha.exposeInResponse); never this one.
    assert.equal(asked, '');
    const password = 'new-secret-密码-1';
    const form = resetForm(email.toUpperCase(), password, code);
    await clientOk(app, 'project/login/_resetPasswordByMail', form);
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
    assertClientCode(
      await clientCall(app, 'project/login/_resetPasswordByMail', form),
      400,
      'a code works once',
    );
  });

  it('refuses a wrong code, differing passwords and a second code within the minute', async () => {
    const someone = await member();
    const email = someone.input.email;
    const code = await mailedCode(email);
    const wrongAnswer = await clientCall(
      app,
      'project/login/_resetPasswordByMail',
      resetForm(email, 'abcdef12', wrongCode(code)),
    );
    assertClientCode(wrongAnswer, 400, 'a wrong code');
    assert.match(wrongAnswer.body.msg, /captcha/);
    const differing = await clientCall(
      app,
      'project/login/_resetPasswordByMail',
      resetForm(email, 'abcdef12', code, 'abcdef13'),
    );
    assertClientCode(differing, 400, 'differing passwords');
    assert.match(differing.body.msg, /password2/);
    assertClientCode(
      await clientCall(app, 'project/login/_getMailCaptcha', { email }),
      429,
      'one code per minute per address',
    );
    // The password is unchanged.
    await logIn(app, someone.input);
  });

  it('stops guessing after 10 tries a day, even with the right code', async () => {
    const someone = await member();
    const email = someone.input.email;
    const code = await mailedCode(email);
    const form = (captcha: string) => resetForm(email, 'guessed-password-1', captcha);
    for (let attempt = 1; attempt <= 10; attempt++) {
      assertClientCode(
        await clientCall(app, 'project/login/_resetPasswordByMail', form(wrongCode(code))),
        400,
        `wrong code ${attempt}`,
      );
    }
    assertClientCode(
      await clientCall(app, 'project/login/_resetPasswordByMail', form(code)),
      429,
      'the eleventh try',
    );
    await logIn(app, someone.input);
  });

  it('mails the live code again rather than a new one, and keeps it out of the subject', async () => {
    const someone = await member();
    const email = someone.input.email;
    const first = await mailedCode(email);
    // A minute later (its per-address limit spent), a stranger asks again for the same email.
    const redis = new Redis({ host: '127.0.0.1', port: 6379, keyPrefix: `${app.database}:` });
    try {
      assert.equal(await redis.del(`ratelimit:reset-mail:address:${email.toLowerCase()}`), 1);
    } finally {
      redis.disconnect();
    }
    await clientOk(app, 'project/login/_getMailCaptcha', { email });
    const mails = outbox.sentTo(email);
    assert.equal(mails.length, 2);
    assert.equal(codeMailedTo(outbox, email), first, 'the second mail holds the same code');
    for (const mail of mails) assert.doesNotMatch(mail.subject, /\d{6}/);
    // The member's code still works.
    await clientOk(
      app,
      'project/login/_resetPasswordByMail',
      resetForm(email, 'after-two-mails-1', first),
    );
    await logIn(app, { account: someone.input.account, password: 'after-two-mails-1' });
  });

  it('limits the codes tried from one client address, before any try counts', async () => {
    const someone = await member();
    const email = someone.input.email;
    const code = await mailedCode(email);
    const form = resetForm(email, 'limited-password-1', code);
    await reconfigure(app, { rateLimit: { captchaPerIpPerMinute: 1 } });
    try {
      // A wrong try spends the limit of 1 (if earlier tries this minute have not already).
      await clientCall(app, 'project/login/_resetPasswordByMail', {
        ...form,
        captcha: wrongCode(code),
      });
      const limited = await clientCall(app, 'project/login/_resetPasswordByMail', form);
      assertClientCode(limited, 429, 'over the client address limit, even with the right code');
      assert.match(limited.body.msg, /from this address/);
    } finally {
      await reconfigure(app, { rateLimit: { captchaPerIpPerMinute: 1000 } });
    }
    // Nothing was spent: the right code still works, and the password is the new one.
    await clientOk(app, 'project/login/_resetPasswordByMail', form);
    await logIn(app, { account: someone.input.account, password: 'limited-password-1' });
  });

  it('answers an unknown address as a known one, and mails it nothing', async () => {
    const nobody = `nobody-${Date.now()}@example.test`;
    assert.equal(
      await clientOk<string>(app, 'project/login/_getMailCaptcha', { email: nobody }),
      '',
    );
    assert.deepEqual(outbox.sentTo(nobody), []);
    const rest = await call(app, 'POST', '/api/v1/auth/password-reset/code', {
      body: { email: `other-${nobody}` },
    });
    assert.equal(rest.status, 202);
    assert.deepEqual(Object.keys(rest.body), ['expiresIn']);
  });

  it('resets a password over REST and gRPC as well, logged out, never answering the code', async () => {
    const someone = await member();
    const email = someone.input.email;
    const users = grpcClient(
      app.grpcAddress,
      'user/v1/user.proto',
      'msproject.user.v1.UserService',
    );
    const asked = await unary<{ email: string }, Record<string, unknown>>(
      users,
      'RequestPasswordReset',
      { email },
    );
    assert.deepEqual(Object.keys(asked), ['expiresIn']);
    const reset = await call(app, 'POST', '/api/v1/auth/password-reset', {
      body: { email, code: codeMailedTo(outbox, email), password: 'rest-password-1' },
    });
    assert.equal(reset.status, 204, JSON.stringify(reset.body));
    await logIn(app, { account: someone.input.account, password: 'rest-password-1' });
    await assert.rejects(
      unary(users, 'ResetPassword', { email, code: '123456', password: 'x'.repeat(9) }),
      (error: { code: number }) => error.code === 3,
    );
    // A registered address over REST: the code is mailed, and the answer holds no trace of it.
    const other = await member();
    const asRest = await call(app, 'POST', '/api/v1/auth/password-reset/code', {
      body: { email: other.input.email },
    });
    assert.equal(asRest.status, 202);
    assert.deepEqual(Object.keys(asRest.body as object), ['expiresIn']);
    assert.ok(!JSON.stringify(asRest.body).includes(codeMailedTo(outbox, other.input.email)));
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
