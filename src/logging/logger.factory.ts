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
    return pino({
      ...settings,
      transport: {
        target: 'pino-pretty',
        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    });
  }
  return pino(settings);
}
