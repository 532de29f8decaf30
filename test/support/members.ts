import { randomBytes } from 'node:crypto';
import type { TestApp } from './app';
import { call } from './http';

let sequence = 0;

/** A unique registration request (mobile, account and email never seen before). */
export function newMemberInput(overrides: Record<string, string> = {}) {
  const unique = `${Date.now().toString(36)}${(sequence++).toString(36)}${randomBytes(2).toString('hex')}`;
  return {
    account: `u_${unique}`,
    email: `${unique}@example.test`,
    mobile: `1${String(Date.now()).slice(-7)}${String(sequence).padStart(4, '0')}`.slice(0, 15),
    name: `Member ${unique}`,
    password: `pw-${randomBytes(6).toString('hex')}`,
    ...overrides,
  };
}

/** A registration code for `mobile`, over REST (test configs expose codes in the response). */
export async function requestCaptcha(
  app: Pick<TestApp, 'baseUrl'>,
  mobile: string,
): Promise<string> {
  const captcha = await call<{ code: string }>(app, 'POST', '/api/v1/auth/captcha', {
    body: { mobile },
  });
  if (captcha.status !== 202) throw new Error(`captcha: ${captcha.status}`);
  return captcha.body.code;
}

export interface RegisteredMember {
  input: ReturnType<typeof newMemberInput>;
  id: string;
  accessToken: string;
  refreshToken: string;
}

/** Captcha → register → login over REST; a factory for tests that need a member. */
export async function registerMember(
  app: Pick<TestApp, 'baseUrl'>,
  overrides: Record<string, string> = {},
): Promise<RegisteredMember> {
  const input = newMemberInput(overrides);
  const registered = await call<{ id: string }>(app, 'POST', '/api/v1/auth/register', {
    body: { ...input, captcha: await requestCaptcha(app, input.mobile) },
  });
  if (registered.status !== 201)
    throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await logIn(app, input);
  return {
    input,
    id: registered.body.id,
    accessToken: login.accessToken,
    refreshToken: login.refreshToken,
  };
}

/** A new session of a registered member over REST; fails the test on anything but 200. */
export async function logIn(
  app: Pick<TestApp, 'baseUrl'>,
  input: { account: string; password: string },
): Promise<{ accessToken: string; refreshToken: string }> {
  const login = await call<{ accessToken: string; refreshToken: string }>(
    app,
    'POST',
    '/api/v1/auth/login',
    { body: { account: input.account, password: input.password } },
  );
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  return login.body;
}
