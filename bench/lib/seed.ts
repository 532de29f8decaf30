import type { AppProcess } from './app-process';

/** One JSON call to an application process; throws on any status but 2xx. */
export async function json<T>(
  app: AppProcess,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A member (captcha → register → login) with `projects` projects; their token and last project. */
export async function seedMember(app: AppProcess, projects: number) {
  const unique = Date.now().toString(36);
  const member = {
    account: `bench_${unique}`,
    email: `${unique}@example.test`,
    mobile: `1${String(Date.now()).slice(-10)}`,
    name: 'Bench member',
    password: `bench-${unique}-password`,
  };
  const { code } = await json<{ code: string }>(app, 'POST', '/api/v1/auth/captcha', {
    mobile: member.mobile,
  });
  await json(app, 'POST', '/api/v1/auth/register', { ...member, captcha: code });
  const { accessToken } = await json<{ accessToken: string }>(app, 'POST', '/api/v1/auth/login', {
    account: member.account,
    password: member.password,
  });
  let projectId = '';
  for (let index = 0; index < projects; index++) {
    ({ id: projectId } = await json<{ id: string }>(
      app,
      'POST',
      '/api/v1/projects',
      { name: `Benchmark project ${index}` },
      accessToken,
    ));
  }
  return { accessToken, projectId };
}
