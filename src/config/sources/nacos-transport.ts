import { setTimeout as delay } from 'node:timers/promises';

/** Errors from the config center. Messages never carry credentials, tokens or content. */
export class NacosRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'NacosRequestError';
  }
}

export interface NacosTransportOptions {
  /** e.g. `http://127.0.0.1:8848/nacos` */
  baseUrl: string;
  username?: string;
  password?: string;
  /** Upper bound of the pause between failed attempts. */
  maxBackoffMs?: number;
}

export interface NacosRequest {
  method?: string;
  data?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string>;
  timeout?: number;
  dataAsQueryString?: boolean;
}

const CREDENTIAL_FIELDS = new Set(['username', 'password', 'accessToken']);

function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  if ((error as Error).name === 'TimeoutError') return 'timed out';
  if ((error as Error).name === 'AbortError') return 'aborted';
  return (error as Error).name || 'request failed';
}

/**
 * The HTTP layer under the `nacos` client. It replaces the client's own, which retries in a
 * tight loop, sends the password as a query parameter on every request, never verifies TLS and
 * cannot be cancelled. This one:
 * - backs off exponentially between failed attempts (shared across requests, reset on success);
 * - logs in once (`/v1/auth/login`) and sends the short-lived token (Authorization header)
 *   instead of the password;
 * - uses fetch, which verifies TLS certificates;
 * - aborts every in-flight request (the 30 s long poll included) on close().
 */
export class NacosTransport {
  private readonly closing = new AbortController();
  private consecutiveFailures = 0;
  private token?: { value: string; refreshAt: number };
  private login?: Promise<string | undefined>;
  private authUnsupported = false;

  constructor(private readonly options: NacosTransportOptions) {}

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  close(): void {
    this.closing.abort();
  }

  /** The contract of the `nacos` client's HttpAgent: body on 200, null on 404, else throw. */
  async request(path: string, request: NacosRequest = {}): Promise<string | null> {
    const method = (request.method ?? 'GET').toUpperCase();
    const timeout = request.timeout ?? 5_000;
    const deadline = Date.now() + timeout;
    let lastError: Error = new NacosRequestError(`Nacos ${method} ${path}: timed out`);
    let retriedLogin = false;
    do {
      // Half of the time is kept for the attempt itself: a pause must never leave an attempt
      // too little time to succeed, or a server that is back would never be noticed.
      await this.pauseAfterFailures(deadline - timeout / 2);
      if (this.closed) throw new NacosRequestError(`Nacos ${method} ${path}: client closed`);
      try {
        const response = await this.send(method, path, request, deadline);
        if (response.status === 200 || response.status === 404) {
          this.consecutiveFailures = 0;
          return response.status === 200 ? response.body : null;
        }
        if (response.status === 403 && this.token && !retriedLogin) {
          // The token expired or was revoked server-side: log in again once, right away.
          this.token = undefined;
          retriedLogin = true;
          continue;
        }
        this.consecutiveFailures++;
        lastError = new NacosRequestError(
          `Nacos ${method} ${path}: HTTP ${response.status}`,
          response.status,
        );
      } catch (error) {
        this.consecutiveFailures++;
        // A refused login will not pass on retry: fail now (the next call still backs off).
        if (error instanceof NacosRequestError) throw error;
        lastError = new NacosRequestError(`Nacos ${method} ${path}: ${describeFailure(error)}`);
      }
    } while (Date.now() < deadline && !this.closed);
    throw lastError;
  }

  private async pauseAfterFailures(deadline: number): Promise<void> {
    if (this.consecutiveFailures === 0) return;
    const maxBackoff = this.options.maxBackoffMs ?? 5_000;
    const exponential = Math.min(maxBackoff, 100 * 2 ** (this.consecutiveFailures - 1));
    const jittered = exponential / 2 + Math.random() * (exponential / 2);
    const wait = Math.min(jittered, Math.max(0, deadline - Date.now()));
    if (wait <= 0) return;
    try {
      await delay(wait, undefined, { signal: this.closing.signal });
    } catch {
      // closed while waiting: the caller checks `closed`
    }
  }

  private async send(
    method: string,
    path: string,
    request: NacosRequest,
    deadline: number,
  ): Promise<{ status: number; body: string }> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request.data ?? {})) {
      if (CREDENTIAL_FIELDS.has(key) || value === undefined || value === null) continue;
      params.set(key, String(value));
    }
    const token = await this.accessToken(deadline);

    const inBody = method === 'POST' && !request.dataAsQueryString;
    const url = `${this.options.baseUrl}${path}${inBody ? '' : `?${params.toString()}`}`;
    const headers: Record<string, string> = { ...request.headers };
    // In a header, the token stays out of access logs and URLs.
    if (token) headers.authorization = `Bearer ${token}`;
    if (inBody) headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    const response = await fetch(url, {
      method,
      headers,
      body: inBody ? params.toString() : undefined,
      signal: this.signal(deadline),
    });
    return { status: response.status, body: await response.text() };
  }

  private signal(deadline: number): AbortSignal {
    return AbortSignal.any([
      this.closing.signal,
      AbortSignal.timeout(Math.max(1, deadline - Date.now())),
    ]);
  }

  private async accessToken(deadline: number): Promise<string | undefined> {
    if (!this.options.username || this.authUnsupported) return undefined;
    if (this.token && Date.now() < this.token.refreshAt) return this.token.value;
    this.login ??= this.logIn(deadline).finally(() => (this.login = undefined));
    return this.login;
  }

  private async logIn(deadline: number): Promise<string | undefined> {
    const body = new URLSearchParams({
      username: this.options.username ?? '',
      password: this.options.password ?? '',
    });
    const response = await fetch(`${this.options.baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: body.toString(),
      signal: this.signal(deadline),
    });
    const text = await response.text();
    if (response.status === 404) {
      // A server without the auth plugin: no token to get, now or later.
      this.authUnsupported = true;
      return undefined;
    }
    if (response.status !== 200) {
      throw new NacosRequestError(`Nacos login rejected: HTTP ${response.status}`, response.status);
    }
    const { accessToken, tokenTtl } = JSON.parse(text) as {
      accessToken?: string;
      tokenTtl?: number;
    };
    if (!accessToken) throw new NacosRequestError('Nacos login answered without a token');
    // Refresh at 90 % of the lifetime, as the Java client does.
    const ttlMs = (tokenTtl ?? 18_000) * 1000;
    this.token = { value: accessToken, refreshAt: Date.now() + ttlMs * 0.9 };
    return accessToken;
  }
}
