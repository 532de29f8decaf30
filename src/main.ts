// A supported Node first, the module resolutions of the last start, source maps for our own
// files only, TypeORM's drivers and zod's locales on demand, then telemetry: it patches http,
// gRPC, mysql2, ioredis and pino as they load.
import './require-node';
import { startupResolutions } from './startup-resolutions';
import './source-maps';
import './load-on-demand';
import './telemetry/register';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createHttpAdapter, listen } from './server/configure-app';
import { installShutdown } from './server/shutdown';
import { settleMemoryAfterStart } from './server/settle-memory';
import { ConfigCenter } from './config/config-center';
import { telemetry } from './telemetry/telemetry';

async function main(): Promise<void> {
  // The config comes first: it sizes the HTTP adapter and names the listen addresses.
  const center = await ConfigCenter.start();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register({ center }),
    createHttpAdapter(center),
    { bufferLogs: true },
  );
  configureApp(app, center);
  installShutdown(app, center);
  const addresses = await listen(app, center);
  const moduleResolutions = startupResolutions?.finish();
  center.logger.info(
    {
      ...addresses,
      profile: center.bootstrap.app.profile,
      configSource: center.source,
      moduleResolutions,
    },
    `msproject serving HTTP on ${addresses.http}, gRPC on ${addresses.grpc}` +
      (addresses.docs ? `, API docs at ${addresses.docs}` : ''),
  );
  telemetry()?.tracing?.sealRequireHooks();
  settleMemoryAfterStart();
}

main().catch((error: Error) => {
  // Start-up errors name config paths, never values.
  console.error(`msproject failed to start: ${error.message}`);
  process.exit(1);
});
