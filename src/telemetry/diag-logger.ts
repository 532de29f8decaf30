import type { DiagLogger } from '@opentelemetry/api';

const REPEAT_AFTER_MS = 60_000;
const REMEMBERED_MESSAGES = 100;

/**
 * The SDK's own warnings and errors (a collector that is down, a full span queue) on stderr,
 * each distinct message at most once a minute: a dead collector must not flood the logs.
 * The application's logger does not exist yet when the SDK starts.
 */
export class ThrottledDiagLogger implements DiagLogger {
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly now: () => number = Date.now,
  ) {}

  error = (message: string, ...args: unknown[]): void => this.log(50, message, args);
  warn = (message: string, ...args: unknown[]): void => this.log(40, message, args);
  info = (): void => undefined;
  debug = (): void => undefined;
  verbose = (): void => undefined;

  private log(level: number, message: string, args: unknown[]): void {
    const now = this.now();
    const last = this.lastWritten.get(message);
    if (last !== undefined && now - last < REPEAT_AFTER_MS) return;
    if (this.lastWritten.size >= REMEMBERED_MESSAGES) this.lastWritten.clear();
    this.lastWritten.set(message, now);
    const detail = args
      .map((arg) => (arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : ''))
      .filter(Boolean)
      .join('; ');
    this.write(
      `${JSON.stringify({ level, time: now, msg: `telemetry: ${message}`, detail: detail || undefined })}\n`,
    );
  }
}
