import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApp } from './app';

/**
 * The original web client as a test client: its form encoding, md5 passwords and headers, and
 * the facts of its contract (test/fixtures/web-client-contract.json).
 */

export interface Envelope<T = unknown> {
  code: number;
  msg: string;
  data: T;
}

export type ReadType = 'any' | 'truthy' | 'array' | 'object' | 'string' | 'number';

export interface RouteContract {
  params: string[];
  md5?: string[];
  json?: string[];
  data: 'any' | 'object' | 'array' | 'string';
  reads?: Record<string, ReadType>;
}

export const CONTRACT = JSON.parse(
  readFileSync(join(__dirname, '../../../test/fixtures/web-client-contract.json'), 'utf8'),
) as { routes: Record<string, RouteContract> };

/** md5 hex of the UTF-8 bytes, as the client hashes a password before sending it. */
export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function primitive(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return '';
}

/**
 * A body as the client's `querystring` (querystring-es3) writes it: encodeURIComponent (a
 * space is %20), booleans as words, null and undefined as empty values, arrays as repeated
 * keys, an empty array dropped with its `&` left behind.
 */
export function formBody(params: Record<string, unknown>): string {
  return Object.keys(params)
    .map((key) => {
      const name = `${encodeURIComponent(key)}=`;
      const value = params[key];
      if (Array.isArray(value)) {
        return value.map((item) => name + encodeURIComponent(primitive(item))).join('&');
      }
      return name + encodeURIComponent(primitive(value));
    })
    .join('&');
}

export interface ClientCallOptions {
  token?: string;
  organizationCode?: string;
  /** Sent as is instead of the encoded params. */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
  prefix?: string;
}

export interface ClientAnswer<T> {
  status: number;
  headers: Headers;
  body: Envelope<T>;
}

/** A POST of the client's route `path` (no leading slash), as the client sends it. */
export async function clientCall<T = Record<string, unknown>>(
  app: Pick<TestApp, 'baseUrl'>,
  path: string,
  params: Record<string, unknown> = {},
  options: ClientCallOptions = {},
): Promise<ClientAnswer<T>> {
  const headers: Record<string, string> = {
    accept: 'application/json, text/plain, */*',
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    ...options.headers,
  };
  if (options.token) headers.authorization = `bearer ${options.token}`;
  if (options.organizationCode) headers.organizationCode = options.organizationCode;
  const response = await fetch(`${app.baseUrl}${options.prefix ?? ''}/${path}`, {
    method: 'POST',
    headers,
    body: options.rawBody ?? formBody(params),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(text) as Envelope<T>,
  };
}

/** The HTTP status an envelope code stands for, as the project's suites assert statuses. */
export function statusOfEnvelopeCode(code: number): number {
  const known: Record<number, number> = { 4031: 403, 4041: 404 };
  if (known[code]) return known[code];
  return code >= 200 && code < 600 ? code : 500;
}

/** `list[].task_stages[].name` → list, [], task_stages, [], name. */
function steps(path: string): string[] {
  return path
    .split('.')
    .flatMap((segment) =>
      segment.endsWith('[]') && segment !== '[]' ? [segment.slice(0, -2), '[]'] : [segment],
    );
}

function valuesAt(data: unknown, path: string): { where: string; value: unknown }[] {
  let current: { where: string; value: unknown }[] = [{ where: 'data', value: data }];
  for (const step of steps(path)) {
    if (step === '[]') {
      current = current.flatMap(({ where, value }) => {
        assert.ok(Array.isArray(value), `${where} must be an array`);
        return (value as unknown[]).map((item, index) => ({
          where: `${where}[${index}]`,
          value: item,
        }));
      });
      continue;
    }
    current = current.map(({ where, value }) => {
      assert.ok(value && typeof value === 'object', `${where} must be an object`);
      return { where: `${where}.${step}`, value: (value as Record<string, unknown>)[step] };
    });
  }
  return current;
}

/**
 * Every field the client reads of a route's `data` is there, of the type it needs: a list's
 * fields are checked on every item (`min` items at least, so that an empty list proves
 * nothing).
 */
export function assertReads(route: string, data: unknown, minItems = 1): void {
  const contract = CONTRACT.routes[route];
  assert.ok(contract, `no contract for ${route}`);
  if (contract.data === 'array') assert.ok(Array.isArray(data), `${route}: data must be an array`);
  if (contract.data === 'object')
    assert.ok(data && typeof data === 'object' && !Array.isArray(data), `${route}: data object`);
  if (contract.data === 'string') assert.equal(typeof data, 'string', `${route}: data string`);
  for (const [path, type] of Object.entries(contract.reads ?? {})) {
    const found = valuesAt(data, path);
    if (path.includes('[]')) {
      assert.ok(found.length >= minItems, `${route}: ${path} has no items to check`);
    }
    for (const { where, value } of found) {
      const label = `${route}: ${where}`;
      assert.notEqual(value, undefined, `${label} is missing`);
      if (type === 'truthy') assert.ok(value, `${label} must be truthy`);
      if (type === 'array') assert.ok(Array.isArray(value), `${label} must be an array`);
      if (type === 'object')
        assert.ok(value && typeof value === 'object', `${label} must be an object`);
      if (type === 'string' || type === 'number')
        assert.equal(typeof value, type, `${label} must be a ${type}`);
    }
  }
}

/**
 * A request of `route` with every param the client sends, in its order, from `values`
 * (missing ones empty, as the client's undefined): a param the contract lists but the test
 * forgot fails here.
 */
export function clientParams(
  route: string,
  values: Record<string, unknown>,
  onlyGiven = false,
): Record<string, unknown> {
  const contract = CONTRACT.routes[route];
  assert.ok(contract, `no contract for ${route}`);
  const unknown = Object.keys(values).filter((key) => !contract.params.includes(key));
  assert.deepEqual(unknown, [], `${route} is not sent with these params`);
  if (onlyGiven) return values;
  return Object.fromEntries(contract.params.map((name) => [name, values[name]]));
}

/** A call as the client makes it, asserting code 200, msg '' and every field it reads. */
export async function clientOk<T = Record<string, unknown>>(
  app: Pick<TestApp, 'baseUrl'>,
  route: string,
  values: Record<string, unknown>,
  options: ClientCallOptions & { minItems?: number; only?: boolean } = {},
): Promise<T> {
  // `only`: the client sends just the fields it changes (task edit), in the order given.
  const params = options.only ? clientParams(route, values, true) : clientParams(route, values);
  const answer = await clientCall<T>(app, route, params, options);
  assert.equal(answer.status, 200, route);
  assert.equal(answer.body.code, 200, `${route}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.msg, '', `${route}: a message pops a notice`);
  assertReads(route, answer.body.data, options.minItems);
  return answer.body.data;
}

/** The envelope of a refused call: HTTP 200, `code`, and nothing but code, msg and data. */
export function assertClientCode(answer: ClientAnswer<unknown>, code: number, label: string): void {
  assert.equal(answer.status, 200, label);
  assert.equal(answer.body.code, code, `${label}: ${JSON.stringify(answer.body)}`);
  assert.deepEqual(Object.keys(answer.body).sort(), ['code', 'data', 'msg'], label);
}

/** A login through the client's own route; what it answers and the cookie it sets. */
export async function clientLogIn(
  app: Pick<TestApp, 'baseUrl'>,
  input: { account: string; password: string },
  headers: Record<string, string> = {},
): Promise<{ tokens: { accessToken: string; refreshToken: string }; setCookie: string[] }> {
  const answer = await clientCall<{
    tokenList: { accessToken: string; refreshToken: string };
  }>(app, 'project/login', { account: input.account, password: md5(input.password) }, { headers });
  assert.equal(answer.body.code, 200, JSON.stringify(answer.body));
  return { tokens: answer.body.data.tokenList, setCookie: answer.headers.getSetCookie() };
}

/** `name=value` of the Set-Cookie line that sets `name`, as a browser sends it back. */
export function cookiePair(setCookie: string[], name: string): string {
  const line = setCookie.find((cookie) => cookie.startsWith(`${name}=`));
  assert.ok(line, `no ${name} cookie in ${JSON.stringify(setCookie.map((c) => c.split('=')[0]))}`);
  return line.split(';')[0];
}
