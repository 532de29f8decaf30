import type { LoggerService } from '@nestjs/common';

/**
 * Where Nest lists what it set up at start: every module initialized, every controller and
 * every route mapped (about 500 lines for this application). Logged at debug.
 */
const INVENTORY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * Nest's logger: the application logger, with the framework's start-up inventory one level
 * down, so that a start at info says what it serves in a few lines instead of hundreds.
 */
export class FrameworkLogger implements LoggerService {
  constructor(private readonly logger: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && INVENTORY_CONTEXTS.has(context)) {
      this.logger.debug?.(message, ...rest);
    } else {
      this.logger.log(message, ...rest);
    }
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.logger.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.logger.warn(message, ...rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.logger.debug?.(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.logger.verbose?.(message, ...rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.logger.fatal?.(message, ...rest);
  }
}
