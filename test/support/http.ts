import type { TestApp } from './app';

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A JSON request to an app (or any server at a base URL); the answer's body parsed when there is one. */
export async function call<T = Record<string, unknown>>(
  app: Pick<TestApp, 'baseUrl'>,
  method: string,
  path: string,
  options: {
    body?: unknown;
    token?: string;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.rawBody !== undefined)
    headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers,
    body:
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as T,
  };
}

/**
 * `/api/v1` calls as a member of `app()` (a getter: suites start their app in `before`), and
 * `created`, a POST that must answer 201, resolving to its body.
 */
export function apiAs(app: () => Pick<TestApp, 'baseUrl'>) {
  const rest = <T>(
    method: string,
    path: string,
    who: { accessToken: string },
    body?: Record<string, unknown>,
  ) => call<T>(app(), method, `/api/v1${path}`, { token: who.accessToken, body });
  async function created<T>(
    path: string,
    who: { accessToken: string },
    body: Record<string, unknown>,
  ): Promise<T> {
    const response = await rest<T>('POST', path, who, body);
    if (response.status !== 201)
      throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }
  return { rest, created };
}
