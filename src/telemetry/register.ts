/**
 * Imported first by main.ts (CommonJS keeps import order): the SDK must patch http,
 * @grpc/grpc-js, mysql2, ioredis and pino before anything loads them.
 */
import { startTelemetry } from './telemetry';

try {
  startTelemetry();
} catch (error) {
  // A bad bootstrap file is reported by the config center in a moment, with its paths.
  process.stderr.write(`telemetry not started: ${(error as Error).message}\n`);
}
