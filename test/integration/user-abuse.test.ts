import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { status, type Client } from '@grpc/grpc-js';
import { reconfigure, startTestApp, type TestApp } from '../support/app';
import { grpcClient, rejectsWith, unary } from '../support/grpc-client';
import { call } from '../support/http';
import { newMemberInput, registerMember, requestCaptcha } from '../support/members';

interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

// After 2 failures a 1 s wait: longer than any one request here, short enough to wait out.
const LOGIN_LIMITS = {
  loginPerIpPerMinute: 100_000,
  loginFailuresBeforeDelay: 2,
  loginDelayBaseMs: 1_000,
  loginDelayMaxMs: 2_000,
};
const POLL_MS = 20;

describe('registration and login under abuse', () => {
  let app: TestApp;
  let grpc: Client;

  before(async () => {
    // Behind a trusted proxy, X-Forwarded-For stands for the client's address.
    app = await startTestApp({ config: { server: { trustProxy: true }, rateLimit: LOGIN_LIMITS } });
    grpc = grpcClient(app.grpcAddress, 'user/v1/user.proto', 'msproject.user.v1.UserService');
  });

  after(async () => {
    grpc?.close();
    await app?.close();
  });

  const register = (body: Record<string, string>, from = '127.0.0.1') =>
    call<Problem>(app, 'POST', '/api/v1/auth/register', {
      body,
      headers: { 'x-forwarded-for': from },
    });
  const login = (account: string, password: string) =>
    call<Problem>(app, 'POST', '/api/v1/auth/login', { body: { account, password } });

  /** Runs `work` with the rate limits changed live, and puts them back afterwards. */
  async function withLimits(patch: Record<string, number>, work: () => Promise<void>) {
    const original = { ...app.center.config.rateLimit };
    await reconfigure(app, { rateLimit: patch });
    try {
      await work();
    } finally {
      await reconfigure(app, { rateLimit: original });
    }
  }

  /**
   * Retries a login while it is answered 429 (a wait is running). Returns the first answer
   * let through and when its request started; fails after `timeoutMs`.
   */
  async function loginWhenAdmitted(account: string, password: string, timeoutMs = 5_000) {
    for (let attempt = 0; attempt <= timeoutMs / POLL_MS; attempt++) {
      const startedAt = performance.now();
      const response = await login(account, password);
      if (response.status !== 429) return { response, startedAt };
      await delay(POLL_MS);
    }
    throw new Error(`still refused after ${timeoutMs} ms`);
  }

  describe('registration', () => {
    it('spends the captcha on a refused registration: one code answers one question', async () => {
      const existing = await registerMember(app);
      const input = newMemberInput();
      const code = await requestCaptcha(app, input.mobile);
      const taken = await register({ ...input, account: existing.input.account, captcha: code });
      assert.equal(taken.status, 409);
      // The same code can ask nothing more: neither about another taken email nor a free name.
      for (const probe of [{ email: existing.input.email }, {}]) {
        const again = await register({ ...input, ...probe, captcha: code });
        assert.equal(again.status, 400);
        assert.match(again.body.detail, /captcha: expired or never requested/);
      }
    });

    it('limits registrations per client address, changed live', async () => {
      await withLimits({ registerPerIpPerHour: 3 }, async () => {
        const attempt = (from: string) =>
          register({ ...newMemberInput(), captcha: '000000' }, from);
        const answers = [];
        for (let count = 0; count < 4; count++) answers.push(await attempt('203.0.113.1'));
        assert.deepEqual(
          answers.map((answer) => answer.status),
          [400, 400, 400, 429],
        );
        assert.ok(Number(answers[3].headers.get('retry-after')) > 0);
        assert.equal((await attempt('203.0.113.2')).status, 400, 'another address is not limited');
      });
    });

    it('limits registrations per mobile, from whatever address', async () => {
      await withLimits({ registerPerMobilePerHour: 2 }, async () => {
        const input = newMemberInput();
        const statuses: number[] = [];
        for (const from of ['203.0.113.11', '203.0.113.12', '203.0.113.13']) {
          statuses.push((await register({ ...input, captcha: '000000' }, from)).status);
        }
        assert.deepEqual(statuses, [400, 400, 429]);
      });
    });

    it('counts concurrent captcha guesses before comparing any: 10 a day, then 429', async () => {
      const input = newMemberInput();
      const code = await requestCaptcha(app, input.mobile);
      const wrong = (offset: number) =>
        String((Number(code) + 1 + offset) % 1_000_000).padStart(6, '0');
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, offset) => register({ ...input, captcha: wrong(offset) })),
      );
      const evaluated = answers.filter(
        (answer) => answer.status === 400 && /wrong code/.test(answer.body.detail),
      );
      const limited = answers.filter((answer) => answer.status === 429);
      assert.equal(
        evaluated.length,
        10,
        `statuses: ${answers.map((answer) => answer.status).join()}`,
      );
      assert.equal(limited.length, 30);
      // The right code comes too late: guessing never pays off.
      assert.equal((await register({ ...input, captcha: code })).status, 429);
    });

    it('applies the same rules to gRPC Register: the code is spent, the mobile limited', async () => {
      const existing = await registerMember(app);
      const input = newMemberInput({ email: existing.input.email });
      const { code } = await unary<object, { code: string }>(grpc, 'GetCaptcha', {
        mobile: input.mobile,
      });
      await assert.rejects(
        unary(grpc, 'Register', { ...input, captcha: code }),
        rejectsWith(status.ALREADY_EXISTS, 'email'),
      );
      const free = { ...input, email: newMemberInput().email, captcha: code };
      await assert.rejects(
        unary(grpc, 'Register', free),
        rejectsWith(status.INVALID_ARGUMENT, 'captcha'),
      );
      await withLimits({ registerPerMobilePerHour: 2 }, () =>
        assert.rejects(unary(grpc, 'Register', free), rejectsWith(status.RESOURCE_EXHAUSTED)),
      );
    });
  });

  describe('login', () => {
    it('counts failures per member, whichever identifier and case names it', async () => {
      const { input } = await registerMember(app);
      assert.equal((await login(input.account.toUpperCase(), 'wrong-password')).status, 401);
      assert.equal((await login(input.email.toUpperCase(), 'wrong-password')).status, 401);
      const third = await login(input.mobile, 'wrong-password');
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) >= 1);
    });

    it('delays an identifier that names nobody alike, so that probing it tells nothing', async () => {
      const nobody = `nobody_${randomBytes(4).toString('hex')}`;
      const statuses: number[] = [];
      for (const variant of [nobody, nobody.toUpperCase(), nobody]) {
        statuses.push((await login(variant, 'wrong-password')).status);
      }
      assert.deepEqual(statuses, [401, 401, 429]);
    });

    it('counts concurrent failures before checking any password', async () => {
      const { input } = await registerMember(app);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => login(input.account, 'wrong-password')),
      );
      const statuses = answers.map((answer) => answer.status);
      assert.equal(
        statuses.filter((code) => code === 401).length,
        2,
        `statuses: ${statuses.join()}`,
      );
      assert.equal(statuses.filter((code) => code === 429).length, 18);
    });

    it('answers a waiting attempt at once, whoever sends it, and never extends the wait', async () => {
      const { input } = await registerMember(app);
      await login(input.account, 'wrong-password');
      await login(input.account, 'wrong-password');
      // Someone keeps trying during the wait: refused at once, the wait stays as it was.
      for (let attempt = 0; attempt < 5; attempt++) {
        assert.equal((await login(input.email, 'wrong-password')).status, 429);
      }
      const owner = await loginWhenAdmitted(input.account, input.password);
      assert.equal(owner.response.status, 200);
      // A success forgets the failures: the next two are answered, not delayed.
      assert.equal((await login(input.account, 'wrong-password')).status, 401);
      assert.equal((await login(input.account, 'wrong-password')).status, 401);
    });

    it('doubles each further wait up to the cap, after which the owner gets in', async () => {
      // 150, 300, 600, 1200 ms, then 2 s: the cap, not 2.4 s.
      await withLimits({ loginDelayBaseMs: 150, loginDelayMaxMs: 2_000 }, async () => {
        const { input } = await registerMember(app);
        await login(input.account, 'wrong-password');
        let countedAt = performance.now();
        assert.equal((await login(input.account, 'wrong-password')).status, 401);
        for (const expectedMs of [150, 300, 600, 1200]) {
          const next = await loginWhenAdmitted(input.account, 'wrong-password');
          const waited = performance.now() - countedAt;
          assert.equal(next.response.status, 401);
          assert.ok(waited >= expectedMs, `waited ${waited.toFixed(0)} ms, expected ${expectedMs}`);
          countedAt = next.startedAt;
        }
        const refused = await login(input.account, 'wrong-password');
        assert.equal(refused.status, 429);
        assert.equal(refused.headers.get('retry-after'), '2');
        const owner = await loginWhenAdmitted(input.account, input.password);
        assert.equal(owner.response.status, 200);
      });
    });

    it('waits long delays out of the request: 429 with Retry-After, answered at once', async () => {
      await withLimits({ loginDelayBaseMs: 30_000, loginDelayMaxMs: 45_000 }, async () => {
        const { input } = await registerMember(app);
        await login(input.account, 'wrong-password');
        await login(input.account, 'wrong-password');
        const startedAt = performance.now();
        const refused = await login(input.account, 'wrong-password');
        assert.equal(refused.status, 429);
        assert.equal(refused.headers.get('retry-after'), '30');
        assert.ok(performance.now() - startedAt < 5_000, 'the connection was not held');
      });
    });

    it('applies the same delays to gRPC Login', async () => {
      const { input } = await registerMember(app);
      const attempt = () =>
        unary(grpc, 'Login', { account: input.mobile, password: 'wrong-password' });
      await assert.rejects(attempt(), rejectsWith(status.UNAUTHENTICATED));
      await assert.rejects(attempt(), rejectsWith(status.UNAUTHENTICATED));
      await assert.rejects(attempt(), rejectsWith(status.RESOURCE_EXHAUSTED));
    });
  });
});
