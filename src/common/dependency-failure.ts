/**
 * Driver errors that mean a dependency (the database, Redis) cannot be reached right now, as
 * opposed to a bad query or command: the request may succeed once it is back.
 */

/** Socket and connection-level codes of Node, mysql2 and MariaDB. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

/** Errors that the drivers raise without a code (ioredis, mysql2's pool). */
const UNAVAILABLE_MESSAGES = [
  "Stream isn't writeable",
  "Cluster isn't ready",
  'Connection is closed.',
  'Command timed out',
  'None of startup nodes is available',
  'All sentinels are unreachable',
  'Failed to refresh slots cache.',
  'Pool is closed.',
  'No connections available.',
  'Queue limit reached.',
];

const UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);

interface DriverError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  /** mysql2: the connection is unusable. */
  fatal?: unknown;
  /** TypeORM wraps the driver's error. */
  driverError?: unknown;
  cause?: unknown;
}

export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const { name, message, code, fatal, driverError, cause } = error as DriverError;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (fatal === true) return true;
  if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.startsWith(m))) {
    return true;
  }
  return (
    isDependencyUnavailable(driverError, depth + 1) || isDependencyUnavailable(cause, depth + 1)
  );
}

/**
 * A cache step that must not fail the request: `fallback` when Redis cannot be reached (the
 * caller then reads the database). Any other error is a fault and propagates.
 */
export async function unlessUnavailable<T>(work: Promise<T>, fallback: T): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isDependencyUnavailable(error)) return fallback;
    throw error;
  }
}
