import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { stringify } from 'yaml';
import { passwordDigest } from '@/common/password';
import { randomSecret, startTestApp, type TestApp } from '../support/app';
import { MARIADB } from '../support/databases';
import { call } from '../support/http';
import { newMemberInput, registerMember } from '../support/members';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

describe('user module over REST', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app?.close();
  });

  async function rows(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const connection = await createConnection({ ...MARIADB, database: app.database });
    const [result] = (await connection.query(sql, params)) as unknown as [
      Record<string, unknown>[],
    ];
    await connection.end();
    return result;
  }

  async function withRedis<T>(work: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis({ port: 6379, keyPrefix: `${app.database}:` });
    try {
      return await work(client);
    } finally {
      await client.quit();
    }
  }

  const captchaKey = (mobile: string) => `captcha:register:{${mobile}}`;
  const plantCaptcha = (mobile: string, code: string) =>
    withRedis((client) => client.set(captchaKey(mobile), code, 'EX', 600));
  const captchaStored = (mobile: string) => withRedis((client) => client.get(captchaKey(mobile)));

  async function captchaFor(mobile: string): Promise<string> {
    const response = await call<{ code: string; expiresIn: number }>(
      app,
      'POST',
      '/api/v1/auth/captcha',
      {
        body: { mobile },
      },
    );
    assert.equal(response.status, 202);
    return response.body.code;
  }

  it('runs the whole flow: captcha → register → login → me → refresh → logout', async () => {
    const input = newMemberInput();
    const captcha = await call<{ code: string; expiresIn: number }>(
      app,
      'POST',
      '/api/v1/auth/captcha',
      {
        body: { mobile: input.mobile },
      },
    );
    assert.equal(captcha.status, 202);
    assert.match(captcha.body.code, /^\d{6}$/);
    assert.equal(captcha.body.expiresIn, 900);

    const registered = await call<{ id: string; account: string }>(
      app,
      'POST',
      '/api/v1/auth/register',
      {
        body: { ...input, captcha: captcha.body.code },
      },
    );
    assert.equal(registered.status, 201);
    assert.equal(registered.body.account, input.account);
    assert.match(registered.body.id, /^[A-Za-z0-9_-]{22}$/);
    assert.ok(!('passwordHash' in registered.body));

    const login = await call<{
      accessToken: string;
      refreshToken: string;
      tokenType: string;
      expiresIn: number;
      member: { id: string };
      organizations: { role: string; personal: boolean }[];
    }>(app, 'POST', '/api/v1/auth/login', {
      body: { account: input.email, password: input.password },
    });
    assert.equal(login.status, 200);
    assert.equal(login.body.tokenType, 'Bearer');
    assert.equal(login.body.expiresIn, 900);
    assert.equal(login.body.member.id, registered.body.id);
    assert.deepEqual(
      login.body.organizations.map(({ role, personal }) => ({ role, personal })),
      [{ role: 'owner', personal: true }],
    );

    const me = await call<{ id: string; lastLoginAt: string }>(app, 'GET', '/api/v1/me', {
      token: login.body.accessToken,
    });
    assert.equal(me.status, 200);
    assert.equal(me.body.id, registered.body.id);
    assert.ok(me.body.lastLoginAt);

    const refreshed = await call<{ accessToken: string; refreshToken: string }>(
      app,
      'POST',
      '/api/v1/auth/refresh',
      {
        body: { refreshToken: login.body.refreshToken },
      },
    );
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.refreshToken, login.body.refreshToken);

    const logout = await call(app, 'POST', '/api/v1/auth/logout', {
      token: refreshed.body.accessToken,
    });
    assert.equal(logout.status, 204);
    for (const token of [login.body.accessToken, refreshed.body.accessToken]) {
      assert.equal((await call(app, 'GET', '/api/v1/me', { token })).status, 401);
    }
    const afterLogout = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    assert.equal(afterLogout.status, 401);
  });

  it('creates the member, a personal organization and the owner membership together', async () => {
    const member = await registerMember(app);
    const [row] = await rows(
      `SELECT o.personal, ms.role FROM member m
       JOIN membership ms ON ms.memberId = m.id JOIN organization o ON o.id = ms.organizationId
       WHERE m.account = ?`,
      [member.input.account],
    );
    assert.deepEqual(
      { personal: Number(row.personal), role: row.role },
      { personal: 1, role: 'owner' },
    );
  });

  it('stores a scrypt hash of the md5, never the password or its md5', async () => {
    const member = await registerMember(app);
    const [row] = await rows('SELECT passwordHash FROM member WHERE account = ?', [
      member.input.account,
    ]);
    assert.match(String(row.passwordHash), /^scrypt-md5\$16384\$8\$1\$/);
    assert.ok(!String(row.passwordHash).includes(member.input.password));
    assert.ok(!String(row.passwordHash).includes(passwordDigest(member.input.password)));
  });

  for (const field of ['account', 'email', 'mobile'] as const) {
    it(`answers 409 naming ${field} when it is taken (in any case), and changes nothing`, async () => {
      const existing = await registerMember(app);
      const taken =
        field === 'mobile' ? existing.input.mobile : existing.input[field].toUpperCase();
      const input = newMemberInput({ [field]: taken });
      // The existing member's mobile asked for a code a moment ago (one a minute): plant one.
      await plantCaptcha(input.mobile, '424242');
      const counts = async () =>
        (
          await rows(
            `SELECT (SELECT COUNT(*) FROM member) AS members, (SELECT COUNT(*) FROM organization) AS organizations,
                    (SELECT COUNT(*) FROM membership) AS memberships`,
          )
        )[0];
      const before = await counts();
      const logsBefore = app.logs.lines.length;
      const response = await call<Problem>(app, 'POST', '/api/v1/auth/register', {
        body: { ...input, captcha: '424242' },
      });
      assert.equal(response.status, 409);
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(response.body.errors?.[0].field, field);
      assert.deepEqual(await counts(), before);
      // Spent all the same: one code answers one question about taken names.
      assert.equal(await captchaStored(input.mobile), null);
      assert.ok(!app.logs.lines.slice(logsBefore).some((line) => /scrypt(-md5)?\$/.test(line)));
    });
  }

  it('refuses an all-digit account name, which could be taken for a mobile number', async () => {
    const input = newMemberInput({ account: '13800138000' });
    const response = await call<Problem>(app, 'POST', '/api/v1/auth/register', {
      body: { ...input, captcha: '123456' },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(
      response.body.errors?.map((error) => error.field),
      ['account'],
    );
  });

  it('stops accepting captcha guesses for a mobile after 10 wrong ones in a day', async () => {
    const input = newMemberInput();
    await plantCaptcha(input.mobile, '424242');
    const statuses: number[] = [];
    for (let guess = 0; guess < 11; guess++) {
      const response = await call(app, 'POST', '/api/v1/auth/register', {
        body: { ...input, captcha: String(100000 + guess) },
      });
      statuses.push(response.status);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(400));
    assert.equal(statuses[10], 429);
    // Even the right code is refused now: guessing never pays off.
    const right = await call(app, 'POST', '/api/v1/auth/register', {
      body: { ...input, captcha: '424242' },
    });
    assert.equal(right.status, 429);
  });

  it('refuses a wrong captcha, an expired or missing one, and a reused one', async () => {
    const input = newMemberInput();
    const code = await captchaFor(input.mobile);
    const wrong = code === '000000' ? '000001' : '000000';
    const refused = await call<Problem>(app, 'POST', '/api/v1/auth/register', {
      body: { ...input, captcha: wrong },
    });
    assert.equal(refused.status, 400);
    assert.deepEqual(
      refused.body.errors?.map((error) => error.field),
      ['captcha'],
    );

    const missing = newMemberInput();
    const never = await call<Problem>(app, 'POST', '/api/v1/auth/register', {
      body: { ...missing, captcha: '123456' },
    });
    assert.equal(never.status, 400);
    assert.match(never.body.detail, /captcha: expired or never requested/);

    const ok = await call(app, 'POST', '/api/v1/auth/register', {
      body: { ...input, captcha: code },
    });
    assert.equal(ok.status, 201);
    assert.equal(await captchaStored(input.mobile), null);
    const reuse = await call<Problem>(app, 'POST', '/api/v1/auth/register', {
      body: { ...newMemberInput({ mobile: input.mobile }), captcha: code },
    });
    assert.equal(reuse.status, 400);
    assert.match(reuse.body.detail, /captcha: expired or never requested/);
  });

  it('expires a captcha after its TTL', async () => {
    const input = newMemberInput();
    const code = await captchaFor(input.mobile);
    // The TTL is Redis's: expire the key now instead of waiting 15 minutes.
    await withRedis((client) => client.pexpire(captchaKey(input.mobile), 1));
    const response = await call<Problem>(app, 'POST', '/api/v1/auth/register', {
      body: { ...input, captcha: code },
    });
    assert.equal(response.status, 400);
    assert.match(response.body.detail, /expired/);
  });

  it('limits captcha requests to one per minute per mobile', async () => {
    const { mobile } = newMemberInput();
    await captchaFor(mobile);
    const second = await call<Problem>(app, 'POST', '/api/v1/auth/captcha', { body: { mobile } });
    assert.equal(second.status, 429);
    assert.ok(Number(second.headers.get('retry-after')) > 0);
  });

  it('answers an unknown account and a wrong password with the same 401', async () => {
    const member = await registerMember(app);
    const wrong = await call<Problem>(app, 'POST', '/api/v1/auth/login', {
      body: { account: member.input.account, password: 'definitely-wrong' },
    });
    const unknown = await call<Problem>(app, 'POST', '/api/v1/auth/login', {
      body: { account: 'nobody-here', password: 'definitely-wrong' },
    });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.detail, unknown.body.detail);
  });

  it('names each missing or malformed field with a 400, and changes nothing', async () => {
    const before = (await rows('SELECT COUNT(*) AS n FROM member'))[0].n;
    const response = await call<Problem>(app, 'POST', '/api/v1/auth/register', {
      body: { account: 'x', email: 'not-an-email', password: 'short', captcha: 'abc' },
    });
    assert.equal(response.status, 400);
    const fields = response.body.errors?.map((error) => error.field).sort();
    assert.deepEqual(fields, ['account', 'captcha', 'email', 'mobile', 'name', 'password']);
    const malformed = await call<Problem>(app, 'POST', '/api/v1/auth/login', {
      rawBody: '{"account": ',
    });
    assert.equal(malformed.status, 400);
    assert.equal((await rows('SELECT COUNT(*) AS n FROM member'))[0].n, before);
  });

  it('refuses an oversized body with 413', async () => {
    const response = await call<Problem>(app, 'POST', '/api/v1/auth/login', {
      rawBody: JSON.stringify({ account: 'a', password: 'x'.repeat(2 * 1024 * 1024) }),
    });
    assert.equal(response.status, 413);
  });

  it('stores strings full of SQL and script characters literally', async () => {
    const name = `R'); DROP TABLE member;--<script>x</script>`;
    const member = await registerMember(app, { name });
    const me = await call<{ name: string }>(app, 'GET', '/api/v1/me', {
      token: member.accessToken,
    });
    assert.equal(me.body.name, name);
    const [row] = await rows('SELECT name FROM member WHERE account = ?', [member.input.account]);
    assert.equal(row.name, name);
  });

  it('updates the profile and serves the change at once (cache invalidated)', async () => {
    const member = await registerMember(app);
    await call(app, 'GET', '/api/v1/me', { token: member.accessToken }); // warms the cache
    const patched = await call<{ name: string; avatar: string }>(app, 'PATCH', '/api/v1/me', {
      token: member.accessToken,
      body: { name: 'Renamed', avatar: 'https://cdn.example.test/a.png' },
    });
    assert.equal(patched.status, 200);
    const me = await call<{ name: string; avatar: string }>(app, 'GET', '/api/v1/me', {
      token: member.accessToken,
    });
    assert.equal(me.body.name, 'Renamed');
    assert.equal(me.body.avatar, 'https://cdn.example.test/a.png');
  });

  it("lists the caller's organizations", async () => {
    const member = await registerMember(app);
    const response = await call<{ id: string; name: string; role: string }[]>(
      app,
      'GET',
      '/api/v1/organizations',
      {
        token: member.accessToken,
      },
    );
    assert.equal(response.status, 200);
    assert.equal(response.body.length, 1);
    assert.equal(response.body[0].role, 'owner');
  });

  it('revokes the whole family when a rotated refresh token is used again', async () => {
    const member = await registerMember(app);
    const first = await call<{ refreshToken: string; accessToken: string }>(
      app,
      'POST',
      '/api/v1/auth/refresh',
      {
        body: { refreshToken: member.refreshToken },
      },
    );
    assert.equal(first.status, 200);
    const replay = await call<Problem>(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: member.refreshToken },
    });
    assert.equal(replay.status, 401);
    assert.match(replay.body.detail, /already used/);
    const newest = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    assert.equal(newest.status, 401);
    assert.equal(
      (await call(app, 'GET', '/api/v1/me', { token: first.body.accessToken })).status,
      401,
    );
  });

  it('keeps tokens of a retired JWT secret valid until its time, on every instance', async () => {
    const member = await registerMember(app);
    const rotate = (jwt: Record<string, unknown>) =>
      app.center.apply(
        stringify({ ...app.center.config, jwt: { ...app.center.config.jwt, ...jwt } }),
        'file',
      );
    const old = app.center.config.jwt.accessSecret;
    const later = new Date(Date.now() + 600_000).toISOString();
    const applied = await rotate({
      accessSecret: randomSecret(),
      retired: [{ kind: 'access', secret: old, until: later }],
    });
    assert.equal(applied.outcome, 'applied');
    assert.equal((await call(app, 'GET', '/api/v1/me', { token: member.accessToken })).status, 200);
    const fresh = await call<{ accessToken: string }>(app, 'POST', '/api/v1/auth/login', {
      body: { account: member.input.account, password: member.input.password },
    });
    assert.equal(
      (await call(app, 'GET', '/api/v1/me', { token: fresh.body.accessToken })).status,
      200,
    );

    // An instance started after the rotation, on the same database and Redis, reads the
    // retired secret from the same document and accepts the token signed before it.
    const second = await startTestApp({
      config: {
        db: { master: { db: app.database } },
        redis: { keyPrefix: `${app.database}:` },
        jwt: app.center.config.jwt,
      },
    });
    try {
      assert.equal(
        (await call(second, 'GET', '/api/v1/me', { token: member.accessToken })).status,
        200,
      );
    } finally {
      await second.close();
    }

    // Past its time, the retired secret verifies nothing.
    await rotate({
      retired: [{ kind: 'access', secret: old, until: new Date(Date.now() - 1_000).toISOString() }],
    });
    assert.equal((await call(app, 'GET', '/api/v1/me', { token: member.accessToken })).status, 401);
    assert.equal(
      (await call(app, 'GET', '/api/v1/me', { token: fresh.body.accessToken })).status,
      200,
    );
  });

  it('refuses a weak retired secret, naming it', async () => {
    const attempt = await app.center.apply(
      stringify({
        ...app.center.config,
        jwt: {
          ...app.center.config.jwt,
          retired: [
            {
              kind: 'refresh',
              secret: 'change-me-0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c',
              until: new Date(Date.now() + 60_000).toISOString(),
            },
          ],
        },
      }),
      'file',
    );
    assert.equal(attempt.outcome, 'rejected');
    assert.match(attempt.error ?? '', /jwt\.retired\.0\.secret: /);
    assert.ok(!(attempt.error ?? '').includes('change-me-0f9a'));
  });

  it('never writes a password, hash, token or captcha code to the logs', async () => {
    const start = app.logs.lines.length;
    app.center.logger.level = 'trace';
    try {
      const member = await registerMember(app);
      await call(app, 'POST', '/api/v1/auth/login', {
        body: { account: member.input.account, password: 'wrong-one-123' },
      });
      await call(app, 'POST', '/api/v1/auth/refresh', {
        body: { refreshToken: member.refreshToken },
      });
      await call(app, 'GET', '/api/v1/me', { token: member.accessToken });
      const [row] = await rows('SELECT passwordHash FROM member WHERE account = ?', [
        member.input.account,
      ]);
      const logged = app.logs.lines.slice(start).join('\n');
      assert.ok(logged.length > 0);
      for (const secret of [
        member.input.password,
        'wrong-one-123',
        String(row.passwordHash),
        member.accessToken,
        member.refreshToken,
      ]) {
        assert.ok(!logged.includes(secret), 'a secret reached the logs');
      }
      assert.ok(!/"code":"\d{6}"/.test(logged));
    } finally {
      app.center.logger.level = 'info';
    }
  });
});
