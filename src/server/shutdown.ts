import type { INestApplication } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import type { ConfigCenter } from '../config/config-center';
import { ServiceRegistry } from '../discovery/service-registry';
import { ServingState } from '../health/serving-state';

/**
 * SIGTERM / SIGINT: readiness turns 503 (gRPC health NOT_SERVING) and the instance leaves the
 * service registry at once, while HTTP and
 * gRPC keep serving for `server.shutdownGraceMs`, long enough for load balancers to stop
 * sending; then the listeners close, in-flight HTTP requests and gRPC calls finish, the config
 * center, database and Redis close, and the process exits 0. A drain that outlasts
 * `server.shutdownTimeoutMs` exits 1.
 */
export function installShutdown(app: INestApplication, center: ConfigCenter): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const { shutdownGraceMs, shutdownTimeoutMs } = center.config.server;
    const logger = center.logger;
    app.get(ServingState).stopServing();
    logger.info({ signal, shutdownGraceMs }, 'shutting down: not ready, serving through the grace');
    // Callers that find instances in the registry stop picking this one during the grace.
    await Promise.all([app.get(ServiceRegistry).deregister(), delay(shutdownGraceMs)]);
    logger.info('shutting down: draining in-flight requests');
    const started = Date.now();
    const deadline = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'shutdown timed out; exiting');
      logger.flush();
      process.exit(1);
    }, shutdownTimeoutMs);
    try {
      await app.close();
    } catch (error) {
      logger.error({ err: (error as Error).message }, 'shutdown failed');
      process.exit(1);
    }
    clearTimeout(deadline);
    logger.info({ ms: Date.now() - started }, 'shut down cleanly');
    logger.flush();
    process.exitCode = 0;
    // The loop should now drain by itself; this only guards against a leaked handle.
    setTimeout(() => process.exit(0), 3_000).unref();
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
