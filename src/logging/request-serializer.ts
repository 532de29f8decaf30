import { pathOf } from '../common/request-path';
import { SECRET_KEY_PATTERN } from '../config/schema';

/**
 * Headers and query parameters that carry credentials under names the secret pattern does not
 * catch (`signature`: a signed link's).
 */
const CREDENTIAL_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'signature']);

const REDACTED = '[redacted]';

function isSecretName(name: string): boolean {
  return CREDENTIAL_NAMES.has(name.toLowerCase()) || SECRET_KEY_PATTERN.test(name);
}

/** A copy of query parameters or headers with the values of secret-named entries censored. */
export function redactSecretEntries(entries: unknown): unknown {
  if (!entries || typeof entries !== 'object') return entries;
  return Object.fromEntries(
    Object.entries(entries).map(([name, value]) => [name, isSecretName(name) ? REDACTED : value]),
  );
}

interface LoggedRequest {
  url?: string;
  query?: unknown;
  headers?: unknown;
}

/**
 * The request as the request log writes it (after pino's standard serializer): the path
 * without its query string, and secret query parameters and headers censored by the same
 * pattern that marks secret config keys.
 */
export function serializeRequest(request: LoggedRequest): LoggedRequest {
  return {
    ...request,
    url: request.url === undefined ? undefined : pathOf(request.url),
    query: redactSecretEntries(request.query),
    headers: redactSecretEntries(request.headers),
  };
}
