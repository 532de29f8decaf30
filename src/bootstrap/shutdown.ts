import type { INestApplication } from '@nestjs/common';
import type { ConfigCenter } from '../config/config-center';
import { ServiceRegistry } from '../discovery/service-registry';

/**
 * SIGTERM / SIGINT: stop accepting, let in-flight HTTP requests and gRPC calls finish, close
 * the config center, database and Redis, then exit 0. A shutdown that outlasts
 * `server.shutdownTimeoutMs` exits 1.
 */
export function installShutdown(app: INestApplication, center: ConfigCenter): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const { shutdownTimeoutMs } = center.config.server;
    const logger = center.logger;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    const started = Date.now();
    const deadline = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'shutdown timed out; exiting');
      logger.flush();
      process.exit(1);
    }, shutdownTimeoutMs);
    app
      .get(ServiceRegistry)
      .deregister()
      .then(() => app.close())
      .then(() => {
        clearTimeout(deadline);
        logger.info({ ms: Date.now() - started }, 'shut down cleanly');
        logger.flush();
        process.exitCode = 0;
        // The loop should now drain by itself; this only guards against a leaked handle.
        setTimeout(() => process.exit(0), 3_000).unref();
      })
      .catch((error: Error) => {
        logger.error({ err: error.message }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
