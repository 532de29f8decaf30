/**
 * The floor for a cold start: the same framework stack as the application with nothing of the
 * application in it. A NestJS app on the Fastify adapter with one controller (GET
 * /health/live) and a gRPC microservice serving the health protocol, listening where
 * APP_SERVER__PORT and APP_GRPC__PORT say, as `bench/startup.bench.ts` starts the application.
 *
 *   node dist-test/bench/startup-baseline.js
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { GrpcMethod, Transport } from '@nestjs/microservices';

@Controller('health')
class LiveController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}

@Controller()
class HealthRpc {
  @GrpcMethod('Health', 'Check')
  check() {
    return { status: 1 };
  }
}

@Module({ controllers: [LiveController, HealthRpc] })
class BaselineModule {}

async function main() {
  const app = await NestFactory.create<NestFastifyApplication>(
    BaselineModule,
    new FastifyAdapter(),
    { logger: false },
  );
  app.connectMicroservice({
    transport: Transport.GRPC,
    options: {
      package: 'grpc.health.v1',
      protoPath: join(__dirname, '../../proto/grpc/health/v1/health.proto'),
      url: `127.0.0.1:${process.env.APP_GRPC__PORT}`,
    },
  });
  await app.startAllMicroservices();
  await app.listen(Number(process.env.APP_SERVER__PORT), '127.0.0.1');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
