import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths pino censors wherever they appear in a logged object. */
const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'accessToken',
  'refreshToken',
  '*.accessToken',
  '*.refreshToken',
  'captcha',
  '*.captcha',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * Errors are logged as name, message, code and stack only. Driver errors carry the failed
 * statement and its parameters (a password hash, an email), which must not reach logs.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code } = error as { code?: unknown };
  return {
    type: error.name,
    message: error.message.slice(0, 500),
    ...(code !== undefined ? { code } : {}),
    stack: error.stack,
  };
}

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  /** Where lines go; stdout by default. Tests pass a capturing stream. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
  };
  if (options.destination) return pino(settings, options.destination);
  if (options.format === 'pretty') {
    // Formatted on the main thread: a transport would start a worker thread, a second
    // JavaScript heap (about 15 MB resident) and its own module loading, for a format meant
    // for a terminal. Loaded only when chosen.
    /* eslint-disable-next-line @typescript-eslint/no-require-imports */
    const { build } = require('pino-pretty') as typeof import('pino-pretty');
    return pino(
      settings,
      build({
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
        // Lines are out before the process exits, as with the JSON format.
        sync: true,
      }),
    );
  }
  return pino(settings);
}
