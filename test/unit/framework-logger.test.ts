import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LoggerService } from '@nestjs/common';
import { FrameworkLogger } from '@/logging/framework-logger';

/** Every call the application logger received: level, then the arguments. */
function recorder() {
  const calls: unknown[][] = [];
  const at =
    (level: string) =>
    (...args: unknown[]) =>
      calls.push([level, ...args]);
  const logger: LoggerService = {
    log: at('log'),
    error: at('error'),
    warn: at('warn'),
    debug: at('debug'),
    verbose: at('verbose'),
    fatal: at('fatal'),
  };
  return { calls, logger };
}

describe('the framework logger', () => {
  it("logs Nest's start-up inventory at debug and everything else at its own level", () => {
    const { calls, logger } = recorder();
    const framework = new FrameworkLogger(logger);
    framework.log('AppModule dependencies initialized', 'InstanceLoader');
    framework.log('ProjectController {/api/v1/projects}:', 'RoutesResolver');
    framework.log('Mapped {/api/v1/projects, GET} route', 'RouterExplorer');
    framework.log('Nest application successfully started', 'NestApplication');
    framework.log('no context');
    framework.warn('slow', 'RouterExplorer');
    framework.error('failed', 'trace', 'ExceptionHandler');
    framework.fatal('gone', 'NestApplication');
    framework.verbose('detail', 'Scanner');
    assert.deepEqual(calls, [
      ['debug', 'AppModule dependencies initialized', 'InstanceLoader'],
      ['debug', 'ProjectController {/api/v1/projects}:', 'RoutesResolver'],
      ['debug', 'Mapped {/api/v1/projects, GET} route', 'RouterExplorer'],
      ['log', 'Nest application successfully started', 'NestApplication'],
      ['log', 'no context'],
      ['warn', 'slow', 'RouterExplorer'],
      ['error', 'failed', 'trace', 'ExceptionHandler'],
      ['fatal', 'gone', 'NestApplication'],
      ['verbose', 'detail', 'Scanner'],
    ]);
  });
});

describe('the pretty log format', () => {
  it('writes one readable line per entry from the main thread, out before the process exits', () => {
    const factory = join(__dirname, '../../src/logging/logger.factory.js');
    const script = `
      const { readdirSync } = require('node:fs');
      const threads = () => readdirSync('/proc/self/task').length;
      const before = threads();
      const logger = require(${JSON.stringify(factory)}).createLogger({ level: 'info', format: 'pretty' });
      logger.info({ project: 'P1', password: 'hunter2' }, 'project created');
      logger.debug('below the level');
      process.stderr.write(String(threads() - before));
      process.exit(0);
    `;
    // No colours, whatever the terminal or CI the tests run under.
    const run = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '0', 'threads started by the logger');
    assert.match(
      run.stdout,
      /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: project created \{"project":"P1","password":"\[redacted\]"\}\n$/,
    );
  });
});
