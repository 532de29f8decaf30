/**
 * The real application plus slow HTTP and gRPC endpoints, run as a child process by the
 * shutdown test. Prints `ready <http> <grpc>` when listening and `in-flight <n>` as slow
 * calls arrive.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as delay } from 'node:timers/promises';
import { AppModule } from '@/app.module';
import { configureApp, createHttpAdapter, listen } from '@/server/configure-app';
import { installShutdown } from '@/server/shutdown';
import { Public } from '@/common/public.decorator';
import { ConfigCenter } from '@/config/config-center';
import { GRPC_PACKAGES } from '@/grpc/grpc.options';

let inFlight = 0;
const arrived = () => process.stdout.write(`in-flight ${++inFlight}\n`);

@Public()
@Controller('slow')
class SlowController {
  @Get()
  async sleep(@Query('ms') ms = '500') {
    arrived();
    await delay(Number(ms));
    return { sleptMs: Number(ms) };
  }
}

@Public()
@Controller()
class SlowGrpcController {
  @GrpcMethod('Slow', 'Sleep')
  async sleep({ ms }: { ms: number }) {
    arrived();
    await delay(ms);
    return { sleptMs: ms };
  }
}

async function main() {
  const center = await ConfigCenter.start();
  @Module({
    imports: [AppModule.register({ center })],
    controllers: [SlowController, SlowGrpcController],
  })
  class SlowAppModule {}
  const app = await NestFactory.create<NestFastifyApplication>(
    SlowAppModule,
    createHttpAdapter(center),
    {
      bufferLogs: true,
    },
  );
  configureApp(app, center, [
    ...GRPC_PACKAGES,
    {
      name: 'msproject.test.v1',
      file: join(__dirname, '../../../test/support/proto/slow.proto'),
      services: ['msproject.test.v1.Slow'],
    },
  ]);
  installShutdown(app, center);
  const addresses = await listen(app, center);
  process.stdout.write(`ready ${addresses.http} ${addresses.grpc}\n`);
}

void main();
