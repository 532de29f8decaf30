/**
 * The application plus the telemetry probe, started the way main.ts starts: telemetry from
 * `CONFIG_DIR`'s bootstrap.yaml and the environment, before anything else loads. Run as a
 * child process by the export tests and the tracing benchmark; prints
 * `ready <http> <grpc>` once listening and exits on SIGTERM.
 */
import '@/telemetry/register';
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '@/app.module';
import { configureApp, createHttpAdapter, listen } from '@/server/configure-app';
import { installShutdown } from '@/server/shutdown';
import { ConfigCenter } from '@/config/config-center';
import { telemetry } from '@/telemetry/telemetry';
import { GRPC_PACKAGES } from '@/grpc/grpc.options';
import { PROBE_PACKAGE, TelemetryProbeModule } from './telemetry-probe';

async function main() {
  const center = await ConfigCenter.start();
  @Module({ imports: [AppModule.register({ center }), TelemetryProbeModule] })
  class ProbeAppModule {}
  const app = await NestFactory.create<NestFastifyApplication>(
    ProbeAppModule,
    createHttpAdapter(center),
    { bufferLogs: true },
  );
  configureApp(app, center, [...GRPC_PACKAGES, PROBE_PACKAGE]);
  installShutdown(app, center);
  const addresses = await listen(app, center);
  telemetry()?.tracing?.sealRequireHooks();
  process.stdout.write(`ready ${addresses.http} ${addresses.grpc}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`telemetry child failed: ${error.message}\n`);
  process.exit(1);
});
